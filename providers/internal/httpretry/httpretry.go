// Package httpretry sends an HTTP request again when the failure says that
// is worth it and safe: rate limiting (429), a gateway or server that is
// briefly unavailable (502, 503, 504), a timeout or a dropped connection.
//
// Whether a request may be sent twice is the caller's call, made with
// [Safety]: a GET may always be repeated, but a write that the server may
// already have applied must not be, or a retry could apply it twice or undo
// a change somebody made in between. Such a request is only repeated when
// the failure proves the server did not act on it.
//
// The waits grow exponentially with jitter, honour Retry-After (seconds or
// an HTTP date), are bounded, and end early when the request's context is
// done. Sleep, clock and jitter are injectable so tests run instantly.
package httpretry

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"
)

// Safety says which failures allow sending a request again.
type Safety int

const (
	// Idempotent requests (every GET, and writes the caller knows are
	// harmless to repeat) are retried after any transient failure: 429, 502,
	// 503, 504, a timeout or a broken connection.
	Idempotent Safety = iota + 1
	// Unsafe requests are retried only when the failure shows the server did
	// not act on them: 429 Too Many Requests, 503 Service Unavailable, or a
	// connection that could not be opened. After a 500, 502, 504, a timeout
	// or a connection dropped mid-request the server may have applied the
	// request, so the failure is returned to the caller as it is.
	Unsafe
)

// Policy says how often and how long to retry. The zero value is ready to
// use: 4 attempts, waits starting at 250ms and doubling, none over 30s.
type Policy struct {
	// Attempts is the most requests sent for one call, the first included.
	// Zero means 4; 1 disables retries.
	Attempts int
	// BaseDelay is the wait before the first retry; each retry doubles it.
	// Zero means 250ms.
	BaseDelay time.Duration
	// MaxDelay caps one wait. It is also the longest Retry-After honoured: a
	// server asking to wait longer gets its answer returned to the caller
	// instead. Zero means 30s.
	MaxDelay time.Duration

	// Sleep waits d or until ctx is done, returning ctx.Err() then. Nil
	// means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock Retry-After dates are compared with. Nil means
	// time.Now.
	Now func() time.Time
	// Jitter returns a number in [0, 1) that spreads each backoff wait
	// between half and all of its nominal length. Nil means math/rand/v2.
	Jitter func() float64
	// OnRetry, when not nil, is told before each wait: which attempt failed
	// (1 for the first), why, and how long the wait is.
	OnRetry func(attempt int, reason string, wait time.Duration)
}

// Do sends req with c, retrying as p and s allow. It returns the last
// response, whatever its status, or the last error.
//
// A request with a body is only retried if req.GetBody is set, as
// http.NewRequest does for in-memory bodies; otherwise it is sent once.
// Responses that are retried are drained and closed; the one returned is
// the caller's to close.
func (p Policy) Do(c *http.Client, req *http.Request, s Safety) (*http.Response, error) {
	ctx := req.Context()
	attempts := p.attempts()
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		attempts = 1
	}
	for attempt := 1; ; attempt++ {
		try := req
		if attempt > 1 {
			var err error
			if try, err = rewind(req); err != nil {
				return nil, err
			}
		}
		resp, err := c.Do(try)
		if err != nil && ctx.Err() != nil {
			return nil, err // the caller gave up; the error says so
		}
		var wait time.Duration
		var reason string
		var retry bool
		if err != nil {
			retry, reason = retryableError(err, s)
			wait = p.backoff(attempt)
		} else {
			retry, reason = retryableStatus(resp.StatusCode, s)
			wait = p.backoff(attempt)
			if after, ok := p.retryAfter(resp); ok && retry {
				if after > p.maxDelay() {
					retry = false // the server asks for longer than we wait
				}
				wait = after
			}
		}
		if !retry || attempt >= attempts {
			if err != nil && attempt > 1 {
				return nil, fmt.Errorf("after %d attempts: %w", attempt, err)
			}
			return resp, err
		}
		if resp != nil {
			discard(resp)
		}
		if p.OnRetry != nil {
			p.OnRetry(attempt, reason, wait)
		}
		if err := p.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s %s: wait to retry after %s: %w", req.Method, req.URL.Redacted(), reason, err)
		}
	}
}

func rewind(req *http.Request) (*http.Request, error) {
	try := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("rewind request body: %w", err)
		}
		try.Body = body
	}
	return try, nil
}

// discard reads a little of an abandoned response so its connection can be
// reused, then closes it.
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

func (p Policy) attempts() int {
	if p.Attempts <= 0 {
		return 4
	}
	return p.Attempts
}

func (p Policy) maxDelay() time.Duration {
	if p.MaxDelay <= 0 {
		return 30 * time.Second
	}
	return p.MaxDelay
}

// backoff is the wait after the given failed attempt: BaseDelay doubled per
// earlier retry, capped, then spread over [d/2, d) so that clients that
// failed together do not retry together.
func (p Policy) backoff(attempt int) time.Duration {
	d := p.BaseDelay
	if d <= 0 {
		d = 250 * time.Millisecond
	}
	limit := p.maxDelay()
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	j := p.Jitter
	if j == nil {
		j = rand.Float64
	}
	return d/2 + time.Duration(j()*float64(d/2))
}

func (p Policy) sleep(ctx context.Context, d time.Duration) error {
	if p.Sleep != nil {
		return p.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
