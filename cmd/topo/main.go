// Command topo keeps a Lync / Skype for Business topology and its DNS in
// step: validate, compile, plan and publish.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], newSystemIO())) }
