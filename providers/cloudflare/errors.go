package cloudflare

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/cloudflare/cloudflare-go/v6/dns"
)

// APIError is an error answer of the Cloudflare API, after retries.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Errors are the envelope's errors, in order.
	Errors []APIMessage
}

// APIMessage is one entry of an error envelope.
type APIMessage struct {
	Code    int64
	Message string
}

// maxShown bounds how many of an envelope's errors an error message lists;
// a refused batch of 3,500 operations may hold as many.
const maxShown = 5

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Unauthorized() {
		b.WriteString("Cloudflare rejected the API token (")
	}
	fmt.Fprintf(&b, "HTTP %d %s", e.Status, http.StatusText(e.Status))
	for i, m := range e.Errors {
		if i == maxShown {
			fmt.Fprintf(&b, "; and %d more", len(e.Errors)-maxShown)
			break
		}
		fmt.Fprintf(&b, "; %d: %s", m.Code, m.Message)
	}
	if e.Unauthorized() {
		b.WriteString("): check api_token, and that the token has the Zone:Read and DNS:Edit permissions on this zone")
	}
	return b.String()
}

// Unauthorized reports whether Cloudflare refused the token.
func (e *APIError) Unauthorized() bool {
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
}

// apiError turns cloudflare-go's error, whose message quotes the whole
// response body, into an *APIError; other errors pass unchanged.
func apiError(err error) error {
	var e *dns.Error
	if !errors.As(err, &e) {
		return err
	}
	out := &APIError{Status: e.StatusCode}
	for _, d := range e.Errors {
		out.Errors = append(out.Errors, APIMessage{Code: d.Code, Message: d.Message})
	}
	return out
}

// isNotFound reports an API answer saying the zone id does not exist.
func isNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}
