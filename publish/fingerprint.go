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
	var buf []byte
	for _, s := range sets {
		if s.Type == "SOA" {
			continue
		}
		buf = append(buf[:0], s.Name...)
		buf = append(buf, 0)
		buf = append(buf, s.Type...)
		buf = append(buf, 0)
		buf = strconv.AppendUint(buf, uint64(s.TTL), 10)
		for _, v := range s.Values {
			buf = append(buf, 0)
			buf = append(buf, v...)
		}
		buf = append(buf, '\n')
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}
