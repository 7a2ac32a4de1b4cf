package posthogapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"sync"
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
// The body is read into a pooled buffer and decoded by json.Unmarshal,
// which decodes a whole buffer faster and with fewer allocations than a
// json.Decoder reading the stream (see PERFORMANCE.md). Decoded strings are
// copies, never views of the buffer, so the buffer is reused by the next
// call. When Unmarshal fails, which a good answer never makes it do, a
// json.Decoder decodes the body again into a zero value and has the last
// word, so that the errors and what is accepted are a Decoder's: a body
// cut short is io.ErrUnexpectedEOF, data after the value is ignored.
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
	if json.Unmarshal(body, v) == nil {
		return nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero() // what Unmarshal decoded before it failed
	}
	return json.NewDecoder(bytes.NewReader(body)).Decode(v)
}

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
