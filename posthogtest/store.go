package posthogtest

import (
	"encoding/json"
	"slices"

	"github.com/google/uuid"
)

// orgOwned is an item of an area that belongs to one organization and is
// named by a UUID in paths: the shape that the store helpers below find,
// list, look up by path and remove, so that an area does not copy them.
type orgOwned interface {
	ownerID() uuid.UUID // the organization's ID
	itemID() uuid.UUID
}

// findOrgItem returns the item of items with id that belongs to the
// organization orgID (nil if none).
func findOrgItem[T any, P interface {
	*T
	orgOwned
}](items []P, orgID, id uuid.UUID) *T {
	for _, it := range items {
		if it.itemID() == id && it.ownerID() == orgID {
			return it
		}
	}
	return nil
}

// orgItemFromPath resolves the {id} path value to an item of o, answering
// 404 for an unknown or malformed ID or an item of another organization,
// as PostHog's viewsets filtered by the organization in the path do.
// PostHog: posthog/api/routing.py
// TeamAndOrgViewSetMixin._filter_queryset_by_parents_lookups.
func orgItemFromPath[T any, P interface {
	*T
	orgOwned
}](rc *reqCtx, o *org, items []P) *T {
	return fromPath(rc, "id", func(id uuid.UUID) *T { return findOrgItem(items, o.id, id) })
}

// ofOrg returns the items of items that belong to the organization
// orgID, in their order.
func ofOrg[P orgOwned](items []P, orgID uuid.UUID) []P {
	var out []P
	for _, it := range items {
		if it.ownerID() == orgID {
			out = append(out, it)
		}
	}
	return out
}

// removeOrgItem removes the item with id that belongs to o from *items,
// reporting whether there was one.
func removeOrgItem[P orgOwned](items *[]P, o *org, id uuid.UUID) bool {
	return removeAt(items, slices.IndexFunc(*items, func(it P) bool { return it.itemID() == id && it.ownerID() == o.id }))
}

// removeItem removes it from *items, reporting whether it was there.
func removeItem[P comparable](items *[]P, it P) bool {
	return removeAt(items, slices.Index(*items, it))
}

// removeAt removes the element at i (none when i < 0) from *items into a
// new backing array, so that a slice of the old one keeps its elements.
func removeAt[P any](items *[]P, i int) bool {
	if i < 0 {
		return false
	}
	*items = append((*items)[:i:i], (*items)[i+1:]...)
	return true
}

func (d *orgDomain) ownerID() uuid.UUID       { return d.org.id }
func (d *orgDomain) itemID() uuid.UUID        { return d.id }
func (c *idpConfig) ownerID() uuid.UUID       { return c.org.id }
func (c *idpConfig) itemID() uuid.UUID        { return c.id }
func (in *orgIntegration) ownerID() uuid.UUID { return in.org.id }
func (in *orgIntegration) itemID() uuid.UUID  { return in.id }
func (inv *invite) ownerID() uuid.UUID        { return inv.org.id }
func (inv *invite) itemID() uuid.UUID         { return inv.id }
func (r *roleExtRef) ownerID() uuid.UUID      { return r.org.id }
func (r *roleExtRef) itemID() uuid.UUID       { return r.id }
func (r *proxyRecord) ownerID() uuid.UUID     { return r.orgID }
func (r *proxyRecord) itemID() uuid.UUID      { return r.id }

// adminOrgItem resolves the organization in the path, requires the admin
// level there, then resolves the item with lookup: the order of PostHog's
// viewsets whose permission check runs before get_object. It returns the
// organization and the item, or nil items with the answer already given.
// PostHog: posthog/permissions.py OrganizationAdminWritePermissions.
func adminOrgItem[T any](rc *reqCtx, lookup func(*reqCtx, *org) *T) (*org, *T) {
	o, m := rc.orgFromPath()
	if o == nil || !rc.requireLevel(m, LevelAdmin) {
		return nil, nil
	}
	it := lookup(rc, o)
	if it == nil {
		return nil, nil
	}
	return o, it
}

// adminOrgFields resolves the organization in the path, requires the
// admin level there, then reads the body's fields: the opening of an
// admin-only create. It returns nil fields with the answer already given.
// PostHog: posthog/permissions.py OrganizationAdminWritePermissions (the
// permission check runs before the serializer reads the body).
func (rc *reqCtx) adminOrgFields() (*org, map[string]json.RawMessage) {
	o, m := rc.orgFromPath()
	if o == nil || !rc.requireLevel(m, LevelAdmin) {
		return nil, nil
	}
	return o, rc.fields()
}
