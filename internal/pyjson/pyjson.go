// Package pyjson measures JSON as Python's json.dumps writes it, for the
// PostHog limits that are checked on that text (both the client, before
// sending, and posthogtest, as the server, need the same count).
package pyjson

// ListLen is len(json.dumps(items)) in Python, as PostHog measures
// autocapture_exceptions_errors_to_ignore (posthog/api/team/
// settings_validation.py): ", " between items, and every character outside
// printable ASCII escaped (\uXXXX, a surrogate pair for characters beyond
// the BMP; \n, \", \\ and the like in two characters).
func ListLen(items []string) int {
	n := 2 + 2*max(len(items)-1, 0)
	for _, s := range items {
		n += 2
		for _, r := range s {
			switch {
			case r == '"' || r == '\\' || r == '\n' || r == '\r' || r == '\t' || r == '\b' || r == '\f':
				n += 2
			case r >= 0x20 && r < 0x7f:
				n++
			case r > 0xffff:
				n += 12
			default:
				n += 6
			}
		}
	}
	return n
}
