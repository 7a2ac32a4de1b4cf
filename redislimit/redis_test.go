package redislimit

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

// The tests run against a real redis-server (Debian's package), which they
// start themselves on a free loopback port with no persistence, and stop at
// the end. .ci/run installs redis-server when it is missing; outside CI a
// missing redis-server fails the tests with a message saying so (never a
// silent skip).

// sharedRedis is the server most tests use (each test with its own key
// prefix); tests that stop Redis start their own.
var sharedRedis *redisServer

func TestMain(m *testing.M) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		fmt.Fprintln(os.Stderr, "redislimit tests need redis-server on PATH (Debian: apt-get install redis-server; .ci/run installs it): "+err.Error())
		os.Exit(1)
	}
	redis.SetLogger(quietLogger{}) // the tests stop Redis on purpose
	dir, err := os.MkdirTemp("", "redislimit-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sharedRedis, err = startRedisIn(dir, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting redis-server:", err)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	sharedRedis.stop()
	_ = os.RemoveAll(dir)
	if code == 0 {
		// go-redis redials a dead server from a goroutine that sleeps a
		// second between tries and ends once its client is closed.
		if err := goleak.Find(goleak.IgnoreAnyFunction("github.com/redis/go-redis/v9/internal/pool.(*ConnPool).tryDial")); err != nil {
			fmt.Fprintln(os.Stderr, "goroutine leak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// quietLogger drops go-redis's own log lines (dial failures while a test
// has Redis stopped).
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// redisServer is a redis-server process on a loopback port.
type redisServer struct {
	addr string
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

// startRedis starts a private redis-server for one test, stopped at its end.
func startRedis(tb testing.TB) *redisServer {
	tb.Helper()
	s, err := startRedisIn(tb.TempDir(), 0)
	if err != nil {
		tb.Fatalf("starting redis-server: %v", err)
	}
	tb.Cleanup(s.stop)
	return s
}

// startRedisIn starts redis-server with its files in dir, on port (0: a
// free one), and waits until it answers PING.
func startRedisIn(dir string, port int) (*redisServer, error) {
	if port == 0 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		port = ln.Addr().(*net.TCPAddr).Port
		_ = ln.Close()
	}
	s := &redisServer{addr: "127.0.0.1:" + strconv.Itoa(port), dir: dir, done: make(chan struct{})}
	s.cmd = exec.Command("redis-server",
		"--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--save", "", "--appendonly", "no", "--dir", dir,
		"--logfile", filepath.Join(dir, "redis-"+strconv.Itoa(port)+".log"))
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	rdb := redis.NewClient(&redis.Options{Addr: s.addr, ContextTimeoutEnabled: true, MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return s, nil
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("redis-server on %s exited at start (see %s): %w", s.addr, dir, err)
		default:
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("redis-server on %s did not answer: %w", s.addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop ends the server and waits for it.
func (s *redisServer) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}

// client returns a go-redis client for the server, closed at the test's
// end, set as the Limiter needs it (context deadlines honoured) and
// without go-redis's own retries, so that a stopped server fails fast.
func (s *redisServer) client(tb testing.TB) *redis.Client {
	tb.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: s.addr, ContextTimeoutEnabled: true, MaxRetries: -1, DialTimeout: time.Second})
	tb.Cleanup(func() { _ = rdb.Close() })
	return rdb
}
