package zonefile

import (
	"strconv"
	"time"
)

// nextSerial returns the SOA serial after old, written as text in the
// file, as BIND's "serial-update-method" does it: a serial that reads as
// a date (YYYYMMDDnn) becomes today's YYYYMMDD00 when that is later (RFC
// 1982), else old+1; any other serial is old+1. Serial arithmetic wraps
// past 2^32-1 and skips 0, which some secondaries read as "no serial".
func nextSerial(old uint32, text string, now time.Time) uint32 {
	next := old + 1
	if next == 0 {
		next = 1
	}
	if !isDateSerial(text) {
		return next
	}
	y, m, d := now.UTC().Date()
	today := uint32(y*10000+int(m)*100+d) * 100
	if serialLess(old, today) {
		return today
	}
	return next
}

// isDateSerial reports whether a serial as written is YYYYMMDDnn with a
// real date from 1970 on.
func isDateSerial(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	t, err := time.Parse("20060102", s[:8])
	return err == nil && t.Year() >= 1970
}

// serialLess is RFC 1982 section 3.2's "a < b" for 32-bit serials.
func serialLess(a, b uint32) bool {
	return a != b && b-a < 1<<31
}

// parseSerial reads a serial as written: a decimal number of 32 bits.
func parseSerial(s string) (uint32, bool) {
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}
