package posthogtest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hogkit/posthogapi/internal/emails"
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
	v, ok := rc.rawString(raw, name)
	if !ok {
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

// rawString reads a string value, answered for attr: null is a 400 "null",
// any other value that is not a string a 400 "Not a valid string.".
// PostHog: DRF rest_framework/fields.py CharField.to_internal_value.
func (rc *reqCtx) rawString(raw json.RawMessage, attr string) (string, bool) {
	return value[string](rc, raw, attr, "Not a valid string.")
}

// value reads a field's value as a T, answered for attr: null is DRF's 400
// "null" ("This field may not be null."), checked before the value's type;
// a value that is not a T is a 400 "invalid" with msg.
// PostHog: DRF rest_framework/fields.py Field.validate_empty_values (run by
// run_validation before to_internal_value).
func value[T any](rc *reqCtx, raw json.RawMessage, attr, msg string) (v T, ok bool) {
	switch {
	case isNull(raw):
		rc.invalid("null", "This field may not be null.", attr)
		return v, false
	case json.Unmarshal(raw, &v) != nil:
		rc.invalid("invalid", msg, attr)
		return v, false
	}
	return v, true
}

// optional reads the optional field name as a T; set reports that the body
// gives it a value. Absent, nothing happens. Null runs onNull (a field the
// server lets a client clear); when onNull is nil the field is not
// nullable, and null and a value that is not a T are refused as value
// refuses them. ok is false when the 400 was answered.
func optional[T any](rc *reqCtx, f map[string]json.RawMessage, name string, onNull func(), msg string) (v T, set, ok bool) {
	raw, present := f[name]
	switch {
	case !present:
		return v, false, true
	case isNull(raw) && onNull != nil:
		onNull()
		return v, false, true
	}
	v, ok = value[T](rc, raw, name, msg)
	return v, ok, ok
}

// charField reads a string field as DRF's CharField does with its default
// trim_whitespace: the value is stripped first, then checked (blank, and
// maxLen > 0 on the stripped value), and stored stripped.
// PostHog: DRF rest_framework/fields.py CharField.to_internal_value and
// run_validation.
func (rc *reqCtx) charField(f map[string]json.RawMessage, name string, required bool, maxLen int) (string, bool) {
	v, ok := rc.stringField(f, name, required, 0)
	if !ok {
		return "", false
	}
	v = strings.TrimSpace(v)
	if maxLen > 0 && utf8.RuneCountInString(v) > maxLen {
		rc.invalid("max_length", fmt.Sprintf("Ensure this field has no more than %d characters.", maxLen), name)
		return "", false
	}
	return v, true
}

// emailField reads a required email address the way DRF's EmailField does:
// 400 "required", "null", "blank", "max_length" (254) or invalid_input
// "Enter a valid email address.". The domain part is lower-cased, as
// PostHog's serializers do.
// PostHog: DRF rest_framework/fields.py EmailField ("Enter a valid email
// address.").
func (rc *reqCtx) emailField(f map[string]json.RawMessage, name string) (string, bool) {
	v, ok := rc.stringField(f, name, true, 254)
	if !ok {
		return "", false
	}
	v = strings.TrimSpace(v)
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || at == len(v)-1 || strings.ContainsAny(v, " \t\r\n<>()[],;:\"") ||
		!strings.Contains(v[at+1:], ".") || strings.HasPrefix(v[at+1:], ".") || strings.HasSuffix(v, ".") ||
		strings.Count(v, "@") != 1 {
		rc.invalid("invalid_input", "Enter a valid email address.", name)
		return "", false
	}
	return emails.InviteAddress(v), true
}

// nullableStringMax sets *dst when the field is present: null clears it,
// a string longer than maxLen (when > 0) is a 400 "max_length".
// PostHog: DRF rest_framework/fields.py CharField (allow_null, max_length).
func (rc *reqCtx) nullableStringMax(f map[string]json.RawMessage, name string, maxLen int, dst **string) bool {
	var v *string
	if !rc.nullableStringField(f, name, &v) {
		return false
	}
	if _, present := f[name]; !present {
		return true
	}
	if v != nil && maxLen > 0 && utf8.RuneCountInString(*v) > maxLen {
		rc.invalid("max_length", fmt.Sprintf("Ensure this field has no more than %d characters.", maxLen), name)
		return false
	}
	*dst = v
	return true
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

// PostHog: DRF rest_framework/fields.py BooleanField ("Must be a valid
// boolean.").
func (rc *reqCtx) boolField(f map[string]json.RawMessage, name string, dst *bool) bool {
	v, set, ok := optional[bool](rc, f, name, nil, "Must be a valid boolean.")
	if set {
		*dst = v
	}
	return ok
}

// nullable reads a field PostHog lets a client clear: absent leaves *dst
// alone, null clears it, a value is decoded into a new *T, and a value of
// the wrong type is a 400 "invalid_input" with msg.
func nullable[T any](rc *reqCtx, f map[string]json.RawMessage, name, msg string, dst **T) bool {
	v, set, ok := optional[T](rc, f, name, func() { *dst = nil }, msg)
	if set {
		*dst = &v
	}
	return ok
}

func (rc *reqCtx) nullableBoolField(f map[string]json.RawMessage, name string, dst **bool) bool {
	return nullable(rc, f, name, "Must be a valid boolean.", dst)
}

func (rc *reqCtx) nullableStringField(f map[string]json.RawMessage, name string, dst **string) bool {
	return nullable(rc, f, name, "Not a valid string.", dst)
}

// nullableUUIDField reads a UUID string (uuid.UUID decodes only from one).
func (rc *reqCtx) nullableUUIDField(f map[string]json.RawMessage, name string, dst **uuid.UUID) bool {
	return nullable(rc, f, name, "Must be a valid UUID.", dst)
}

// intField reads an integer field; allowed, when not empty, lists the valid
// choices.
// PostHog: DRF rest_framework/fields.py IntegerField and ChoiceField.
func (rc *reqCtx) intField(f map[string]json.RawMessage, name string, required bool, dst *int, allowed ...int) bool {
	if _, present := f[name]; !present && required {
		rc.required(name)
		return false
	}
	v, set, ok := optional[int](rc, f, name, nil, "A valid integer is required.")
	if !set {
		return ok
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

// levelField reads a membership level as DRF's ChoiceField for the model's
// PositiveSmallIntegerField(choices=Level.choices) does: absent keeps *dst
// (the field has a default, so it is never required), null is 400 code
// "null", and the value is looked up by Python's str() of it, so "8" (a
// string) is level 8 while 8.0 or true are not valid choices.
// PostHog: posthog/models/organization.py OrganizationMembership.level; DRF
// rest_framework/fields.py ChoiceField.to_internal_value.
func (rc *reqCtx) levelField(f map[string]json.RawMessage, name string, dst *int) bool {
	raw, present := f[name]
	if !present {
		return true
	}
	if isNull(raw) {
		rc.invalid("null", "This field may not be null.", name)
		return false
	}
	text := pythonStr(raw)
	for _, level := range []int{LevelMember, LevelAdmin, LevelOwner} {
		if text == fmt.Sprint(level) {
			*dst = level
			return true
		}
	}
	rc.invalid("invalid_choice", fmt.Sprintf("%q is not a valid choice.", text), name)
	return false
}

// pythonStr is Python's str() of a JSON value as DRF decodes it: strings as
// they are, True/False, floats with their ".0", other values as JSON.
func pythonStr(raw json.RawMessage) string {
	t := strings.TrimSpace(string(raw))
	var s string
	switch {
	case json.Unmarshal(raw, &s) == nil:
		return s
	case t == "true":
		return "True"
	case t == "false":
		return "False"
	case strings.ContainsAny(t, ".eE") && !strings.ContainsAny(t, "[{\""):
		var f float64
		if json.Unmarshal(raw, &f) == nil {
			out := strconv.FormatFloat(f, 'f', -1, 64)
			if !strings.Contains(out, ".") {
				out += ".0"
			}
			return out
		}
	}
	return t
}

// jsonInt reads an integer out of a decoded or Go-built JSON value.
func jsonInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case float64:
		return int64(x), x == float64(int64(x))
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	}
	return 0, false
}
