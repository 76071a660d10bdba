package rfc2136

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// krbConfig is the Kerberos configuration a negotiation uses, and where it
// came from, to name the KDCs in messages.
type krbConfig struct {
	contents string
	source   string // the krb5.conf's path, or how it was made
	realm    string
	cfg      *config.Config
}

// builtKrb5Conf is the krb5.conf used when there is none: the domain
// controller topo writes to is also the realm's KDC.
func builtKrb5Conf(realm, kdc string) string {
	return fmt.Sprintf(`[libdefaults]
	default_realm = %[1]s
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	udp_preference_limit = 1

[realms]
	%[1]s = {
		kdc = %[2]s
	}
`, realm, net.JoinHostPort(kdc, "88"))
}

func parseKrbConfig(contents, source, realm string) (*krbConfig, error) {
	cfg, err := config.NewFromString(contents)
	if err != nil {
		return nil, fmt.Errorf("krb5.conf %s: %w", source, err)
	}
	k := &krbConfig{contents: contents, source: source, realm: strings.ToUpper(realm), cfg: cfg}
	if k.realm == "" {
		k.realm = cfg.LibDefaults.DefaultRealm
	}
	if k.realm != "" && len(k.kdcs()) == 0 && !cfg.LibDefaults.DNSLookupKDC {
		return nil, fmt.Errorf("krb5.conf %s names no KDC for realm %s and dns_lookup_kdc is off: add %s = { kdc = <domain controller> } to its [realms]", source, k.realm, k.realm)
	}
	return k, nil
}

// kdcs lists the KDCs the configuration names for the realm.
func (k *krbConfig) kdcs() []string {
	if k.cfg == nil {
		return nil
	}
	for _, r := range k.cfg.Realms {
		if strings.EqualFold(r.Realm, k.realm) {
			return r.KDC
		}
	}
	return nil
}

func (k *krbConfig) describeKDCs() string {
	ks := k.kdcs()
	if len(ks) == 0 {
		if k.cfg != nil && k.cfg.LibDefaults.DNSLookupKDC {
			return fmt.Sprintf("the KDCs DNS lists for %s (_kerberos._tcp SRV records; dns_lookup_kdc in %s)", k.realm, k.source)
		}
		return "no KDC (" + k.source + ")"
	}
	return strings.Join(ks, ", ") + " (from " + k.source + ")"
}

// Kerberos error codes (RFC 4120 section 7.5.9) topo words for operators.
var krbCodes = map[string]int32{
	"KDC_ERR_C_PRINCIPAL_UNKNOWN": 6,
	"KDC_ERR_S_PRINCIPAL_UNKNOWN": 7,
	"KDC_ERR_CLIENT_REVOKED":      18,
	"KDC_ERR_KEY_EXPIRED":         23,
	"KDC_ERR_PREAUTH_FAILED":      24,
	"KRB_AP_ERR_BAD_INTEGRITY":    31,
	"KRB_AP_ERR_SKEW":             37,
	"KRB_AP_ERR_MODIFIED":         41,
}

// krbCode finds the Kerberos error code in a gokrb5 error, which keeps it
// only in its text ("KRB Error: (24) KDC_ERR_PREAUTH_FAILED ...").
func krbCode(err error) (int32, bool) {
	var ke messages.KRBError
	if errors.As(err, &ke) {
		return ke.ErrorCode, true
	}
	s := err.Error()
	names := make([]string, 0, len(krbCodes))
	for n := range krbCodes {
		names = append(names, n)
	}
	// Longest first: no name is a prefix of another, but stay safe.
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, n := range names {
		if strings.Contains(s, n) {
			return krbCodes[n], true
		}
	}
	return 0, false
}

// gssError words a failed GSS-TSIG negotiation in the operator's terms. It
// never includes the password: neither gokrb5's errors nor these do.
func (p *Provider) gssError(err error, kc *krbConfig) error {
	who := p.principal()
	spn := "DNS/" + p.spnHost()
	if kc.realm != "" {
		spn += "@" + kc.realm
	}
	var msg string
	code, isKrb := krbCode(err)
	text := err.Error()
	switch {
	case isKrb && code == 6:
		msg = fmt.Sprintf("Kerberos does not know the account %s: check username (the logon name, without the domain) and realm (the domain's DNS name in capitals)", who)
	case isKrb && (code == 24 || code == 31) && p.Keytab != "":
		msg = fmt.Sprintf("the KDC refused the key of %s in keytab %s: the account's password changed since the keytab was made; make it again (ktpass on the domain controller)", who, p.Keytab)
	case isKrb && (code == 24 || code == 31):
		msg = fmt.Sprintf("the KDC refused the password of %s: the password is wrong (it is not shown), or the account's password changed", who)
	case isKrb && code == 18:
		msg = fmt.Sprintf("the account %s is disabled or locked out", who)
	case isKrb && code == 23:
		msg = fmt.Sprintf("the password of %s has expired: set a new one (a service account's password should not expire)", who)
	case isKrb && code == 37:
		msg = p.skewMessage(kc)
	case isKrb && code == 7:
		msg = fmt.Sprintf("the KDC knows no service principal %s: set server_name to the DNS server's host name as the domain knows it, the domain controller's full name (setspn -L <DC> lists its SPNs), not an address or an alias", spn)
	case strings.Contains(text, "Networking_Error") || strings.Contains(text, "error dialing") || strings.Contains(text, "communication error with KDC"):
		msg = fmt.Sprintf("cannot reach a KDC of realm %s: tried %s; check the address, and that the KDC's port (88 unless krb5.conf says otherwise) is reachable from here", kc.realm, kc.describeKDCs())
	case strings.Contains(text, "KRB5CCNAME") || strings.Contains(text, "krb5cc_"):
		msg = "no Kerberos credentials: set username with password or keytab in the provider block, or run kinit first (the credential cache is KRB5CCNAME)"
	case strings.Contains(text, "DNS error") || strings.Contains(text, "TKEY error"):
		msg = fmt.Sprintf("server %s refused to set up a GSS-TSIG context for %s (%s): check that it accepts secure dynamic updates with Kerberos (BIND: tkey-gssapi-keytab holds %s; Windows: the zone allows secure updates)", p.Server, spn, strings.TrimSpace(text), spn)
	default:
		msg = "Kerberos: " + text
	}
	return fmt.Errorf("GSS-TSIG as %s with %s: %s", who, p.Server, msg)
}

// skewMessage says by how much the clocks differ, asking the KDC its
// time: every KDC error carries it.
func (p *Provider) skewMessage(kc *krbConfig) string {
	now := time.Now().UTC()
	msg := "the clocks of this machine and the KDC differ by more than Kerberos allows (it needs them within 5 minutes)"
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	kdc, kdcTime, err := kdcClock(ctx, kc, p.Username)
	if err != nil {
		return msg + fmt.Sprintf(": this machine says %s; the KDC's time could not be read (%v)", now.Format(time.RFC3339), err)
	}
	return msg + fmt.Sprintf(": this machine says %s, the KDC %s says %s (%s apart); set both from the same time source", now.Format(time.RFC3339), kdc, kdcTime.UTC().Format(time.RFC3339), now.Sub(kdcTime).Abs().Round(time.Second))
}

// kdcClock asks a KDC of the realm for its time: an AS-REQ without
// pre-authentication is answered with an error that carries it.
func kdcClock(ctx context.Context, kc *krbConfig, user string) (string, time.Time, error) {
	if kc.cfg == nil || len(kc.kdcs()) == 0 {
		return "", time.Time{}, errors.New("no KDC address known")
	}
	if user == "" {
		user = "krbtgt"
	}
	req, err := messages.NewASReqForTGT(kc.realm, kc.cfg, types.NewPrincipalName(1, user))
	if err != nil {
		return "", time.Time{}, err
	}
	b, err := req.Marshal()
	if err != nil {
		return "", time.Time{}, err
	}
	var errs []error
	for _, kdc := range kc.kdcs() {
		if _, _, err := net.SplitHostPort(kdc); err != nil {
			kdc = net.JoinHostPort(kdc, "88")
		}
		t, err := askKDC(ctx, kdc, b)
		if err == nil {
			return kdc, t, nil
		}
		errs = append(errs, err)
	}
	return "", time.Time{}, errors.Join(errs...)
}

func askKDC(ctx context.Context, kdc string, req []byte) (time.Time, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", kdc)
	if err != nil {
		return time.Time{}, err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(len(req)))
	if _, err := c.Write(append(out, req...)); err != nil {
		return time.Time{}, err
	}
	var n [4]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return time.Time{}, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > 1<<20 {
		return time.Time{}, fmt.Errorf("KDC answer of %d bytes", size)
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(c, buf); err != nil {
		return time.Time{}, err
	}
	var ke messages.KRBError
	if err := ke.Unmarshal(buf); err != nil {
		return time.Time{}, fmt.Errorf("KDC answer is not a Kerberos error: %w", err)
	}
	return ke.STime, nil
}

// gssRefused explains an UPDATE the server refused although it was signed
// with GSS-TSIG: the zone's ACL (Windows: the records' ACLs, BIND: its
// update-policy) does not let the account write a name of the message.
func (p *Provider) gssRefused(zone string, c chunk) error {
	seen := map[string]bool{}
	var names []string
	for _, rr := range c.msg.Ns {
		n := providers.CanonicalName(rr.Header().Name)
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	record := "the records of the update"
	switch {
	case len(names) == 1:
		record = names[0]
	case len(names) > 1 && len(names) <= 5:
		record = "one of " + strings.Join(names, ", ")
	case len(names) > 5:
		record = fmt.Sprintf("one of %s and %d more", strings.Join(names[:5], ", "), len(names)-5)
	}
	return fmt.Errorf("server %s refused the update of zone %q (%s) signed by %s: the account may not write %s; in a secure zone a record created by another account is owned by it: grant the account write access to the zone or the record, or delete the record as its owner",
		p.Server, zone, rcodeName(dns.RcodeRefused), p.principal(), record)
}
