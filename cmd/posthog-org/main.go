// Command posthog-org manages PostHog organizations from the command line:
// members, invites, roles, projects, an access audit across organizations,
// offboarding, and access as code. Run posthog-org --help, or see docs/.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/cli"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], cli.Streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	})
	stop()
	os.Exit(code)
}
