// Package cli holds posthog-org's commands: one cobra command per verb,
// sharing the global flags, the client and the output of App.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/hogkit/posthogapi"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/output"
	"github.com/hogkit/posthogapi/cmd/posthog-org/internal/progress"
	"github.com/hogkit/posthogapi/redislimit"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
)

// Version is the command's version when built from a checkout, printed by
// --version; a binary installed with go install at a tagged version prints
// that version instead (see version).
const Version = "0.1.0"

// version is the module version the binary was built at (go install
// ...@v1.2.3), or Version for a build from a checkout.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return Version
}

// The environment variables posthog-org reads.
const (
	EnvAPIKey   = posthogapi.EnvAPIKey // POSTHOG_PERSONAL_API_KEY
	EnvHost     = posthogapi.EnvHost   // POSTHOG_HOST
	EnvRedisURL = "POSTHOG_REDIS_URL"
)

// Streams are the command's standard streams and whether each is a
// terminal.
type Streams struct {
	In            io.Reader
	Out, Err      io.Writer
	InTTY, OutTTY bool
	ErrTTY        bool
	Getenv        func(string) string
}

// App is one run of the command: its streams, global flags and, once a
// command asks for it, its client.
type App struct {
	io Streams

	orgFlag      string
	outFlag      string
	progressFlag string
	keyFile      string
	redisURL     string
	redisProcs   int
	concurrency  int

	format   output.Format
	progress progress.Mode

	client  *posthogapi.Client
	closers []func()

	selfMu              sync.Mutex // guards the key's own user, read once
	selfRead, selfKnown bool
	selfUUID            posthogapi.UserUUID
}

// Main runs the command with args (without the program name) and returns
// its exit code (see ExitCodes).
func Main(ctx context.Context, args []string, s Streams) int {
	if s.Getenv == nil {
		s.Getenv = os.Getenv
	}
	a := &App{io: s}
	defer a.close()
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code, line := describe(err)
	fmt.Fprintln(s.Err, "posthog-org: "+line)
	if code == ExitUsage && isCobraUsage(err) {
		fmt.Fprintln(s.Err, "Run 'posthog-org --help' for usage.")
	}
	return code
}

// NewRootCommand returns the command tree with default streams, for
// generating the reference pages.
func NewRootCommand() *cobra.Command {
	a := &App{io: Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv}}
	root := a.rootCommand()
	root.InitDefaultCompletionCmd()
	return root
}

func (a *App) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "posthog-org",
		Short: "Manage PostHog organizations: members, invites, roles, projects, audits and offboarding",
		Long: `posthog-org manages the organizations a PostHog personal API key can see:
members and their levels, invites (one at a time or from a CSV file), roles and
their members, projects, an audit of access across organizations, offboarding a
person everywhere, and access as code from a YAML or JSON file.

The key comes from POSTHOG_PERSONAL_API_KEY (or --api-key-file) and is never
printed. POSTHOG_HOST selects EU Cloud (https://eu.posthog.com) or a
self-hosted instance; the default is US Cloud.

` + exitCodesHelp,
		Version:           version(),
		SilenceUsage:      true,
		SilenceErrors:     true,
		DisableAutoGenTag: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.parseGlobals()
		},
	}
	root.SetVersionTemplate("posthog-org {{.Version}} (posthogapi " + posthogapi.Version + ")\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	f := root.PersistentFlags()
	f.StringVar(&a.orgFlag, "org", "", "organization by ID, slug or name (default: the key's current organization)")
	f.StringVarP(&a.outFlag, "output", "o", "", "output format: table, json or csv (default: table on a terminal, json otherwise)")
	f.StringVar(&a.progressFlag, "progress", "auto", "progress on stderr for long work: auto (when stderr is a terminal), always or never")
	f.StringVar(&a.keyFile, "api-key-file", "", "read the personal API key from this file instead of "+EnvAPIKey)
	f.StringVar(&a.redisURL, "redis-url", "", "share the key's rate budget with other processes through this Redis (redis://host:port/db; default $"+EnvRedisURL+")")
	f.IntVar(&a.redisProcs, "redis-processes", 1, "with --redis-url: how many processes share the key (each keeps to its share if Redis goes down)")
	f.IntVar(&a.concurrency, "concurrency", 20, "most organizations worked on at once (audit, offboard)")
	_ = root.RegisterFlagCompletionFunc("output", fixedCompletion("table", "json", "csv"))
	_ = root.RegisterFlagCompletionFunc("progress", fixedCompletion("auto", "always", "never"))

	root.AddCommand(
		a.orgsCommand(),
		a.membersCommand(),
		a.invitesCommand(),
		a.rolesCommand(),
		a.projectsCommand(),
		a.auditCommand(),
		a.offboardCommand(),
		a.accessCommand(),
	)
	return root
}

func fixedCompletion(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// parseGlobals checks the global flags before any command runs.
func (a *App) parseGlobals() error {
	f, err := output.ParseFormat(a.outFlag, a.io.OutTTY)
	if err != nil {
		return usageError{err}
	}
	a.format = f
	m, err := progress.ParseMode(a.progressFlag)
	if err != nil {
		return usageError{err}
	}
	a.progress = m
	if a.concurrency < 1 {
		return usageError{errors.New("--concurrency must be at least 1")}
	}
	if a.redisProcs < 1 {
		return usageError{errors.New("--redis-processes must be at least 1")}
	}
	if a.redisURL == "" {
		a.redisURL = strings.TrimSpace(a.io.Getenv(EnvRedisURL))
	}
	return nil
}

// apiKey reads the key from --api-key-file or the environment.
func (a *App) apiKey() (string, error) {
	if a.keyFile != "" {
		b, err := os.ReadFile(a.keyFile)
		if err != nil {
			return "", usageError{fmt.Errorf("reading --api-key-file: %w", errors.Unwrap(err))}
		}
		key := strings.TrimSpace(string(b))
		if key == "" || strings.ContainsAny(key, " \t\r\n") {
			return "", usageError{fmt.Errorf("--api-key-file %s does not hold one key on one line", a.keyFile)}
		}
		return key, nil
	}
	key := strings.TrimSpace(a.io.Getenv(EnvAPIKey))
	if key == "" {
		return "", usageError{fmt.Errorf("no API key: set %s or pass --api-key-file", EnvAPIKey)}
	}
	return key, nil
}

// api returns the client, made on first use from the key, POSTHOG_HOST and
// the rate budget (this process's, or shared through Redis).
func (a *App) api() (*posthogapi.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	key, err := a.apiKey()
	if err != nil {
		return nil, err
	}
	// As many connections as the reads made at once (--concurrency
	// organizations, each with its member pages and role list): the SDK's
	// default of 32 would make an audit of 20 organizations wait for
	// connections over HTTP/1.1. Over HTTP/2 (PostHog Cloud) they are
	// streams of one connection. The rate budget bounds the requests.
	t := http.DefaultTransport.(*http.Transport).Clone()
	conns := a.concurrency * (maxPagesAtOnce + 1)
	t.MaxConnsPerHost, t.MaxIdleConnsPerHost, t.MaxIdleConns = conns, conns, conns
	t.ForceAttemptHTTP2 = true
	a.closers = append(a.closers, t.CloseIdleConnections)
	opts := []posthogapi.Option{
		posthogapi.WithUserAgent("posthog-org/" + version()),
		posthogapi.WithHTTPClient(&http.Client{Transport: t}),
		// Pages of one list are fetched ahead, as many as a 1,000-member
		// organization has after its first page.
		posthogapi.WithPrefetch(maxPagesAtOnce),
	}
	if host := strings.TrimSpace(a.io.Getenv(EnvHost)); host != "" {
		opts = append(opts, posthogapi.WithBaseURL(host))
	}
	var lim posthogapi.Limiter = posthogapi.NewRateLimiter()
	if a.redisURL != "" {
		ropts, err := redis.ParseURL(a.redisURL)
		if err != nil {
			return nil, usageError{fmt.Errorf("--redis-url: %s", redactURL(err.Error(), a.redisURL))}
		}
		ropts.ContextTimeoutEnabled = true
		ropts.MaxRetries = -1
		ropts.DialTimeout = time.Second
		// go-redis's own log lines would repeat redislimit's warning.
		redis.SetLogger(quietRedis{})
		rdb := redis.NewClient(ropts)
		a.closers = append(a.closers, func() { _ = rdb.Close() })
		rl, err := redislimit.New(rdb, key, redislimit.FallbackLocal, redislimit.WithProcesses(a.redisProcs),
			redislimit.WithLogger(slog.New(slog.NewTextHandler(a.io.Err, &slog.HandlerOptions{ReplaceAttr: dropTime}))))
		if err != nil {
			return nil, fmt.Errorf("shared rate budget: %w", err)
		}
		lim = rl
	}
	opts = append(opts, posthogapi.WithRateLimiter(lim))
	c, err := posthogapi.NewClient(key, opts...)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", EnvHost, err)}
	}
	a.client = c
	return c, nil
}

// quietRedis drops go-redis's log lines.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// dropTime leaves the time out of log lines on stderr.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// redactURL removes a Redis URL (which may hold a password) from a message.
func redactURL(msg, u string) string {
	return strings.ReplaceAll(msg, u, "(the URL)")
}

func (a *App) close() {
	for _, c := range a.closers {
		c()
	}
}

// bar returns a progress bar on stderr per --progress (nil: none).
func (a *App) bar(total int, desc string) *progress.Bar {
	return progress.New(a.io.Err, a.progress, a.io.ErrTTY, total, desc)
}

// run adapts a command body: the errors it returns are the command's own
// (exit 1 unless they say otherwise), never cobra's usage errors.
func (a *App) run(fn func(ctx context.Context, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := fn(cmd.Context(), args); err != nil {
			return runError{err}
		}
		return nil
	}
}
