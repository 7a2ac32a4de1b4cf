package posthogtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// The helpers below validate one field of a JSON body the way DRF does,
// answering PostHog's 400 body on failure and returning false.

func isNull(raw json.RawMessage) bool { return strings.TrimSpace(string(raw)) == "null" }

// stringField reads a string field. A required field that is absent, null or
// blank is a 400 "required"/"blank"; maxLen > 0 bounds its length.
func (rc *reqCtx) stringField(f map[string]json.RawMessage, name string, required bool, maxLen int) (string, bool) {
	raw, present := f[name]
	if !present {
		if required {
			rc.required(name)
			return "", false
		}
		return "", true
	}
	if isNull(raw) {
		rc.invalid("null", "This field may not be null.", name)
		return "", false
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		rc.invalid("invalid", "Not a valid string.", name)
		return "", false
	}
	if required && strings.TrimSpace(v) == "" {
		rc.invalid("blank", "This field may not be blank.", name)
		return "", false
	}
	if maxLen > 0 && utf8.RuneCountInString(v) > maxLen {
		rc.invalid("max_length", fmt.Sprintf("Ensure this field has no more than %d characters.", maxLen), name)
		return "", false
	}
	return v, true
}

// optString sets *dst when the field is present (null not allowed).
func (rc *reqCtx) optString(f map[string]json.RawMessage, name string, maxLen int, dst *string) bool {
	if _, present := f[name]; !present {
		return true
	}
	v, ok := rc.stringField(f, name, false, maxLen)
	if ok {
		*dst = v
	}
	return ok
}

func (rc *reqCtx) boolField(f map[string]json.RawMessage, name string, dst *bool) bool {
	raw, present := f[name]
	if !present {
		return true
	}
	var v bool
	if isNull(raw) || json.Unmarshal(raw, &v) != nil {
		rc.invalid("invalid", "Must be a valid boolean.", name)
		return false
	}
	*dst = v
	return true
}

func (rc *reqCtx) nullableBoolField(f map[string]json.RawMessage, name string, dst **bool) bool {
	raw, present := f[name]
	if !present {
		return true
	}
	if isNull(raw) {
		*dst = nil
		return true
	}
	var v bool
	if json.Unmarshal(raw, &v) != nil {
		rc.invalid("invalid", "Must be a valid boolean.", name)
		return false
	}
	*dst = &v
	return true
}

func (rc *reqCtx) nullableStringField(f map[string]json.RawMessage, name string, dst **string) bool {
	raw, present := f[name]
	if !present {
		return true
	}
	if isNull(raw) {
		*dst = nil
		return true
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		rc.invalid("invalid", "Not a valid string.", name)
		return false
	}
	*dst = &v
	return true
}

func (rc *reqCtx) nullableUUIDField(f map[string]json.RawMessage, name string, dst **uuid.UUID) bool {
	raw, present := f[name]
	if !present {
		return true
	}
	if isNull(raw) {
		*dst = nil
		return true
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		rc.invalid("invalid", "Must be a valid UUID.", name)
		return false
	}
	id, err := uuid.Parse(v)
	if err != nil {
		rc.invalid("invalid", "Must be a valid UUID.", name)
		return false
	}
	*dst = &id
	return true
}

// intField reads an integer field; allowed, when not empty, lists the valid
// choices.
func (rc *reqCtx) intField(f map[string]json.RawMessage, name string, required bool, dst *int, allowed ...int) bool {
	raw, present := f[name]
	if !present {
		if required {
			rc.required(name)
			return false
		}
		return true
	}
	var v int
	if isNull(raw) || json.Unmarshal(raw, &v) != nil {
		rc.invalid("invalid", "A valid integer is required.", name)
		return false
	}
	if len(allowed) > 0 {
		found := false
		for _, a := range allowed {
			found = found || a == v
		}
		if !found {
			rc.invalid("invalid_choice", fmt.Sprintf(`"%d" is not a valid choice.`, v), name)
			return false
		}
	}
	*dst = v
	return true
}
