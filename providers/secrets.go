package providers

import (
	"regexp"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Secrets never reach an output: not a diagnostic's snippet, summary or
// detail (text, JSON, GitHub annotations), not an error, not a plan. A
// secret is the value of an attribute a provider kind marks secret
// (Kind.Secrets), of any attribute whose name is within edit distance 2 of
// one (a misspelt tsig_secrte holds the secret all the same), and the
// password of a URL.

// secretDistance is how far (edits, case ignored) an attribute's name may
// be from a secret one and still be taken for it.
const secretDistance = 2

// SecretName reports whether an attribute called name holds a secret:
// name is within edit distance 2 of one of secrets, case ignored.
func SecretName(name string, secrets []string) bool {
	name = strings.ToLower(name)
	for _, s := range secrets {
		if levenshtein.Distance(name, strings.ToLower(s), nil) <= secretDistance {
			return true
		}
	}
	return false
}

// SecretNames returns every kind's secret attribute names, sorted, once
// each.
func (r Registry) SecretNames() []string {
	var out []string
	for _, k := range r {
		out = append(out, k.Secrets...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// schemePattern finds where a URL's authority starts: after "scheme://".
var schemePattern = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://`)

// splitUserinfo finds the first URL userinfo in s: s[i:j] is the userinfo,
// s[j] its "@". As url.Parse reads it, the authority ends at the first "/",
// "?" or "#" (here also at a quote or line break, the end of a URL in a
// line of HCL), and the userinfo at its last "@". A password may hold
// spaces.
func splitUserinfo(s string) (i, j int, ok bool) {
	for _, m := range schemePattern.FindAllStringIndex(s, -1) {
		auth := s[m[1]:]
		if end := strings.IndexAny(auth, "/?#\"'\r\n"); end >= 0 {
			auth = auth[:end]
		}
		if at := strings.LastIndexByte(auth, '@'); at >= 0 {
			return m[1], m[1] + at, true
		}
	}
	return 0, 0, false
}

// hasUserinfo reports whether s holds a URL with userinfo.
func hasUserinfo(s string) bool {
	_, _, ok := splitUserinfo(s)
	return ok
}

// RedactURL returns raw with the password of its userinfo replaced by
// "xxxxx", as url.URL.Redacted does ("https://user:xxxxx@host/"), also
// when raw does not parse as a URL, and else unchanged (not normalised as
// url.URL.String would). The user name stays: it names who connects, and
// is not the credential.
func RedactURL(raw string) string {
	i, j, ok := splitUserinfo(raw)
	if !ok {
		return raw
	}
	user, _, has := strings.Cut(raw[i:j], ":")
	if !has {
		return raw
	}
	return raw[:i] + user + ":xxxxx" + raw[j:]
}

// urlPassword returns the password of the first URL userinfo in s, "" when
// there is none.
func urlPassword(s string) string {
	i, j, ok := splitUserinfo(s)
	if !ok {
		return ""
	}
	_, pw, _ := strings.Cut(s[i:j], ":")
	return pw
}

// SecretLine reports whether a line of a topology file may hold a secret,
// so that no snippet quotes it: it sets an attribute named within edit
// distance 2 of one of secrets, or it holds a URL with userinfo.
func SecretLine(line string, secrets []string) bool {
	if hasUserinfo(line) {
		return true
	}
	s := strings.TrimLeft(line, " \t")
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] == '-' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	if n == 0 {
		return false
	}
	rest := strings.TrimLeft(s[n:], " \t")
	return strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") && SecretName(s[:n], secrets)
}

// redactBlock makes the diagnostics of one provider block safe to print:
// each whose range overlaps an attribute holding a secret (its name close
// to one of secrets, or a URL with userinfo as its value) gets NoSnippet,
// and the secrets' values (as written, or as env() gives them) and URL
// passwords are cut out of every summary and detail.
func redactBlock(body hcl.Body, ectx *hcl.EvalContext, secrets []string, diags hcl.Diagnostics) {
	attrs, _ := body.JustAttributes()
	var ranges []hcl.Range
	var values []string
	urls := map[string]string{}
	for _, a := range attrs {
		str := ""
		if v, _ := a.Expr.Value(ectx); v.IsWhollyKnown() && !v.IsNull() && v.Type() == cty.String {
			str = v.AsString()
		}
		switch {
		case SecretName(a.Name, secrets):
			ranges = append(ranges, a.Range)
			if str != "" {
				values = append(values, str)
			}
		case hasUserinfo(str):
			ranges = append(ranges, a.Range)
			urls[str] = RedactURL(str)
			if pw := urlPassword(str); pw != "" {
				values = append(values, pw)
			}
		}
	}
	if len(ranges) == 0 {
		return
	}
	// Longest first, so that a secret holding another is cut whole.
	slices.SortFunc(values, func(a, b string) int { return len(b) - len(a) })
	clean := func(s string) string {
		for raw, red := range urls {
			s = strings.ReplaceAll(s, raw, red)
		}
		for _, v := range values {
			s = cutSecret(s, v)
		}
		return s
	}
	for _, d := range diags {
		d.Summary, d.Detail = clean(d.Summary), clean(d.Detail)
		for _, r := range []*hcl.Range{d.Subject, d.Context} {
			if r == nil {
				continue
			}
			if slices.ContainsFunc(ranges, func(s hcl.Range) bool { return s.Overlaps(*r) }) {
				if _, ok := hcl.DiagnosticExtra[NoSnippet](d); !ok {
					d.Extra = NoSnippet{Wrapped: d.Extra}
				}
			}
		}
	}
}

// cutSecret replaces each occurrence of secret in s that stands alone
// (not inside a longer word of letters, digits and + / = _ -, as a base64
// key or a token is written) with "(secret)". A short secret inside a
// longer word is not the secret, and cutting it would garble the text.
func cutSecret(s, secret string) string {
	if secret == "" {
		return s
	}
	var b strings.Builder
	last := 0 // s[:last] is written
	for from := 0; ; {
		i := strings.Index(s[from:], secret)
		if i < 0 {
			break
		}
		i += from
		end := i + len(secret)
		if (i == 0 || !tokenByte(s[i-1])) && (end == len(s) || !tokenByte(s[end])) {
			b.WriteString(s[last:i])
			b.WriteString("(secret)")
			last, from = end, end
		} else {
			from = i + 1
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

func tokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+/=_-", c) >= 0
}
