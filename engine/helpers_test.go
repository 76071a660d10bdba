package engine_test

import (
	"fmt"
	"strconv"

	"github.com/topo-dns/topo/providers"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func itoa(n int) string { return strconv.Itoa(n) }

// rs builds a normalized RRset.
func rs(name, typ string, ttl uint32, values ...string) providers.RRset {
	s := providers.RRset{Name: name, Type: typ, TTL: ttl, Values: append([]string(nil), values...)}
	s.Normalize()
	return s
}
