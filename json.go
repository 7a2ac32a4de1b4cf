package posthogapi

import (
	"encoding/json"
	"io"
)

// marshalJSON encodes a request body.
func marshalJSON(v any) ([]byte, error) { return json.Marshal(v) }

// decodeJSON decodes one JSON value from r into v, streaming. Unknown fields
// are ignored (PostHog adds fields over time); trailing data after the value
// is not read.
func decodeJSON(r io.Reader, v any) error {
	return json.NewDecoder(r).Decode(v)
}
