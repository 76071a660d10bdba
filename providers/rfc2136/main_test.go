package rfc2136

import (
	"os"
	"testing"

	"github.com/topo-dns/topo/providers/internal/dnstest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	dnstest.RemoveSambaTemplate()
	os.Exit(code)
}
