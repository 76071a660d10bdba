// Package sdkcheck holds topo's Cloudflare code and its local test server to
// cloudflare-go (github.com/cloudflare/cloudflare-go/v6), which Cloudflare
// generates from the OpenAPI description of its API: a check written by
// someone other than the authors of the code under test.
//
// Check decodes a JSON answer with the SDK's own response types and reports
// what those types cannot hold: keys they do not know, values their decoder
// refuses, keys they require that are missing. Capture records the request
// the SDK itself sends for a call, so that a hand-written request body can be
// compared with the SDK's serialization of the same operation. Set fills the
// SDK's request parameters, whose field type lives in an internal package of
// the SDK.
//
// It is used by tests only.
package sdkcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/option"
)

// Kind is what is wrong with one key of a JSON document.
type Kind int

const (
	// Unknown: the SDK's type has no field for the key; its value is lost.
	Unknown Kind = iota
	// Invalid: the SDK's type has a field, but its decoder refused the value
	// (a string where it wants a number, a malformed time stamp).
	Invalid
	// Missing: the SDK's type requires the key (api:"required"), and the
	// document lacks it, or holds null where the field is not nullable.
	Missing
)

func (k Kind) String() string {
	switch k {
	case Unknown:
		return "unknown to the SDK"
	case Invalid:
		return "refused by the SDK's decoder"
	case Missing:
		return "required by the SDK, missing"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Problem is one key of a document the SDK's type cannot hold.
type Problem struct {
	// Path is the key's place in the document: "result.posts[0].zone_id".
	Path string
	Kind Kind
}

func (p Problem) String() string { return p.Path + ": " + p.Kind.String() }

// Check decodes raw into v, a pointer to one of the SDK's response types,
// with the SDK's decoder, and returns every key of raw the type cannot
// hold, sorted by path. It fails only if raw is not JSON or the SDK's
// decoder fails as a whole.
//
// A union (a type with an AsUnion method, as dns.RecordResponse) is checked
// as the variant the SDK chose for the document. Fields of type
// interface{} take anything and are not looked into.
func Check(raw []byte, v any) ([]Problem, error) {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("the SDK cannot decode %T: %w", v, err)
	}
	var out []Problem
	walk("", doc, reflect.ValueOf(v), &out)
	slices.SortFunc(out, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

type field struct {
	value              reflect.Value
	meta               reflect.Value // the apijson.Field of the struct's JSON metadata
	required, nullable bool
}

var timeType = reflect.TypeFor[time.Time]()

func walk(path string, doc any, v reflect.Value, out *[]Problem) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if m := v.MethodByName("AsUnion"); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
		if u := m.Call(nil)[0]; u.Kind() == reflect.Interface && !u.IsNil() {
			walk(path, doc, u, out)
			return
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		obj, ok := doc.(map[string]any)
		if !ok || v.Type() == timeType {
			// A value of the wrong kind is reported by the parent's
			// metadata as invalid.
			return
		}
		fields := map[string]field{}
		collect(v, fields)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := join(path, k)
			f, ok := fields[k]
			switch {
			case !ok:
				*out = append(*out, Problem{p, Unknown})
			case invalid(f.meta):
				*out = append(*out, Problem{p, Invalid})
			default:
				walk(p, obj[k], f.value, out)
			}
		}
		for k, f := range fields {
			if val, ok := obj[k]; f.required && (!ok || val == nil && !f.nullable) {
				*out = append(*out, Problem{join(path, k), Missing})
			}
		}
	case reflect.Slice, reflect.Array:
		arr, ok := doc.([]any)
		if !ok {
			return
		}
		if v.Len() != len(arr) {
			*out = append(*out, Problem{path, Invalid})
		}
		for i := range min(v.Len(), len(arr)) {
			walk(fmt.Sprintf("%s[%d]", path, i), arr[i], v.Index(i), out)
		}
	case reflect.Map:
		obj, ok := doc.(map[string]any)
		if !ok || v.Type().Key().Kind() != reflect.String {
			return
		}
		for k, d := range obj {
			if e := v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())); e.IsValid() {
				walk(join(path, k), d, e, out)
			}
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// collect gathers the JSON fields of struct v, those of embedded structs
// first so that v's own fields win, as the SDK's decoder has it.
func collect(v reflect.Value, fields map[string]field) {
	t := v.Type()
	for i := range t.NumField() {
		if sf := t.Field(i); sf.Anonymous && sf.IsExported() && sf.Type.Kind() == reflect.Struct {
			collect(v.Field(i), fields)
		}
	}
	var meta reflect.Value
	if sf, ok := t.FieldByName("JSON"); ok && len(sf.Index) == 1 {
		meta = v.Field(sf.Index[0])
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous || !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		api := strings.Split(sf.Tag.Get("api"), ",")
		f := field{value: v.Field(i), required: slices.Contains(api, "required"), nullable: slices.Contains(api, "nullable")}
		if meta.IsValid() {
			f.meta = meta.FieldByName(sf.Name)
		}
		fields[name] = f
	}
}

// invalid reports whether an apijson.Field says its value did not decode.
func invalid(meta reflect.Value) bool {
	if !meta.IsValid() || !meta.CanInterface() {
		return false
	}
	f, ok := meta.Interface().(interface{ IsInvalid() bool })
	return ok && f.IsInvalid()
}

// Envelope keys and result_info totals that cloudflare-go's types leave
// out by design, not because the API lacks them: Cloudflare documents them
// all, and real answers carry them.
var (
	// PageExtras are the keys of a list answer that the SDK's page type
	// (pagination.V4PagePaginationArray, what RecordService.List and
	// ZoneService.List decode into) has no field for: the envelope, whose
	// errors its request code reads from failed answers only, and the
	// totals of result_info, without which its pager goes on until an
	// empty page.
	PageExtras = []string{"success", "errors", "messages", "result_info.count", "result_info.total_count", "result_info.total_pages"}
	// ErrorExtras are the keys of an error answer besides errors, which
	// the SDK's error type (dns.Error) does not keep.
	ErrorExtras = []string{"success", "messages", "result"}
)

// Without returns problems without the Unknown ones at the given paths.
func Without(problems []Problem, paths ...string) []Problem {
	var out []Problem
	for _, p := range problems {
		if p.Kind != Unknown || !slices.Contains(paths, p.Path) {
			out = append(out, p)
		}
	}
	return out
}

// Unset returns the path of every parameter marked api:"required" that
// params (request parameters of the SDK, or a slice or union of them)
// leaves unset, in the SDK's JSON names: "posts[0].ttl". The SDK sends
// such parameters without complaint; the API refuses them.
func Unset(params any) []string {
	var out []string
	unset("", reflect.ValueOf(params), &out)
	return out
}

func unset(path string, v reflect.Value, out *[]string) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			unset(fmt.Sprintf("%s[%d]", path, i), v.Index(i), out)
		}
	case reflect.Struct:
		if isParamField(v.Type()) {
			if v.FieldByName("Present").Bool() {
				unset(path, v.FieldByName("Value"), out)
			}
			return
		}
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			if sf.Anonymous {
				unset(path, v.Field(i), out)
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "" || name == "-" || !isParamField(sf.Type) {
				continue
			}
			p := join(path, name)
			if slices.Contains(strings.Split(sf.Tag.Get("api"), ","), "required") && !v.Field(i).FieldByName("Present").Bool() {
				*out = append(*out, p)
				continue
			}
			unset(p, v.Field(i), out)
		}
	}
}

// isParamField tells the SDK's param.Field[T] by its shape.
func isParamField(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	p, ok1 := t.FieldByName("Present")
	_, ok2 := t.FieldByName("Value")
	return ok1 && ok2 && p.Type.Kind() == reflect.Bool
}

// PageOf returns a new value of the page type a list method of the SDK
// decodes into (pagination.V4PagePaginationArray[T] for
// dns.RecordService.List and zones.ZoneService.List), without naming the
// SDK's pagination package: sdkcheck.PageOf((*dns.RecordService)(nil).List).
func PageOf[P, Q any](list func(context.Context, Q, ...option.RequestOption) (*P, error)) *P {
	return new(P)
}

// Set sets one of the SDK's request parameters, a param.Field[T], to v:
// what the SDK's root package does with cloudflare.F(v). It panics if f is
// not a param.Field of v's type.
func Set[F, T any](f *F, v T) {
	rv := reflect.ValueOf(f).Elem()
	rv.FieldByName("Value").Set(reflect.ValueOf(v))
	rv.FieldByName("Present").SetBool(true)
}

// Request is a request as the SDK sent it.
type Request struct {
	Method string
	// Path is the URL path below the API's base, without its leading
	// slash: "zones/0123/dns_records/batch".
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}

// Capture runs call with options pointing the SDK at a local server on
// 127.0.0.1, which answers every request with HTTP 200 and the JSON body
// answer, and returns the first request call made. The options also set an
// API token and turn retries off.
func Capture(t testing.TB, answer string, call func(opts ...option.RequestOption) error) Request {
	t.Helper()
	const base = "/client/v4/"
	var (
		mu   sync.Mutex
		reqs []Request
	)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		reqs = append(reqs, Request{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, base), Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
	defer ts.Close()
	err := call(option.WithBaseURL(ts.URL+base), option.WithHTTPClient(ts.Client()), option.WithAPIToken("sdkcheck-token"), option.WithMaxRetries(0))
	mu.Lock()
	defer mu.Unlock()
	if len(reqs) == 0 {
		t.Fatalf("sdkcheck: the SDK sent no request: %v", err)
	}
	if err != nil {
		t.Fatalf("sdkcheck: the SDK call failed: %v", err)
	}
	return reqs[0]
}
