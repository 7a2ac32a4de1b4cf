package posthogtest

import "github.com/hogkit/posthogapi"

// Client returns a posthogapi client for this server that authenticates
// with key; opts are applied after the base URL. On a server started with
// LegacyUnscopedKeys the client is made WithLegacyUnscopedKey too, so that
// it sends the requests of actions without a scope, which such a server
// (like an older self-hosted PostHog) lets unscoped keys through.
func (s *Server) Client(key string, opts ...posthogapi.Option) (*posthogapi.Client, error) {
	base := []posthogapi.Option{posthogapi.WithBaseURL(s.URL())}
	if s.legacyUnscoped {
		base = append(base, posthogapi.WithLegacyUnscopedKey())
	}
	return posthogapi.NewClient(key, append(base, opts...)...)
}
