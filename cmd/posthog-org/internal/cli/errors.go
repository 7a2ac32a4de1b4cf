package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hogkit/posthogapi"
)

// Exit codes.
const (
	ExitOK        = 0 // everything asked was done (or, with --dry-run, planned)
	ExitFailure   = 1 // PostHog refused or failed, or nothing could be done
	ExitUsage     = 2 // bad flags, arguments or input file; nothing was sent
	ExitPartial   = 3 // some changes were made and others failed or are unknown
	ExitCancelled = 4 // the confirmation prompt was answered no
)

const exitCodesHelp = `Exit codes:
  0  success (with --dry-run: the plan was printed, nothing was sent)
  1  failure: PostHog refused or failed; nothing (more) was changed
  2  usage: bad flags, arguments or input (CSV, YAML, email, level, role),
     or a destructive command without --yes when stdin is not a terminal;
     no write was sent
  3  partly done: some changes were made and others failed or have an
     unknown outcome (the report says which)
  4  cancelled at the confirmation prompt`

// usageError is bad input: exit 2, nothing was sent.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error.
func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// partialError is a run where some changes were made and others were not.
type partialError struct{ err error }

func (e partialError) Error() string { return e.err.Error() }
func (e partialError) Unwrap() error { return e.err }

// cancelled is a "no" at the confirmation prompt.
var errCancelled = errors.New("cancelled")

// runError marks an error as the command's own (not cobra's parsing).
type runError struct{ err error }

func (e runError) Error() string { return e.err.Error() }
func (e runError) Unwrap() error { return e.err }

// isCobraUsage reports whether err came from cobra's parsing (unknown
// command or flag, wrong arguments) rather than from a command.
func isCobraUsage(err error) bool {
	var re runError
	return !errors.As(err, &re)
}

// describe maps err to its exit code and one line: PostHog's message and,
// for a 403 for a missing scope, the scope the key needs.
func describe(err error) (int, string) {
	code := ExitFailure
	var ue usageError
	var pe partialError
	switch {
	case errors.As(err, &pe):
		code = ExitPartial
	case errors.Is(err, errCancelled):
		code = ExitCancelled
	case errors.As(err, &ue), isCobraUsage(err):
		code = ExitUsage
	}
	line := strings.ReplaceAll(err.Error(), "posthogapi: ", "")
	var se *posthogapi.ScopeError
	switch {
	case errors.As(err, &se):
		line += fmt.Sprintf(" (the key lacks the scope %s: add it to the personal API key)", se.Scope)
	case errors.Is(err, posthogapi.ErrOutcomeUnknown):
		line += " (the outcome is unknown: the change may have been made; check before running again)"
	case errors.Is(err, posthogapi.ErrUnauthorized):
		line += " (check " + EnvAPIKey + " or --api-key-file)"
	}
	return code, strings.ReplaceAll(line, "\n", " ")
}

// errorsIsPermission reports a 403 (missing scope, too low a level).
func errorsIsPermission(err error) bool { return errors.Is(err, posthogapi.ErrPermissionDenied) }
