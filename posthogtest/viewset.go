package posthogtest

// viewSet is the standard actions of one of PostHog's DRF viewsets: the
// handlers of those it has (nil: the viewset lacks the action, so its route
// is not served), the scope object its scopes are named after, and the path
// value naming one item.
type viewSet struct {
	// scopeObject is the viewset's scope_object ("organization").
	scopeObject string
	// lookup is the path value of one item, "id" when empty
	// (lookup_field).
	lookup string

	list, create                             handler // on base
	retrieve, partialUpdate, update, destroy handler // on base{lookup}/
}

// routeViewSet serves v's actions below base as DRF's router routes them:
// list (GET) and create (POST) on base, retrieve (GET), partial_update
// (PATCH), update (PUT) and destroy (DELETE) on base{lookup}/. list and
// retrieve require the scope object's read scope, the others its write
// scope. A viewset's other actions (and a standard action it gives another
// scope) are routed with s.route.
// PostHog: posthog/permissions.py ScopeBasePermission (read_actions
// list/retrieve, write_actions create/update/partial_update/destroy;
// read_file id=141247339); DRF rest_framework/routers.py SimpleRouter.routes.
func (s *Server) routeViewSet(base string, v viewSet) {
	read, write := v.scopeObject+":read", v.scopeObject+":write"
	lookup := v.lookup
	if lookup == "" {
		lookup = "id"
	}
	item := base + "{" + lookup + "}/{$}"
	for _, r := range []struct {
		pattern, scope string
		h              handler
	}{
		{"GET " + base + "{$}", read, v.list},
		{"POST " + base + "{$}", write, v.create},
		{"GET " + item, read, v.retrieve},
		{"PATCH " + item, write, v.partialUpdate},
		{"PUT " + item, write, v.update},
		{"DELETE " + item, write, v.destroy},
	} {
		if r.h != nil {
			s.route(r.pattern, r.scope, r.h)
		}
	}
}
