package posthogapi

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
)

// marshalJSON encodes a request body.
func marshalJSON(v any) ([]byte, error) { return json.Marshal(v) }

// errNullAnswer: the answer was JSON null where an object or list was
// expected; decoding it would silently return a zero value.
var errNullAnswer = errors.New("answer is JSON null")

// decodeJSON decodes one JSON value from r into v, streaming. Unknown fields
// are ignored (PostHog adds fields over time); trailing data after the value
// is not read. An empty answer is io.EOF; a top-level null is refused.
func decodeJSON(r io.Reader, v any) error {
	br := bufio.NewReader(r)
	for {
		c, err := br.ReadByte()
		if err != nil {
			return err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case 'n':
			return errNullAnswer
		}
		_ = br.UnreadByte()
		return json.NewDecoder(br).Decode(v)
	}
}
