// Package dnstest starts real DNS servers (BIND 9, PowerDNS) as child
// processes for tests: fresh configuration and data in a temporary
// directory, loopback addresses only, ports found free at run time, stopped
// when the test ends.
//
// When a server binary is missing the test is skipped with a message saying
// what to install, except under CI (CI=true), where it fails: CI must run
// every test against the real thing.
package dnstest

import (
	"net"
	"os"
	"os/exec"
	"testing"
)

// RequireBinary returns the path of the named program, or skips the test
// (fails it under CI) saying which Debian package provides it.
func RequireBinary(t testing.TB, name, debianPackage string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/sbin"} {
		p := dir + "/" + name
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	msg := name + " is not installed: apt-get install -y " + debianPackage
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: a missing server is a failure, not a skip)")
	}
	t.Skip(msg)
	return ""
}

// FreePort returns a port on 127.0.0.1 that is free for both TCP and UDP
// at the time of the call.
func FreePort(t testing.TB) int {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("find a free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", l.Addr().String())
		l.Close()
		if err != nil {
			continue
		}
		u.Close()
		return port
	}
	t.Fatal("no free loopback port for TCP and UDP")
	return 0
}
