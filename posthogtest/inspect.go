package posthogtest

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/hogkit/posthogapi"
)

// What a test asks the server after a program ran: the writes it received
// and its state, in plain values that compare with == and reflect.DeepEqual.

// Write is one write request the server received (POST, PUT, PATCH or
// DELETE), for assertions such as "nothing was written" or "this invite was
// sent once".
type Write struct {
	Method string
	// Path is the URL path, as sent.
	Path string
	// Body is the request body, as sent.
	Body string
	// Status is the answer's status: the request's own status when it ran
	// (also when a fault then lost or replaced the answer), the fault's
	// status when a fault answered instead, 0 when the request ended
	// unanswered before it ran.
	Status int
}

// Writes returns the write requests received since the server started (or
// since ResetRequests), oldest first. Reads are left out; Requests has
// everything.
func (s *Server) Writes() []Write {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Write
	for _, r := range s.requests {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			continue
		}
		out = append(out, Write{Method: r.Method, Path: r.Path, Body: r.Body, Status: r.Status})
	}
	return out
}

// Snapshot is an organization's access at one moment: its members, its
// invites (pending and expired apart) and its roles with their members.
// Every list is in a stable order, so two snapshots of the same state are
// reflect.DeepEqual.
type Snapshot struct {
	Organization Organization
	// Members, oldest first.
	Members []Member
	// Pending are the unexpired invites, Expired the expired ones, newest
	// first.
	Pending, Expired []Invite
	// Roles, oldest first, each with its members' user UUIDs (oldest
	// first).
	Roles []Role
}

// Snapshot returns the organization's access now. It panics if there is no
// such organization (a mistake in the test).
func (s *Server) Snapshot(orgID posthogapi.OrganizationID) Snapshot {
	members := s.Members(orgID)
	roles := s.Roles(orgID)
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg(uuid.UUID(orgID))
	snap := Snapshot{Organization: o.public(), Members: members, Roles: roles}
	for _, inv := range s.sortedInvites(o) {
		if inv.Expired {
			snap.Expired = append(snap.Expired, inv)
		} else {
			snap.Pending = append(snap.Pending, inv)
		}
	}
	return snap
}

// PendingInvites returns the organization's unexpired invites, newest
// first: the ones that can still be accepted. Invites lists expired ones
// too, as PostHog's invite list does.
func (s *Server) PendingInvites(orgID posthogapi.OrganizationID) []Invite {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgByID(uuid.UUID(orgID))
	if o == nil {
		return nil
	}
	var out []Invite
	for _, inv := range s.sortedInvites(o) {
		if !inv.Expired {
			out = append(out, inv)
		}
	}
	return out
}

// sortedInvites returns o's invites, newest first. Callers hold s.mu.
func (s *Server) sortedInvites(o *org) []Invite {
	var out []Invite
	for _, inv := range sortedBy(s.orgInvites(o), func(a, b *invite) bool { return a.createdAt.After(b.createdAt) }) {
		p := inv.public()
		p.Expired = s.inviteExpired(inv)
		out = append(out, p)
	}
	return out
}

// WithLatency makes the server wait d before handling each request,
// outside its lock (so requests in flight overlap, as they do on a real
// server), as a network and server round trip would. The request's own
// cancellation ends the wait. Use it to measure how many round trips a
// program needs.
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// wait holds a request for the server's latency; false when the request
// was cancelled meanwhile.
func (s *Server) wait(r *http.Request) bool {
	if s.latency <= 0 {
		return true
	}
	t := time.NewTimer(s.latency)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-t.C:
		return true
	}
}
