package zonefile

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// zoneData is a zone file's records in file order.
type zoneData struct {
	origin string // "contoso.com."
	rrs    []dns.RR
	exists bool
}

// read parses the zone file; a missing file is an empty zone.
func (p *Provider) read(zone string) (*zoneData, error) {
	z := &zoneData{origin: providers.ZoneFQDN(zone)}
	path := p.Path(zone)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return z, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read zone file: %w", err)
	}
	z.exists = true
	rrs, err := Parse(data, z.origin, path)
	if err != nil {
		return nil, err
	}
	z.rrs = rrs
	return z, nil
}

// Parse reads a master file's records with miekg/dns's parser. $INCLUDE is
// refused: a zone topo rewrites must be one file.
func Parse(data []byte, origin, filename string) ([]dns.RR, error) {
	zp := dns.NewZoneParser(bytes.NewReader(data), origin, filename)
	zp.SetIncludeAllowed(false)
	var rrs []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		h := rr.Header()
		h.Name = canonicalOwner(h.Name)
		if !dns.IsSubDomain(origin, h.Name) {
			return nil, fmt.Errorf("zone file %s: record %s is outside the zone %s", filename, h.Name, origin)
		}
		// miekg/dns accepts "name IN MX" with no data (as in an UPDATE);
		// a master file must not, or a rewrite writes an unloadable zone.
		if newRR, ok := dns.TypeToRR[h.Rrtype]; ok {
			empty := newRR()
			*empty.Header() = *h
			if dns.IsDuplicate(rr, empty) {
				return nil, fmt.Errorf("zone file %s: record %s %s has no data", filename, h.Name, dns.TypeToString[h.Rrtype])
			}
		}
		if !commonTypes[h.Rrtype] {
			// Some types miekg/dns prints in a form it cannot read back
			// (NULL as a comment, NXT with an empty bitmap): refuse the
			// zone rather than lose a record on the next rewrite.
			back, err := dns.NewRR(rr.String())
			if err != nil || back == nil || !dns.IsDuplicate(rr, back) {
				return nil, fmt.Errorf("zone file %s: record %s %s cannot be written back faithfully; topo will not rewrite this zone", filename, h.Name, dns.TypeToString[h.Rrtype])
			}
		}
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("parse zone file: %w", err)
	}
	return rrs, nil
}

// commonTypes print and parse back exactly; records of other types are
// checked one by one when a zone is read.
var commonTypes = map[uint16]bool{
	dns.TypeSOA: true, dns.TypeNS: true, dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCNAME: true,
	dns.TypeTXT: true, dns.TypeSRV: true, dns.TypeMX: true, dns.TypePTR: true, dns.TypeCAA: true,
}

// canonicalOwner lowercases a name's letters in wire form and prints it
// back, so that escaped letters (\070) fold too and the name reads back
// the same once written.
func canonicalOwner(name string) string {
	if !strings.Contains(name, `\`) {
		// No escapes: fold A-Z and keep every other byte as written.
		return providers.ASCIILower(name)
	}
	buf := make([]byte, 256)
	off, err := dns.PackDomainName(name, buf, 0, nil, false)
	if err != nil {
		return providers.ASCIILower(name)
	}
	for i := 0; i < off && buf[i] != 0; i += int(buf[i]) + 1 {
		for j := i + 1; j <= i+int(buf[i]) && j < off; j++ {
			if c := buf[j]; c >= 'A' && c <= 'Z' {
				buf[j] = c + 'a' - 'A'
			}
		}
	}
	n, _, err := dns.UnpackDomainName(buf[:off], 0)
	if err != nil {
		return providers.ASCIILower(name)
	}
	return n
}

// rrData returns a record's data as libdns's RR.Data holds it.
func rrData(rr dns.RR) string {
	if t, ok := rr.(*dns.TXT); ok {
		// miekg/dns keeps TXT strings with their presentation escapes
		// (\" \\ \DDD); libdns wants the text itself.
		var b strings.Builder
		for _, s := range t.Txt {
			b.WriteString(providers.UnescapeTXT(s))
		}
		return b.String()
	}
	return strings.TrimSpace(strings.TrimPrefix(rr.String(), rr.Header().String()))
}

func keyOf(rr dns.RR) providers.Key {
	h := rr.Header()
	return providers.Key{Name: providers.CanonicalName(h.Name), Type: dns.TypeToString[h.Rrtype]}
}

// rrsets groups the zone's records.
func (z *zoneData) rrsets() []providers.RRset {
	idx := make(map[providers.Key]int)
	var sets []providers.RRset
	for _, rr := range z.rrs {
		k := keyOf(rr)
		i, ok := idx[k]
		if !ok {
			i = len(sets)
			idx[k] = i
			sets = append(sets, providers.RRset{Name: k.Name, Type: k.Type, TTL: rr.Header().Ttl})
		} else if rr.Header().Ttl < sets[i].TTL {
			sets[i].TTL = rr.Header().Ttl
		}
		sets[i].Values = append(sets[i].Values, rrData(rr))
	}
	for i := range sets {
		sets[i].Normalize()
	}
	providers.SortRRsets(sets)
	return sets
}

func (z *zoneData) index() map[providers.Key]providers.RRset {
	return providers.Index(z.rrsets())
}

// toRRs turns an RRset into miekg/dns records.
func toRRs(s providers.RRset) ([]dns.RR, error) {
	out := make([]dns.RR, 0, len(s.Values))
	name := dns.Fqdn(s.Name)
	for _, v := range s.Values {
		if s.Type == "TXT" {
			out = append(out, &dns.TXT{
				Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: s.TTL},
				Txt: providers.TXTStrings(v),
			})
			continue
		}
		rr, err := dns.NewRR(fmt.Sprintf("%s %d IN %s %s", name, s.TTL, s.Type, v))
		if err != nil {
			return nil, fmt.Errorf("record %s %s %q: %w", s.Name, s.Type, v, err)
		}
		if rr == nil {
			return nil, fmt.Errorf("record %s %s: empty data", s.Name, s.Type)
		}
		out = append(out, rr)
	}
	return out, nil
}

// apply replaces each edited RRset where it stood in the file; new RRsets
// go at the end, in edit order.
func (z *zoneData) apply(edits []providers.Edit) error {
	after := make(map[providers.Key][]dns.RR, len(edits))
	edited := make(map[providers.Key]bool, len(edits))
	for _, e := range edits {
		k := e.Key()
		if k.Type == "SOA" {
			return fmt.Errorf("refusing to edit the SOA record of %s", z.origin)
		}
		edited[k] = true
		if e.After == nil {
			delete(after, k)
			continue
		}
		if !dns.IsSubDomain(z.origin, dns.Fqdn(e.After.Name)) {
			return fmt.Errorf("record %s is outside the zone %s", e.After.Name, z.origin)
		}
		rrs, err := toRRs(*e.After)
		if err != nil {
			return err
		}
		after[k] = rrs
	}
	out := make([]dns.RR, 0, len(z.rrs)+len(after))
	done := make(map[providers.Key]bool, len(after))
	for _, rr := range z.rrs {
		k := keyOf(rr)
		if !edited[k] {
			out = append(out, rr)
			continue
		}
		if !done[k] {
			done[k] = true
			out = append(out, after[k]...)
		}
	}
	for _, e := range edits {
		k := e.Key()
		if !done[k] {
			done[k] = true
			out = append(out, after[k]...)
		}
	}
	z.rrs = out
	return nil
}

// deleteMatching removes records matching recs by libdns's rules.
func (z *zoneData) deleteMatching(zone string, recs []libdns.Record) []libdns.Record {
	var deleted []libdns.Record
	zf := providers.ZoneFQDN(zone)
	keep := z.rrs[:0:0]
	for _, rr := range z.rrs {
		k := keyOf(rr)
		matched := false
		for _, r := range recs {
			want := r.RR()
			if providers.CanonicalName(libdns.AbsoluteName(want.Name, zf)) != k.Name || k.Type == "SOA" {
				continue
			}
			if want.Type != "" && want.Type != k.Type {
				continue
			}
			if want.TTL != 0 && uint32(want.TTL.Seconds()) != rr.Header().Ttl {
				continue
			}
			if want.Data != "" && providers.CanonicalData(k.Type, want.Data) != providers.CanonicalData(k.Type, rrData(rr)) {
				continue
			}
			matched = true
			break
		}
		if !matched {
			keep = append(keep, rr)
			continue
		}
		one := providers.RRset{Name: k.Name, Type: k.Type, TTL: rr.Header().Ttl, Values: []string{rrData(rr)}}
		if got, err := one.Records(zone); err == nil {
			deleted = append(deleted, got...)
		}
	}
	z.rrs = keep
	return deleted
}

// update runs change on the zone under an exclusive lock and writes the
// result atomically, with the SOA serial bumped.
func (p *Provider) update(ctx context.Context, zone string, change func(*zoneData) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	path := p.Path(zone)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return p.errorf(zone, "create directory: %v", err)
	}
	unlock, err := lock(filepath.Join(filepath.Dir(path), ".topo.lock"))
	if err != nil {
		return p.errorf(zone, "lock: %v", err)
	}
	defer unlock()
	z, err := p.read(zone)
	if err != nil {
		return err
	}
	if err := change(z); err != nil {
		return err
	}
	p.ensureSOA(z)
	var buf bytes.Buffer
	z.write(&buf)
	// The last moment to give up: after this the rename is all or nothing.
	if err := ctx.Err(); err != nil {
		return err
	}
	return writeAtomic(path, buf.Bytes())
}

// ensureSOA bumps the serial, creating SOA and NS for a new zone.
func (p *Provider) ensureSOA(z *zoneData) {
	for _, rr := range z.rrs {
		if soa, ok := rr.(*dns.SOA); ok {
			soa.Serial++
			if soa.Serial == 0 {
				soa.Serial = 1
			}
			return
		}
	}
	ns := p.Nameserver
	if ns == "" {
		ns = "localhost."
	}
	mbox := p.Hostmaster
	if mbox == "" {
		mbox = "hostmaster." + z.origin
	}
	soa := &dns.SOA{
		Hdr:     dns.RR_Header{Name: z.origin, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 3600},
		Ns:      ns,
		Mbox:    mbox,
		Serial:  1,
		Refresh: 3600,
		Retry:   600,
		Expire:  1209600,
		Minttl:  300,
	}
	nsrr := &dns.NS{Hdr: dns.RR_Header{Name: z.origin, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 3600}, Ns: ns}
	z.rrs = append([]dns.RR{soa, nsrr}, z.rrs...)
}

// write prints the zone: $ORIGIN, then the SOA first (as a master file
// needs), then every other record in order.
func (z *zoneData) write(buf *bytes.Buffer) {
	w := bufio.NewWriter(buf)
	fmt.Fprintf(w, "; zone %s, written by topo. Records topo does not own are kept as they were.\n", z.origin)
	fmt.Fprintf(w, "$ORIGIN %s\n", z.origin)
	for _, rr := range z.rrs {
		if rr.Header().Rrtype == dns.TypeSOA {
			w.WriteString(rr.String())
			w.WriteByte('\n')
		}
	}
	for _, rr := range z.rrs {
		if rr.Header().Rrtype != dns.TypeSOA {
			w.WriteString(rr.String())
			w.WriteByte('\n')
		}
	}
	w.Flush()
}

// writeAtomic replaces path with data: temporary file, fsync, rename,
// fsync of the directory.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write zone file: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	mode := os.FileMode(0o644)
	if st, serr := os.Stat(path); serr == nil {
		mode = st.Mode().Perm()
	}
	if _, err = f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write zone file: %w", err)
	}
	if err = f.Chmod(mode); err != nil {
		f.Close()
		return fmt.Errorf("write zone file: %w", err)
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync zone file: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write zone file: %w", err)
	}
	if err = replaceFile(tmp, path); err != nil {
		return fmt.Errorf("replace zone file: %w", err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
