package posthogapi

import (
	"fmt"
	"net/url"

	"github.com/google/uuid"
)

// ID is the UUID of a PostHog object, typed by the kind of object it
// identifies. The kinds are distinct Go types (OrganizationID, RoleID,
// UserUUID, MembershipID, RoleMembershipID, ...), so passing one where
// another is meant — an organization membership's ID where the user's UUID
// is meant, a role membership's ID where a role's — does not compile. An
// answer about the wrong kind of object would otherwise be a 404, which
// idempotent clean-up code reads as "already gone".
//
// An ID converts from and to uuid.UUID explicitly:
//
//	role := posthogapi.RoleID(uuid.MustParse("0191e8a4-..."))
//	u := role.UUID()
//
// It encodes in JSON, query strings and paths as PostHog writes UUIDs
// (lower-case, hyphenated), and its zero value is the nil UUID, which the
// client refuses in a path before sending.
type ID[K idKind] uuid.UUID

// idKind is the set of marker types that tell the ID kinds apart.
type idKind interface {
	organizationKind | userKind | membershipKind | roleKind | roleMembershipKind |
		inviteKind | domainKind | batchExportKind | batchExportRunKind | batchExportBackfillKind |
		proxyRecordKind | integrationKind | legalDocumentKind | oauthApplicationKind |
		identityProviderConfigKind | personalAPIKeyKind | mediaKind | roleExternalReferenceKind
	// names returns the kind's description and its Go type name.
	names() (human, goName string)
}

type (
	organizationKind           struct{}
	userKind                   struct{}
	membershipKind             struct{}
	roleKind                   struct{}
	roleMembershipKind         struct{}
	inviteKind                 struct{}
	domainKind                 struct{}
	batchExportKind            struct{}
	batchExportRunKind         struct{}
	batchExportBackfillKind    struct{}
	proxyRecordKind            struct{}
	integrationKind            struct{}
	legalDocumentKind          struct{}
	oauthApplicationKind       struct{}
	identityProviderConfigKind struct{}
	personalAPIKeyKind         struct{}
	mediaKind                  struct{}
	roleExternalReferenceKind  struct{}
)

func (organizationKind) names() (string, string)   { return "organization ID", "OrganizationID" }
func (userKind) names() (string, string)           { return "user UUID", "UserUUID" }
func (membershipKind) names() (string, string)     { return "organization membership ID", "MembershipID" }
func (roleKind) names() (string, string)           { return "role ID", "RoleID" }
func (roleMembershipKind) names() (string, string) { return "role membership ID", "RoleMembershipID" }
func (inviteKind) names() (string, string)         { return "invite ID", "InviteID" }
func (domainKind) names() (string, string)         { return "domain ID", "DomainID" }
func (batchExportKind) names() (string, string)    { return "batch export ID", "BatchExportID" }
func (batchExportRunKind) names() (string, string) { return "batch export run ID", "BatchExportRunID" }
func (batchExportBackfillKind) names() (string, string) {
	return "batch export backfill ID", "BatchExportBackfillID"
}
func (proxyRecordKind) names() (string, string) { return "proxy record ID", "ProxyRecordID" }
func (integrationKind) names() (string, string) {
	return "organization integration ID", "IntegrationID"
}
func (legalDocumentKind) names() (string, string) { return "legal document ID", "LegalDocumentID" }
func (oauthApplicationKind) names() (string, string) {
	return "OAuth application ID", "OAuthApplicationID"
}
func (identityProviderConfigKind) names() (string, string) {
	return "identity provider config ID", "IdentityProviderConfigID"
}
func (personalAPIKeyKind) names() (string, string) { return "personal API key ID", "PersonalAPIKeyID" }
func (mediaKind) names() (string, string)          { return "uploaded media ID", "MediaID" }
func (roleExternalReferenceKind) names() (string, string) {
	return "role external reference ID", "RoleExternalReferenceID"
}

// The ID kinds. Each names, in its documentation, where PostHog uses it.
type (
	// OrganizationID is an organization's ID (Organization.ID), the
	// {organization_id} of every /api/organizations/ path.
	OrganizationID = ID[organizationKind]
	// UserUUID is a user's UUID (UserBasic.UUID). Members, role
	// memberships and invites address people by it.
	UserUUID = ID[userKind]
	// MembershipID is an organization membership's ID
	// (OrganizationMember.ID). No member method takes it: they take the
	// user's UUID (OrganizationMember.User.UUID).
	MembershipID = ID[membershipKind]
	// RoleID is a role's ID (Role.ID).
	RoleID = ID[roleKind]
	// RoleMembershipID is the ID of one user's membership of a role
	// (RoleMembership.ID); it is neither the user's UUID nor the
	// organization membership's ID.
	RoleMembershipID = ID[roleMembershipKind]
	// InviteID is an invite's ID (OrganizationInvite.ID).
	InviteID = ID[inviteKind]
	// DomainID is an organization domain's ID (OrganizationDomain.ID).
	DomainID = ID[domainKind]
	// BatchExportID is a batch export's ID (BatchExport.ID).
	BatchExportID = ID[batchExportKind]
	// BatchExportRunID is a batch export run's ID.
	BatchExportRunID = ID[batchExportRunKind]
	// BatchExportBackfillID is a batch export backfill's ID.
	BatchExportBackfillID = ID[batchExportBackfillKind]
	// ProxyRecordID is a managed reverse proxy record's ID.
	ProxyRecordID = ID[proxyRecordKind]
	// IntegrationID is an organization-level integration's ID
	// (OrganizationIntegration.ID). Project integrations have integer IDs.
	IntegrationID = ID[integrationKind]
	// LegalDocumentID is a legal document's ID.
	LegalDocumentID = ID[legalDocumentKind]
	// OAuthApplicationID is an OAuth application's ID.
	OAuthApplicationID = ID[oauthApplicationKind]
	// IdentityProviderConfigID is an identity provider (SAML/SCIM/OIDC)
	// configuration's ID.
	IdentityProviderConfigID = ID[identityProviderConfigKind]
	// PersonalAPIKeyID is a personal API key's ID (not the key itself).
	PersonalAPIKeyID = ID[personalAPIKeyKind]
	// MediaID is an uploaded media object's ID (Organization.LogoMediaID).
	MediaID = ID[mediaKind]
	// RoleExternalReferenceID is the ID of a link between a role and a
	// group in an external identity provider (RoleExternalReference.ID).
	RoleExternalReferenceID = ID[roleExternalReferenceKind]
)

// UUID returns id as a plain uuid.UUID.
func (id ID[K]) UUID() uuid.UUID { return uuid.UUID(id) }

// String returns the UUID in PostHog's form (lower-case, hyphenated).
func (id ID[K]) String() string { return uuid.UUID(id).String() }

// GoString returns id as Go source (%#v), e.g.
// posthogapi.RoleID(uuid.MustParse("0191e8a4-...")).
func (id ID[K]) GoString() string {
	var k K
	_, name := k.names()
	return fmt.Sprintf("posthogapi.%s(uuid.MustParse(%q))", name, id.String())
}

// IsZero reports whether id is the nil UUID (unset; `omitzero` omits it).
func (id ID[K]) IsZero() bool { return id == ID[K]{} }

// Kind names what id identifies, e.g. "role ID".
func (id ID[K]) Kind() string {
	var k K
	human, _ := k.names()
	return human
}

// MarshalText encodes id as its string form (JSON strings, map keys).
func (id ID[K]) MarshalText() ([]byte, error) { return uuid.UUID(id).MarshalText() }

// EncodeValues puts id into a query string in its string form
// (github.com/google/go-querystring would otherwise list its 16 bytes).
func (id ID[K]) EncodeValues(key string, v *url.Values) error {
	v.Set(key, id.String())
	return nil
}

// UnmarshalText decodes a UUID in any form uuid.Parse accepts.
func (id *ID[K]) UnmarshalText(b []byte) error {
	u, err := uuid.ParseBytes(b)
	if err != nil {
		return fmt.Errorf("posthogapi: %s: %w", id.Kind(), err)
	}
	*id = ID[K](u)
	return nil
}

// ParseID parses s as an ID of the kind the caller names:
//
//	role, err := posthogapi.ParseID[posthogapi.RoleID]("0191e8a4-...")
//
// Errors wrap ErrInvalidArgument.
func ParseID[T interface{ ~[16]byte }](s string) (T, error) {
	u, err := uuid.Parse(s)
	if err != nil {
		return T{}, fmt.Errorf("%w: %q is not a UUID: %v", ErrInvalidArgument, s, err)
	}
	return T(u), nil
}

// ProjectID is a project's ID (Project.ID), an integer. The ID of a
// project's main environment (team) is the same number, so the
// environment routes take a ProjectID too.
type ProjectID int64

// ProjectIntegrationID is the ID of a project's integration
// (ProjectIntegration.ID), an integer, which batch export destinations link.
type ProjectIntegrationID int64
