package providers

import (
	"fmt"
	"slices"
)

// Index maps RRsets by key.
func Index(sets []RRset) map[Key]RRset {
	m := make(map[Key]RRset, len(sets))
	for _, s := range sets {
		m[s.Key()] = s
	}
	return m
}

// CheckPreconditions reports a ConflictError for the first edit whose Before
// does not match the zone's current RRsets (values, then TTL). Providers
// that read the whole zone before writing (zone files, APIs without
// conditional writes) share it, and so does an RFC 2136 provider naming
// the edit whose prerequisite the server refused.
func CheckPreconditions(zone string, current map[Key]RRset, edits []Edit) error {
	for _, e := range edits {
		cur, exists := current[e.Key()]
		switch {
		case e.Before == nil && exists:
			return &ConflictError{Zone: zone, Key: e.Key(), Detail: "it exists now"}
		case e.Before != nil && !exists:
			return &ConflictError{Zone: zone, Key: e.Key(), Detail: "it no longer exists"}
		case e.Before != nil && !slices.Equal(cur.Values, e.Before.Values):
			return &ConflictError{Zone: zone, Key: e.Key(), Detail: fmt.Sprintf("it holds %v now", cur.Values)}
		case e.Before != nil && cur.TTL != e.Before.TTL:
			return &ConflictError{Zone: zone, Key: e.Key(), Detail: fmt.Sprintf("its TTL is %d now, not %d", cur.TTL, e.Before.TTL)}
		}
	}
	return nil
}

// ApplyToIndex applies edits to an index of RRsets in place, without
// checking preconditions.
func ApplyToIndex(current map[Key]RRset, edits []Edit) {
	for _, e := range edits {
		if e.After == nil {
			delete(current, e.Key())
			continue
		}
		current[e.Key()] = e.After.Clone()
	}
}
