package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/topo-dns/topo/providers"
)

// Fingerprint hashes a zone's RRsets (SOA excluded: its serial moves with
// every write) so publish can tell whether the zone changed since planning.
func Fingerprint(sets []providers.RRset) string {
	h := sha256.New()
	for _, s := range sets {
		if s.Type == "SOA" {
			continue
		}
		h.Write([]byte(s.Name))
		h.Write([]byte{0})
		h.Write([]byte(s.Type))
		h.Write([]byte{0})
		h.Write([]byte(strconv.FormatUint(uint64(s.TTL), 10)))
		for _, v := range s.Values {
			h.Write([]byte{0})
			h.Write([]byte(v))
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
