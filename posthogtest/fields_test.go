package posthogtest

import (
	"net/http"
	"testing"
)

// TestFieldNullOnNonNullableField: DRF checks null before the value's type
// (Field.validate_empty_values, run by run_validation before
// to_internal_value), so null on a field the server does not let a client
// clear is a 400 "null", "This field may not be null.", whatever the
// field's type; a value of the wrong type is the field's own message.
func TestFieldNullOnNonNullableField(t *testing.T) {
	// Resource transfers are not for personal API keys on the newest
	// server; the legacy unscoped key reaches them.
	srv := newTestServer(t, LegacyUnscopedKeys())
	key := srv.NewAPIKey()
	org := "/api/organizations/" + srv.DefaultOrganization().ID.String() + "/"
	role := srv.AddRole(srv.DefaultOrganization().ID, "Engineering")
	memberships := org + "roles/" + role.ID.String() + "/role_memberships/"
	cases := []struct {
		name, method, path, body, attr, code, detail string
	}{
		{"boolean null", "PATCH", org, `{"enforce_verified_domains": null}`, "enforce_verified_domains", "null", "This field may not be null."},
		{"boolean of the wrong type", "PATCH", org, `{"enforce_verified_domains": "yes"}`, "enforce_verified_domains", "invalid_input", "Must be a valid boolean."},
		{"write-only boolean null", "POST", org + "invites/", `{"target_email": "a@example.com", "send_email": null}`, "send_email", "null", "This field may not be null."},
		{"email null", "POST", org + "invites/", `{"target_email": null}`, "target_email", "null", "This field may not be null."},
		{"uuid null", "POST", memberships, `{"user_uuid": null}`, "user_uuid", "null", "This field may not be null."},
		{"uuid of the wrong type", "POST", memberships, `{"user_uuid": 7}`, "user_uuid", "invalid_input", "Must be a valid UUID."},
		{"batch export paused null", "POST", org + "batch_exports/", `{"name": "x", "destination": ` + s3Dest + `, "interval": "hour", "paused": null}`, "paused", "null", "This field may not be null."},
		{"integer null", "POST", org + "resource_transfers/preview/", `{"source_team_id": null, "destination_team_id": 1, "resource_kind": "Dashboard", "resource_id": "1"}`, "source_team_id", "null", "This field may not be null."},
		{"integer of the wrong type", "POST", org + "resource_transfers/preview/", `{"source_team_id": "one", "destination_team_id": 1, "resource_kind": "Dashboard", "resource_id": "1"}`, "source_team_id", "invalid_input", "A valid integer is required."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawCall(t, srv, key, tc.method, tc.path, tc.body)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d: %v", status, body)
			}
			want := map[string]any{"type": "validation_error", "code": tc.code, "detail": tc.detail, "attr": tc.attr}
			for k, v := range want {
				if body[k] != v {
					t.Errorf("%s = %v, want %v", k, body[k], v)
				}
			}
		})
	}
}
