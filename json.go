package posthogapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"sync"

	gojson "github.com/goccy/go-json"
)

// marshalJSON encodes a request body. Request bodies are small; encoding/json
// keeps `omitzero` and the Nullable methods exactly as documented.
func marshalJSON(v any) ([]byte, error) { return json.Marshal(v) }

// errNullAnswer: the answer was JSON null where an object or list was
// expected; decoding it would silently return a zero value.
var errNullAnswer = errors.New("answer is JSON null")

// decodeJSON decodes the JSON value at the start of r into v. Unknown
// fields are ignored (PostHog adds fields over time); data after the value
// is ignored. An empty or blank answer is io.EOF (callers that accept an
// empty answer test for it); a top-level null is refused; a failure to read
// r is returned as is.
//
// The body is read into a pooled buffer and decoded by goccy/go-json, which
// decodes PostHog's pages 4 to 5 times faster than encoding/json and
// allocates less (see PERFORMANCE.md). Decoded strings are copies, never
// views of the buffer, so the buffer is reused by the next call. When goccy
// fails, which a good answer never makes it do, encoding/json's Decoder
// decodes the body again and has the last word: errors are encoding/json's
// (*json.SyntaxError, *json.UnmarshalTypeError, io.ErrUnexpectedEOF), with
// its messages, and what it accepts (such as data after the value) is
// accepted. decoder_test.go checks that both decoders agree on every type;
// the one known difference is an object that repeats the key of a list of
// objects, which PostHog never sends (TestDecoderRepeatedCompositeKey).
func decodeJSON(r io.Reader, v any) error {
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBodyBuffer(buf)
	if _, err := buf.ReadFrom(r); err != nil {
		return err
	}
	body := bytes.TrimLeft(buf.Bytes(), " \t\r\n")
	switch {
	case len(body) == 0:
		return io.EOF
	case body[0] == 'n':
		return errNullAnswer
	}
	if unmarshalJSON(body, v) == nil {
		return nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero() // what goccy decoded before it failed
	}
	return json.NewDecoder(bytes.NewReader(body)).Decode(v)
}

// unmarshalJSON decodes the JSON value b into v with goccy/go-json.
func unmarshalJSON(b []byte, v any) error { return gojson.Unmarshal(b, v) }

// maxPooledBody is the largest buffer kept for reuse: a page of 100 members
// is about 66 KB; an unusually large answer is left to the garbage collector
// rather than kept alive by the pool.
const maxPooledBody = 1 << 20

var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBodyBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBody {
		return
	}
	b.Reset()
	bodyBuffers.Put(b)
}
