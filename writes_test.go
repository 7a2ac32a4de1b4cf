package posthogapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jarcoal/httpmock"
)

// cutBody is a 2xx answer whose body ends before its Content-Length.
func cutBody(status int, partial string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode:    status,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          io.NopCloser(io.MultiReader(strings.NewReader(partial), errReader{io.ErrUnexpectedEOF})),
			ContentLength: int64(len(partial) * 2),
		}, nil
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// A write answered 2xx whose answer cannot be read is done: its
// *DecodeError keeps status and path and matches ErrOutcomeUnknown; a
// read's does not.
func TestDecodeErrorOfWriteMatchesOutcomeUnknown(t *testing.T) {
	role := uuid.MustParse("0195c3a1-0000-7000-8000-00000000b001")
	for _, tc := range []struct {
		name      string
		responder httpmock.Responder
	}{
		{"malformed", httpmock.NewStringResponder(201, `{"id": "`)},
		{"wrong type", httpmock.NewStringResponder(201, `[1]`)},
		{"cut mid-body", cutBody(201, `{"id": "0195c3a1-0000`)},
		{"cut before the body", cutBody(200, ``)},
	} {
		c, mt := newMockClient(t)
		mt.RegisterResponder(http.MethodPost, api(testOrg.String()+"/roles/"), tc.responder)
		mt.RegisterResponder(http.MethodPatch, api(testOrg.String()+"/roles/"+role.String()+"/"), tc.responder)
		mt.RegisterResponder(http.MethodPut, api(testOrg.String()+"/roles/"+role.String()+"/"), tc.responder)
		mt.RegisterResponder(http.MethodGet, api(testOrg.String()+"/roles/"+role.String()+"/"), tc.responder)
		ctx := context.Background()
		_, errPost := c.Roles.Create(ctx, OrganizationID(testOrg), &RoleCreate{Name: "r"})
		_, errPatch := c.Roles.Update(ctx, OrganizationID(testOrg), RoleID(role), &RoleUpdate{Name: Ptr("r")})
		_, errPut := c.Roles.Replace(ctx, OrganizationID(testOrg), RoleID(role), &RoleCreate{Name: "r"})
		for method, err := range map[string]error{"POST": errPost, "PATCH": errPatch, "PUT": errPut} {
			var de *DecodeError
			if !errors.As(err, &de) || !de.WriteDone() || de.Method != method || de.StatusCode < 200 || de.StatusCode > 299 ||
				!strings.HasSuffix(de.Path, "/roles/") && !strings.HasSuffix(de.Path, role.String()+"/") {
				t.Errorf("%s %s: err = %#v, want a *DecodeError of a done write", tc.name, method, err)
			}
			if !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "the write was done") {
				t.Errorf("%s %s: %v does not match ErrOutcomeUnknown", tc.name, method, err)
			}
		}
		_, err := c.Roles.Get(ctx, OrganizationID(testOrg), RoleID(role))
		var de *DecodeError
		if !errors.As(err, &de) || de.WriteDone() || errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("%s GET: err = %v, want a DecodeError not matching ErrOutcomeUnknown", tc.name, err)
		}
		if n := mt.GetTotalCallCount(); n != 4 {
			t.Errorf("%s: %d calls, want 4 (nothing re-sent)", tc.name, n)
		}
	}
	// Only 2xx answers to writes are done writes.
	for _, de := range []*DecodeError{{StatusCode: 302, Method: http.MethodPost}, {StatusCode: 200, Method: ""}, {StatusCode: 200, Method: http.MethodHead}} {
		if de.WriteDone() || errors.Is(de, ErrOutcomeUnknown) {
			t.Errorf("%+v reported as a done write", de)
		}
	}
	if de := (&DecodeError{StatusCode: 204, Method: http.MethodDelete}); !de.WriteDone() || !errors.Is(de, ErrOutcomeUnknown) {
		t.Errorf("DELETE 204 DecodeError not a done write")
	}
}
