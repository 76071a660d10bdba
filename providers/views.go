package providers

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// ZoneUse is one zone, in one view, published through one provider: what
// CheckViews needs to know of a zone block.
type ZoneUse struct {
	// Zone is the zone's name as written; zones compare case-insensitively.
	Zone string
	// View is "internal", "external" or "both".
	View string
	// Provider is the reference the zone names ("rfc2136.corp").
	Provider string
	// DefRange is the zone block's header.
	DefRange hcl.Range
}

// CheckViews reports two views of one zone published through one provider
// that does not keep views apart (is not a [Viewer]): both would land in the
// same DNS zone, and each view's plan would delete the other's records.
// Providers that failed to open, or references that name no provider, are
// passed over: they have their own diagnostics.
func (s *Set) CheckViews(uses []ZoneUse) hcl.Diagnostics {
	type target struct{ zone, provider string }
	seen := map[target]ZoneUse{}
	var diags hcl.Diagnostics
	for _, u := range uses {
		t := target{ASCIILower(u.Zone), u.Provider}
		prev, ok := seen[t]
		seen[t] = u
		if !ok || prev.View == u.View {
			continue
		}
		p, err := s.provider(u.Provider)
		if err != nil {
			continue
		}
		if _, apart := p.(Viewer); apart {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Two views of a zone through one provider",
			Detail: fmt.Sprintf("Zone %q is declared for view %q at %s:%d:%d and for view %q here, both through provider %q. Each view must be a separate DNS zone: use a provider block per view (for example one TSIG key per BIND view, or a separate Cloudflare account for the public zone).",
				u.Zone, prev.View, prev.DefRange.Filename, prev.DefRange.Start.Line, prev.DefRange.Start.Column, u.View, u.Provider),
			Subject: u.DefRange.Ptr(),
		})
	}
	return diags
}
