package main

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checkOutput checks the demo removed every member without a 429.
func checkOutput(t *testing.T, out string) {
	t.Helper()
	if !strings.Contains(out, "24 requests in") || !strings.Contains(out, "429s: 0") {
		t.Errorf("output:\n%s\nwant 24 requests and no 429", out)
	}
}

func TestSharedBudgetInProcess(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, func(string) string { return "" }); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(out.String(), "one in-process limiter") {
		t.Errorf("output:\n%s\nwant the in-process limiter named", out.String())
	}
	checkOutput(t, out.String())
}

// TestSharedBudgetRedis runs the demo with REDIS_URL pointing at a
// redis-server the test starts (it fails, rather than skips, without one).
func TestSharedBudgetRedis(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("this test needs redis-server on PATH (Debian: apt-get install redis-server): %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	_ = ln.Close()
	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil {
			_ = c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var out bytes.Buffer
	env := map[string]string{"REDIS_URL": "redis://127.0.0.1:" + port + "/0"}
	if err := run(context.Background(), &out, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(out.String(), "share the budget through Redis") || strings.Contains(out.String(), "falling back") {
		t.Errorf("output:\n%s\nwant Redis used, no fallback", out.String())
	}
	checkOutput(t, out.String())
}
