package posthogapi

import (
	"bytes"
	"encoding/json"
)

// Nullable is a request field with three states: unset (the zero value,
// omitted from the body by `omitzero`), null (sent as JSON null, which
// clears the field in PostHog), or a value.
//
//	posthogapi.OrganizationUpdate{LogoMediaID: posthogapi.Null[uuid.UUID]()} // clear the logo
//	posthogapi.OrganizationUpdate{Enforce2FA: posthogapi.NewNullable(true)}
type Nullable[T any] struct {
	value T
	set   bool
	null  bool
}

// NewNullable returns a Nullable holding v.
func NewNullable[T any](v T) Nullable[T] { return Nullable[T]{value: v, set: true} }

// Null returns a Nullable that is sent as JSON null.
func Null[T any]() Nullable[T] { return Nullable[T]{set: true, null: true} }

// IsZero reports whether n is unset; `omitzero` omits unset fields.
func (n Nullable[T]) IsZero() bool { return !n.set }

// IsNull reports whether n is set to null.
func (n Nullable[T]) IsNull() bool { return n.set && n.null }

// Get returns the value and whether n holds one (set and not null).
func (n Nullable[T]) Get() (T, bool) { return n.value, n.set && !n.null }

// MarshalJSON encodes null or the value. An unset Nullable also encodes as
// null; tag the field `omitzero` so that it is left out instead.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.set || n.null {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON decodes null or a value; either way n becomes set.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = NewNullable(v)
	return nil
}

// Ptr returns a pointer to v, for the optional (pointer) fields of request
// types: posthogapi.Ptr(true).
func Ptr[T any](v T) *T { return &v }
