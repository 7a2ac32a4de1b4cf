// Package exampleenv connects the example programs to PostHog: to the
// instance named by POSTHOG_PERSONAL_API_KEY and POSTHOG_HOST when the key is
// set, otherwise to an in-memory posthogtest server seeded for the example.
package exampleenv

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/posthogtest"
)

// Env is what an example runs against.
type Env struct {
	Client *posthogapi.Client
	// Server is the in-memory PostHog, or nil on a real instance.
	Server *posthogtest.Server
	// Now is the current time: the demo server's fixed clock, or the real one.
	Now   time.Time
	opts  []posthogapi.Option
	key   string
	close func()
}

// NewClient returns another client for the same PostHog (the same host and
// user agent), authenticated with key.
func (e *Env) NewClient(key string) (*posthogapi.Client, error) {
	return posthogapi.NewClient(key, e.opts...)
}

// ClientWith returns another client for the same PostHog and key, with
// more options.
func (e *Env) ClientWith(opts ...posthogapi.Option) (*posthogapi.Client, error) {
	return posthogapi.NewClient(e.key, append(append([]posthogapi.Option(nil), e.opts...), opts...)...)
}

// Close stops the in-memory server, if any.
func (e *Env) Close() {
	if e.close != nil {
		e.close()
	}
}

// DemoTime is the demo server's fixed clock, so that example output is
// stable.
var DemoTime = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

// Connect returns the environment for an example named name. Without a key
// it starts a posthogtest server, calls seed on it, makes a key with the
// given scopes, and tells out so.
func Connect(name string, getenv func(string) string, out io.Writer, seed func(*posthogtest.Server), scopes ...string) (*Env, error) {
	if key := getenv(posthogapi.EnvAPIKey); key != "" {
		opts := []posthogapi.Option{posthogapi.WithUserAgent("posthogapi-example-" + name)}
		if host := getenv(posthogapi.EnvHost); host != "" {
			opts = append(opts, posthogapi.WithBaseURL(host))
		}
		c, err := posthogapi.NewClient(key, opts...)
		if err != nil {
			return nil, err
		}
		return &Env{Client: c, Now: time.Now(), opts: opts, key: key}, nil
	}
	srv := posthogtest.NewServer(posthogtest.WithDeterministicIDs(), posthogtest.WithFixedClock(DemoTime))
	if seed != nil {
		seed(srv)
	}
	opts := []posthogapi.Option{posthogapi.WithBaseURL(srv.URL()), posthogapi.WithUserAgent("posthogapi-example-" + name)}
	key := srv.NewAPIKey(scopes...)
	c, err := posthogapi.NewClient(key, opts...)
	if err != nil {
		srv.Close()
		return nil, err
	}
	fmt.Fprintf(out, "%s is not set: running against an in-memory PostHog (posthogtest).\n", posthogapi.EnvAPIKey)
	return &Env{Client: c, Server: srv, Now: DemoTime, opts: opts, key: key, close: srv.Close}, nil
}

// Flags returns the flag set of the example name: it reports errors and -h
// on stderr, and its usage message is the given lines followed by the
// flags' defaults.
func Flags(name string, stderr io.Writer, usage ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		for _, line := range usage {
			fmt.Fprintln(stderr, line)
		}
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses a command line into fs, which reports errors and -h on its
// own output, and allows at most maxArgs arguments after the flags (any
// number when maxArgs < 0). When ok is false the program should exit with
// code: 0 after -h, 2 after a bad flag or too many arguments.
func Parse(fs *flag.FlagSet, args []string, maxArgs int) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if maxArgs >= 0 && fs.NArg() > maxArgs {
		return Usage(fs), false
	}
	return 0, true
}

// Usage prints fs's usage message and returns 2, the exit code of a
// command line the example cannot run.
func Usage(fs *flag.FlagSet) int {
	fs.Usage()
	return 2
}
