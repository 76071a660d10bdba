package cftest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// zone is one zone's records. Callers hold Server.mu.
type zone struct {
	id, name string
	created  time.Time
	records  map[string]Record              // by id
	byName   map[string]map[string]struct{} // name -> ids
	sorted   []Record                       // listing order; nil when stale
}

func (z *zone) set(r Record) {
	if old, ok := z.records[r.ID]; ok && old.Name != r.Name {
		z.unindex(old)
	}
	z.records[r.ID] = r
	if z.byName[r.Name] == nil {
		z.byName[r.Name] = map[string]struct{}{}
	}
	z.byName[r.Name][r.ID] = struct{}{}
	z.sorted = nil
}

func (z *zone) remove(id string) {
	if old, ok := z.records[id]; ok {
		z.unindex(old)
		delete(z.records, id)
		z.sorted = nil
	}
}

func (z *zone) unindex(r Record) {
	delete(z.byName[r.Name], r.ID)
	if len(z.byName[r.Name]) == 0 {
		delete(z.byName, r.Name)
	}
}

// atName returns the records named name, except the one with id skip.
func (z *zone) atName(name, skip string) []Record {
	var out []Record
	for id := range z.byName[name] {
		if id != skip {
			out = append(out, z.records[id])
		}
	}
	return out
}

// check applies the API's rules about records sharing a name: no two
// identical records, and a CNAME alone at its name.
func (z *zone) check(r Record) *Message {
	for _, o := range z.atName(r.Name, r.ID) {
		switch {
		case identical(o, r):
			return &Message{Code: codeIdentical, Message: fmt.Sprintf("An identical record already exists. (%s %s %s)", r.Name, r.Type, r.Content)}
		case r.Type == "CNAME" || o.Type == "CNAME":
			return &Message{Code: codeCNAMEConflict, Message: fmt.Sprintf("A CNAME record cannot share its name with other records (%s %s, %s exists)", r.Name, r.Type, o.Type)}
		}
	}
	return nil
}

// list returns the records in the order listings page through: by name,
// type, content and id.
func (z *zone) list() []Record {
	if z.sorted == nil {
		z.sorted = slices.SortedFunc(maps.Values(z.records), func(a, b Record) int {
			return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type),
				cmp.Compare(a.Content, b.Content), cmp.Compare(a.ID, b.ID))
		})
	}
	return z.sorted
}

// AddZone creates an empty zone named name ("contoso.com") and returns its id.
func (s *Server) AddZone(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	z := &zone{id: s.newID("zone"), name: name, created: s.opts.Now().UTC(), records: map[string]Record{}, byName: map[string]map[string]struct{}{}}
	s.zones[z.id] = z
	return z.id
}

// ZoneID returns the id of the zone named name, or "" if there is none.
func (s *Server) ZoneID(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z := s.zoneByName(name); z != nil {
		return z.id
	}
	return ""
}

func (s *Server) zoneByName(name string) *zone {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	for _, z := range s.zones {
		if z.name == name {
			return z
		}
	}
	return nil
}

// Seed creates records in the zone named zoneName directly, as another
// client of the API would: the API's rules apply (complete names, valid
// content, no identical records), but no request is made or counted and no
// fault is injected. Data, Priority, Content, TTL (0 means automatic),
// Proxied and Comment are read as a POST reads them. It returns the records
// as stored, with their ids.
func (s *Server) Seed(t testing.TB, zoneName string, recs ...Record) []Record {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.zoneByName(zoneName)
	if z == nil {
		t.Fatalf("cftest: seed: no zone %q", zoneName)
		return nil
	}
	out := make([]Record, 0, len(recs))
	for _, in := range recs {
		if in.TTL == 0 {
			in.TTL = 1
		}
		ri := in.asInput()
		ri.Data = in.Data
		r, msg := normalize(z.name, ri)
		if msg == nil {
			msg = z.check(r)
		}
		if msg != nil {
			t.Fatalf("cftest: seed %s %s %q: %d %s", in.Name, in.Type, in.Content, msg.Code, msg.Message)
			return nil
		}
		r.ID = s.newID("record")
		r.CreatedOn = s.opts.Now().UTC()
		r.ModifiedOn = r.CreatedOn
		z.set(r)
		out = append(out, r)
	}
	return out
}

// Remove deletes records of the zone named zoneName by id, directly, as
// another client would; unknown ids fail the test.
func (s *Server) Remove(t testing.TB, zoneName string, ids ...string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.zoneByName(zoneName)
	if z == nil {
		t.Fatalf("cftest: remove: no zone %q", zoneName)
		return
	}
	for _, id := range ids {
		if _, ok := z.records[id]; !ok {
			t.Fatalf("cftest: remove: no record %q in zone %q", id, zoneName)
			return
		}
		z.remove(id)
	}
}

// Records returns a snapshot of the zone named zoneName, in listing order.
func (s *Server) Records(zoneName string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	z := s.zoneByName(zoneName)
	if z == nil {
		return nil
	}
	return slices.Clone(z.list())
}

// zoneJSON is a zone as the API shows it, with every field cloudflare-go's
// zones.Zone requires; topo reads only the id and the name.
type zoneJSON struct {
	ID                  string    `json:"id"`
	Name                string    `json:"name"`
	Status              string    `json:"status"`
	Type                string    `json:"type"`
	Paused              bool      `json:"paused"`
	DevelopmentMode     int       `json:"development_mode"`
	NameServers         []string  `json:"name_servers"`
	OriginalNameServers []string  `json:"original_name_servers"`
	OriginalRegistrar   *string   `json:"original_registrar"`
	OriginalDNSHost     *string   `json:"original_dnshost"`
	CreatedOn           time.Time `json:"created_on"`
	ModifiedOn          time.Time `json:"modified_on"`
	ActivatedOn         time.Time `json:"activated_on"`
	Account             struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"account"`
	Owner struct {
		ID   *string `json:"id"`
		Name string  `json:"name"`
		Type string  `json:"type"`
	} `json:"owner"`
	Meta struct {
		Step                   int  `json:"step"`
		CustomCertificateQuota int  `json:"custom_certificate_quota"`
		PageRuleQuota          int  `json:"page_rule_quota"`
		PhishingDetected       bool `json:"phishing_detected"`
	} `json:"meta"`
	Plan struct {
		ID                string  `json:"id"`
		Name              string  `json:"name"`
		Price             float64 `json:"price"`
		Currency          string  `json:"currency"`
		Frequency         string  `json:"frequency"`
		IsSubscribed      bool    `json:"is_subscribed"`
		CanSubscribe      bool    `json:"can_subscribe"`
		LegacyID          string  `json:"legacy_id"`
		LegacyDiscount    bool    `json:"legacy_discount"`
		ExternallyManaged bool    `json:"externally_managed"`
	} `json:"plan"`
}

func (z *zone) json() zoneJSON {
	j := zoneJSON{
		ID: z.id, Name: z.name, Status: "active", Type: "full",
		NameServers: []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"},
		CreatedOn:   z.created, ModifiedOn: z.created, ActivatedOn: z.created,
	}
	j.Account.ID, j.Account.Name = accountID, "cftest"
	j.Owner.Name, j.Owner.Type = "cftest", "user"
	j.Meta.Step, j.Meta.PageRuleQuota = 2, 3
	j.Plan.ID, j.Plan.Name, j.Plan.Currency, j.Plan.LegacyID = freePlanID, "Free Website", "USD", "free"
	return j
}

// The account every zone belongs to, and the free plan's id.
const (
	accountID  = "01a7362d577a6c3019a474fd6f485823"
	freePlanID = "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
)

// listZones answers GET /zones, with the name filter topo uses.
func (s *Server) listZones(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(strings.ToLower(r.URL.Query().Get("name")), ".")
	s.mu.Lock()
	var found []zoneJSON
	for _, z := range s.zones {
		if name == "" || z.name == name {
			found = append(found, z.json())
		}
	}
	s.mu.Unlock()
	slices.SortFunc(found, func(a, b zoneJSON) int { return cmp.Compare(a.Name, b.Name) })
	page, perPage, ok := paging(w, r, 20, 50)
	if !ok {
		return
	}
	items, info := paginate(found, page, perPage)
	writeResult(w, items, info)
}

// getZone answers GET /zones/{zone}.
func (s *Server) getZone(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	z, ok := s.zones[r.PathValue("zone")]
	s.mu.Unlock()
	if !ok {
		noZone(w, r)
		return
	}
	writeResult(w, z.json(), nil)
}

// listRecords answers GET /zones/{zone}/dns_records with page and per_page.
func (s *Server) listRecords(w http.ResponseWriter, r *http.Request) {
	page, perPage, ok := paging(w, r, 100, s.opts.MaxPerPage)
	if !ok {
		return
	}
	if s.opts.PageSize > 0 {
		perPage = s.opts.PageSize
	}
	s.mu.Lock()
	z, found := s.zones[r.PathValue("zone")]
	var items []Record
	var info *ResultInfo
	if found {
		items, info = paginate(z.list(), page, perPage)
		items = slices.Clone(items)
	}
	s.mu.Unlock()
	if !found {
		noZone(w, r)
		return
	}
	if s.opts.BareResultInfo {
		writeResult(w, items, bareResultInfo{Page: info.Page, PerPage: info.PerPage})
		return
	}
	writeResult(w, items, info)
}

func noZone(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, Message{Code: codeNoRoute,
		Message: fmt.Sprintf("Could not route to %s, perhaps your object identifier is invalid?", r.URL.Path)})
}

// paging reads page and per_page; per_page above max is lowered to max.
func paging(w http.ResponseWriter, r *http.Request, def, max int) (page, perPage int, ok bool) {
	page, perPage = 1, def
	q := r.URL.Query()
	for key, dst := range map[string]*int{"page": &page, "per_page": &perPage} {
		v := q.Get(key)
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 1 || f != float64(int(f)) {
			writeError(w, http.StatusBadRequest, Message{Code: codeValidation, Message: fmt.Sprintf("Invalid %s: %q", key, v)})
			return 0, 0, false
		}
		*dst = int(f)
	}
	return page, min(perPage, max), true
}

func paginate[T any](all []T, page, perPage int) ([]T, *ResultInfo) {
	info := &ResultInfo{Page: page, PerPage: perPage, TotalCount: len(all), TotalPages: (len(all) + perPage - 1) / perPage}
	lo := min((page-1)*perPage, len(all))
	hi := min(lo+perPage, len(all))
	items := all[lo:hi:hi]
	if items == nil {
		items = []T{}
	}
	info.Count = len(items)
	return items, info
}
