package rfc2136

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/miekg/dns"
)

// tsigKey signs and verifies messages with one key. It implements
// dns.TsigProvider, so that the secret stays here and in no map that could
// be printed.
type tsigKey struct {
	name, algorithm string
	secret          []byte
}

var _ signer = (*tsigKey)(nil)

func (k *tsigKey) keyName() string                { return k.name }
func (k *tsigKey) algorithmName() string          { return k.algorithm }
func (k *tsigKey) who() string                    { return fmt.Sprintf("TSIG key %q", k.name) }
func (k *tsigKey) verifier(bool) dns.TsigProvider { return k }

// key returns the provider's TSIG key, nil when it sends unsigned messages.
func (p *Provider) key() (*tsigKey, error) {
	if p.TSIGKey == "" {
		return nil, nil
	}
	secret, err := base64.StdEncoding.DecodeString(p.TSIGSecret)
	if err != nil {
		// Never quote the secret, not even a part of it.
		return nil, fmt.Errorf("TSIG key %q: the secret is not valid base64", p.TSIGKey)
	}
	k := &tsigKey{name: dns.CanonicalName(p.TSIGKey), algorithm: dns.CanonicalName(p.algorithm()), secret: secret}
	if _, err := k.hash(); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *tsigKey) hash() (func() hash.Hash, error) {
	switch k.algorithm {
	case dns.HmacSHA256:
		return sha256.New, nil
	case dns.HmacSHA384:
		return sha512.New384, nil
	case dns.HmacSHA512:
		return sha512.New, nil
	}
	return nil, fmt.Errorf("TSIG key %q: unsupported algorithm %q (allowed: %s)", k.name, k.algorithm, strings.Join(Algorithms, ", "))
}

// Generate implements dns.TsigProvider.
func (k *tsigKey) Generate(msg []byte, t *dns.TSIG) ([]byte, error) {
	if dns.CanonicalName(t.Hdr.Name) != k.name {
		return nil, dns.ErrSecret
	}
	if dns.CanonicalName(t.Algorithm) != k.algorithm {
		return nil, dns.ErrKeyAlg
	}
	h, err := k.hash()
	if err != nil {
		return nil, err
	}
	m := hmac.New(h, k.secret)
	m.Write(msg)
	return m.Sum(nil), nil
}

// Verify implements dns.TsigProvider.
func (k *tsigKey) Verify(msg []byte, t *dns.TSIG) error {
	want, err := k.Generate(msg, t)
	if err != nil {
		return err
	}
	got, err := hex.DecodeString(t.MAC)
	if err != nil {
		return err
	}
	if !hmac.Equal(want, got) {
		return dns.ErrSig
	}
	return nil
}

// size is how many bytes the key's TSIG record adds to a message at most:
// room every UPDATE message must leave.
func (k *tsigKey) size() int {
	if k == nil {
		return 0
	}
	h, _ := k.hash()
	t := &dns.TSIG{
		Hdr:       dns.RR_Header{Name: k.name, Rrtype: dns.TypeTSIG, Class: dns.ClassANY},
		Algorithm: k.algorithm,
		MACSize:   uint16(h().Size()),
		MAC:       strings.Repeat("00", h().Size()),
		// BADTIME answers carry the server's time: 6 bytes.
		OtherLen:  6,
		OtherData: strings.Repeat("00", 6),
	}
	return dns.Len(t)
}
