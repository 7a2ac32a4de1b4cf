package posthogtest

import "github.com/hogkit/posthogapi"

// Client returns a posthogapi client for this server that authenticates
// with key; opts are applied after the base URL.
func (s *Server) Client(key string, opts ...posthogapi.Option) (*posthogapi.Client, error) {
	return posthogapi.NewClient(key, append([]posthogapi.Option{posthogapi.WithBaseURL(s.URL())}, opts...)...)
}
