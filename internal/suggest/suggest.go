// Package suggest is the "did you mean" of every diagnostic: the allowed
// value closest to a misspelt one. The topology language and the provider
// kinds share it, and neither knows the other.
package suggest

import (
	"strings"

	"github.com/agext/levenshtein"
)

// Closest returns the allowed value closest to v, if any is close enough
// (edit distance at most 2, case ignored) to be a likely typo; "" otherwise.
func Closest(v string, allowed []string) string {
	best, bestDist := "", 3
	for _, a := range allowed {
		if d := Distance(v, a); d < bestDist {
			best, bestDist = a, d
		}
	}
	return best
}

// Distance is the edit distance between a and b, case ignored.
func Distance(a, b string) int {
	return levenshtein.Distance(strings.ToLower(a), strings.ToLower(b), nil)
}
