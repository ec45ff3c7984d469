// Package e2e tests medsec the way people use it: the real binary's
// commands, a real server, and a real Chromium.
package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/cli"
)

// syncBuffer is a bytes.Buffer safe to read while the server writes logs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// demoServer runs "medsec demo" on a fresh database and serves it. It
// returns the base URL and the demo users' passwords by role.
func demoServer(t *testing.T, dsn string, assets string) (string, map[string]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Getenv: func(string) string { return "" },
		Ready: func(addr string) { ready <- addr }}
	go func() {
		done <- cli.Run(ctx, []string{"demo", "--db", dsn, "--assets", assets, "--seed", "7", "--out", t.TempDir(), "--listen", "127.0.0.1:0"}, env)
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("demo exited %d before serving:\n%s", code, out.String())
	case <-time.After(3 * time.Minute):
		t.Fatalf("demo did not start serving:\n%s", out.String())
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("server did not shut down within 20 s")
		}
	})
	pw := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s+demo-(\w+)\s+(\S+)\s+(\w+)`).FindAllStringSubmatch(out.String(), -1) {
		pw[m[1]] = m[2]
	}
	if len(pw) != len(medsec.Roles) {
		t.Fatalf("demo printed %d users:\n%s", len(pw), out.String())
	}
	return "http://" + addr, pw
}

// chromium finds the browser: MEDSEC_TEST_CHROMIUM, then PATH. Under CI
// a missing browser fails the test rather than skipping it.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("MEDSEC_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium: run scripts/test.sh, which installs Debian's chromium")
	}
	t.Skip("no Chromium; scripts/test.sh installs it")
	return ""
}

func screenshotDir(t *testing.T) string {
	if d := os.Getenv("MEDSEC_SCREENSHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	return filepath.Join(t.TempDir(), "shots")
}
