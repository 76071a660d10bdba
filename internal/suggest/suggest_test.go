package suggest

import "testing"

func TestClosest(t *testing.T) {
	allowed := []string{"frontend", "director", "edge", "mediation"}
	for _, tc := range []struct {
		in, want string
	}{
		{"frontend", "frontend"},
		{"frontent", "frontend"},
		{"FrontEnd", "frontend"},
		{"directr", "director"},
		{"edg", "edge"},
		{"sql", ""},
		{"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Closest(tc.in, allowed); got != tc.want {
				t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
