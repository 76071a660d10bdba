package httpretry

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// retryableStatus says whether a response with this status may be retried
// under s, and names the reason for OnRetry.
func retryableStatus(code int, s Safety) (bool, string) {
	reason := strconv.Itoa(code) + " " + http.StatusText(code)
	switch code {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		// Both mean the server turned the request away before acting on it.
		return true, reason
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		// A gateway failed; the origin may or may not have seen the request.
		return s == Idempotent, reason
	}
	return false, reason
}

// retryableError says whether a transport error may be retried under s.
func retryableError(err error, s Safety) (bool, string) {
	if isDialError(err) {
		// No connection, so nothing was sent: safe to retry anything.
		return true, "connect: " + rootCause(err).Error()
	}
	if s != Idempotent {
		return false, ""
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return true, "timeout"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true, "connection lost: " + rootCause(err).Error()
	}
	return false, ""
}

// NotSent reports whether err, from Do, shows that nothing of the request
// was sent: the connection could not be opened.
func NotSent(err error) bool { return isDialError(err) }

// isDialError reports an error opening the connection (refused, no route,
// a dial timeout): nothing of the request was sent.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func (p Policy) retryAfter(resp *http.Response) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	return max(at.Sub(now()), 0), true
}
