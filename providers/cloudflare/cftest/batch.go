package cftest

import (
	"fmt"
	"net/http"
)

type batchRequest struct {
	Deletes []input `json:"deletes"`
	Patches []input `json:"patches"`
	Puts    []input `json:"puts"`
	Posts   []input `json:"posts"`
}

type batchResult struct {
	Deletes []Record `json:"deletes"`
	Patches []Record `json:"patches"`
	Puts    []Record `json:"puts"`
	Posts   []Record `json:"posts"`
}

// undo remembers a record as it was before a batch operation, so that a
// failed batch can put the zone back exactly.
type undo struct {
	id      string
	prev    Record
	existed bool
}

// batch answers POST /zones/{zone}/dns_records/batch: all operations or
// none, in the order deletes, patches, puts, posts.
func (s *Server) batch(w http.ResponseWriter, r *http.Request) {
	var req batchRequest
	if !readJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	z, ok := s.zones[r.PathValue("zone")]
	if !ok {
		noZone(w, r)
		return
	}
	n := len(req.Deletes) + len(req.Patches) + len(req.Puts) + len(req.Posts)
	if n > s.opts.MaxBatch {
		writeError(w, http.StatusBadRequest, Message{Code: codeBatchTooLarge,
			Message: fmt.Sprintf("batch of %d operations exceeds this zone's limit of %d", n, s.opts.MaxBatch)})
		return
	}
	if s.failBatch == 0 {
		s.failBatch = -1
		writeError(w, http.StatusBadRequest, Message{Code: codeInjected, Message: "cftest: injected batch failure"})
		return
	}
	if s.failBatch > 0 {
		s.failBatch--
	}

	var (
		log  []undo
		errs []Message
		res  = batchResult{Deletes: []Record{}, Patches: []Record{}, Puts: []Record{}, Posts: []Record{}}
		now  = s.opts.Now().UTC()
	)
	save := func(id string) {
		prev, existed := z.records[id]
		log = append(log, undo{id: id, prev: prev, existed: existed})
	}
	fail := func(op string, i int, m Message) {
		m.Message = fmt.Sprintf("%s[%d]: %s", op, i, m.Message)
		errs = append(errs, m)
	}
	existing := func(op string, i int, in input) (Record, bool) {
		if in.ID == nil {
			fail(op, i, Message{Code: codeValidation, Message: "id is required"})
			return Record{}, false
		}
		old, ok := z.records[*in.ID]
		if !ok {
			fail(op, i, Message{Code: codeNoSuchRecord, Message: "Record does not exist."})
		}
		return old, ok
	}
	store := func(op string, i int, in input, old *Record) (Record, bool) {
		rec, msg := normalize(z.name, in)
		if msg == nil {
			if old != nil {
				rec.ID, rec.CreatedOn = old.ID, old.CreatedOn
			} else {
				rec.ID, rec.CreatedOn = s.newID("record"), now
			}
			rec.ModifiedOn = now
			msg = z.check(rec)
		}
		if msg != nil {
			fail(op, i, *msg)
			return Record{}, false
		}
		save(rec.ID)
		z.set(rec)
		return rec, true
	}

	for i, in := range req.Deletes {
		if old, ok := existing("deletes", i, in); ok {
			save(old.ID)
			z.remove(old.ID)
			res.Deletes = append(res.Deletes, old)
		}
	}
	for i, in := range req.Patches {
		if old, ok := existing("patches", i, in); ok {
			if rec, ok := store("patches", i, overlay(old.asInput(), in), &old); ok {
				res.Patches = append(res.Patches, rec)
			}
		}
	}
	for i, in := range req.Puts {
		if old, ok := existing("puts", i, in); ok {
			if rec, ok := store("puts", i, in, &old); ok {
				res.Puts = append(res.Puts, rec)
			}
		}
	}
	for i, in := range req.Posts {
		if rec, ok := store("posts", i, in, nil); ok {
			res.Posts = append(res.Posts, rec)
		}
	}

	if len(errs) > 0 {
		for i := len(log) - 1; i >= 0; i-- {
			u := log[i]
			if u.existed {
				z.set(u.prev)
			} else {
				z.remove(u.id)
			}
		}
		writeError(w, http.StatusBadRequest, errs...)
		return
	}
	writeResult(w, res, nil)
}
