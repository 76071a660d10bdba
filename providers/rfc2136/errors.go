package rfc2136

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// rcodeName prints an RCODE as RFCs spell it ("NXRRSET"), or its number.
func rcodeName(rcode int) string {
	if s, ok := dns.RcodeToString[rcode]; ok {
		return s
	}
	return "RCODE " + strconv.Itoa(rcode)
}

// isConflict reports whether an UPDATE's RCODE says a prerequisite failed.
func isConflict(rcode int) bool {
	switch rcode {
	case dns.RcodeNXRrset, dns.RcodeYXRrset, dns.RcodeNameError, dns.RcodeYXDomain:
		return true
	}
	return false
}

// tsigError explains an answer whose TSIG record carries an error. It names
// the key, never the secret.
func (p *Provider) tsigError(r *dns.Msg) error {
	t := r.IsTsig()
	if t == nil || t.Error == dns.RcodeSuccess {
		return nil
	}
	name := rcodeName(int(t.Error))
	if p.Auth == AuthGSS {
		return p.gssTSIGError(r, name, int(t.Error))
	}
	var why string
	switch int(t.Error) {
	case dns.RcodeBadSig:
		why = "the signature does not verify: the secret differs from the server's for this key"
	case dns.RcodeBadKey:
		why = fmt.Sprintf("the server does not know this key with algorithm %s: check the key's name and algorithm in its configuration", dns.CanonicalName(p.algorithm()))
	case dns.RcodeBadTime:
		why = "the clocks of this machine and the server differ by more than 5 minutes"
	default:
		why = "the server rejected the signature"
	}
	return fmt.Errorf("server %s rejected TSIG key %q (%s, %s): %s", p.Server, p.TSIGKey, rcodeName(r.Rcode), name, why)
}

// gssTSIGError explains an answer refusing a GSS-TSIG signature.
func (p *Provider) gssTSIGError(r *dns.Msg, name string, code int) error {
	var why string
	switch code {
	case dns.RcodeBadSig:
		why = "the signature does not verify with the negotiated security context"
	case dns.RcodeBadKey:
		why = fmt.Sprintf("the server does not know the negotiated security context (algorithm %s): it restarted or deleted it; run topo again", p.gssAlgorithm())
		if p.gssAlgorithm() != GSSTSIG {
			why += `, and if this persists set tsig_algorithm = "gss-tsig"`
		}
	case dns.RcodeBadTime:
		why = "the clocks of this machine and the server differ by more than 5 minutes"
	default:
		why = "the server rejected the signature"
	}
	return fmt.Errorf("server %s rejected the GSS-TSIG signature of %s (%s, %s): %s", p.Server, p.principal(), rcodeName(r.Rcode), name, why)
}

// answerError explains an unsuccessful answer to op ("update", "transfer")
// for zone, other than a failed prerequisite. It returns nil for NOERROR.
func (p *Provider) answerError(op, zone string, r *dns.Msg) error {
	if err := p.tsigError(r); err != nil {
		return err
	}
	name := rcodeName(r.Rcode)
	switch r.Rcode {
	case dns.RcodeSuccess:
		return nil
	case dns.RcodeRefused:
		if p.TSIGKey == "" {
			return fmt.Errorf("server %s refused the %s of zone %q (%s): the request is not signed; set tsig_key and tsig_secret to a key the zone's allow-%s accepts", p.Server, op, zone, name, op)
		}
		msg := fmt.Sprintf("server %s refused the %s of zone %q (%s): check allow-%s for key %q in the zone's configuration", p.Server, op, zone, name, op, p.TSIGKey)
		if op == "update" {
			msg += "; the server also refuses an update that would break the zone (an MX or NS target in the zone without an address, a CNAME beside other data): its log says which"
		}
		return errors.New(msg)
	case dns.RcodeNotAuth:
		if p.TSIGKey == "" {
			return fmt.Errorf("server %s is not authoritative for zone %q (%s): %w", p.Server, zone, name, providers.ErrZoneNotFound)
		}
		return fmt.Errorf("server %s is not authoritative for zone %q or the TSIG key %q is not accepted (%s): %w", p.Server, zone, p.TSIGKey, name, providers.ErrZoneNotFound)
	case dns.RcodeNotZone:
		return fmt.Errorf("server %s: a record of the %s is outside zone %q (%s)", p.Server, op, zone, name)
	case dns.RcodeServerFailure:
		return fmt.Errorf("server %s failed the %s of zone %q (%s): see the server's log", p.Server, op, zone, name)
	case dns.RcodeNotImplemented:
		return fmt.Errorf("server %s does not implement the %s of zone %q (%s)", p.Server, op, zone, name)
	}
	return fmt.Errorf("server %s answered the %s of zone %q with %s", p.Server, op, zone, name)
}
