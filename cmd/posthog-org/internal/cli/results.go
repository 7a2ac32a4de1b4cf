package cli

import (
	"errors"
	"fmt"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
)

// Status is what happened to one change.
type Status string

// The statuses of a change.
const (
	StatusDone    Status = "done"
	StatusDryRun  Status = "dry-run" // would be done; nothing was sent
	StatusSkipped Status = "skipped" // nothing to do, or a change it needed failed
	StatusFailed  Status = "failed"
	StatusUnknown Status = "unknown" // sent, answer lost: it may have been done
)

// Result is one change a write command made, would make or failed to make.
type Result struct {
	Organization string `json:"organization,omitempty"`
	Action       string `json:"action"`
	Target       string `json:"target"`
	Status       Status `json:"status"`
	Detail       string `json:"detail,omitempty"`

	err error // the failure, for the error line of a single change
}

var resultColumns = []output.Column[Result]{
	{Header: "organization", Value: func(r Result) string { return r.Organization }},
	{Header: "action", Value: func(r Result) string { return r.Action }},
	{Header: "target", Value: func(r Result) string { return r.Target }},
	{Header: "status", Value: func(r Result) string { return string(r.Status) }},
	{Header: "detail", Value: func(r Result) string { return r.Detail }},
}

// with returns r with its status and detail set from a write's error (nil:
// done).
func (r Result) with(err error) Result {
	r.Status, r.Detail = outcome(err)
	r.err = err
	return r
}

// outcome turns a write's error into its status and detail.
func outcome(err error) (Status, string) {
	switch {
	case err == nil:
		return StatusDone, ""
	case errors.Is(err, posthogapi.ErrOutcomeUnknown):
		return StatusUnknown, oneLine(err)
	}
	return StatusFailed, oneLine(err)
}

func oneLine(err error) string {
	_, line := describe(runError{err})
	return line
}

// report prints results and turns them into the command's error: nil when
// nothing failed, a partial error when some changes were made and others
// failed or are unknown, a failure when none was made.
func (a *App) report(results []Result) error {
	if results == nil {
		results = []Result{}
	}
	if err := output.Print(a.io.Out, a.format, results, resultColumns); err != nil {
		return err
	}
	var done, bad int
	var first Result
	for _, r := range results {
		switch r.Status {
		case StatusDone, StatusDryRun:
			done++
		case StatusFailed, StatusUnknown:
			if bad == 0 {
				first = r
			}
			bad++
		}
	}
	if bad == 0 {
		return nil
	}
	if len(results) == 1 && first.err != nil {
		return fmt.Errorf("%s %s: %w", first.Action, first.Target, first.err)
	}
	err := fmt.Errorf("%d of %d changes %s (first: %s %s: %s)", bad, len(results), "failed or have an unknown outcome", first.Action, first.Target, first.Detail)
	if done > 0 {
		return partialError{err}
	}
	return err
}
