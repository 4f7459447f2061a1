// Command sessionbench measures the throughput of a guard session against
// bash in a pseudo-terminal without guard, in one interleaved run: each
// round cats the same file (100 MB by default) once in each, in turn, and
// the medians and their ratio are printed. In the session every byte bash
// writes crosses guard's relay (inner pty -> guard -> outer terminal); the
// ratio is what that costs.
//
//	go run ./scripts/sessionbench [-n 5] [-mb 100] [-guard PATH]
//
// Without -guard it builds guard into a temporary directory first.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/creack/pty"

	"github.com/guard-dev/guard/scripts/internal/bench"
)

// prompt is the PS1 of both shells; endMark ends each measured command's
// output (printed as two words, so that the echoed command line does not
// hold it).
const (
	prompt  = "BENCH-READY$ "
	endMark = "END-OF-CAT"
)

func main() {
	n := flag.Int("n", 5, "rounds")
	mb := flag.Int("mb", 100, "size of the file to cat, in MB")
	guard := flag.String("guard", "", "guard binary (default: build one)")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "sessionbench")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	if *guard == "" {
		*guard = filepath.Join(tmp, "guard")
		if err := bench.BuildGuard(*guard); err != nil {
			fail(err)
		}
	}
	// A throwaway home, so nothing real is read or logged.
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".bashrc"), []byte("PS1='"+prompt+"'\n"), 0o644); err != nil {
		fail(err)
	}
	file := filepath.Join(tmp, "data.txt")
	line := []byte(strings.Repeat("g", 99) + "\n")
	if err := os.WriteFile(file, bytes.Repeat(line, *mb*10_000), 0o644); err != nil {
		fail(err)
	}
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home+"/.config",
		"XDG_STATE_HOME="+home+"/.local/state", "TERM=xterm", "PS1="+prompt)

	bash, err := exec.LookPath("bash")
	if err != nil {
		fail(err)
	}
	shells := []struct {
		name string
		argv []string
	}{
		{"bash in a pty", []string{bash, "-i"}},
		{"guard shell", []string{*guard, "shell"}},
	}
	times := make([][]time.Duration, len(shells))
	cmd := "cat " + file + "; echo END-OF-'CAT'"
	for round := 0; round < *n; round++ {
		for i, sh := range shells {
			d, err := measure(sh.argv, env, home, cmd)
			if err != nil {
				fail(fmt.Errorf("%s: %w", sh.name, err))
			}
			times[i] = append(times[i], d)
		}
	}
	base := bench.Median(times[0])
	for i, sh := range shells {
		m := bench.Median(times[i])
		fmt.Printf("%-14s median %8s  %6.0f MB/s\n", sh.name, m.Round(time.Millisecond), float64(*mb)/m.Seconds())
	}
	fmt.Printf("ratio guard shell / bash: %.2f\n", float64(bench.Median(times[1]))/float64(base))
}

// measure starts argv in a new pty, waits for its prompt, runs cmd and
// returns the time from Enter to the end mark.
func measure(argv, env []string, dir, cmd string) (time.Duration, error) {
	c := exec.Command(argv[0], argv[1:]...)
	c.Env, c.Dir = env, dir
	ptmx, err := pty.StartWithSize(c, &pty.Winsize{Rows: 50, Cols: 200})
	if err != nil {
		return 0, err
	}
	defer func() {
		ptmx.Close()
		c.Process.Signal(syscall.SIGHUP)
		c.Wait()
	}()
	r := &reader{f: ptmx}
	if err := r.until(prompt, 10*time.Second); err != nil {
		return 0, fmt.Errorf("no prompt: %w", err)
	}
	start := time.Now()
	if _, err := ptmx.Write([]byte(cmd + "\r")); err != nil {
		return 0, err
	}
	if err := r.until(endMark, 5*time.Minute); err != nil {
		return 0, err
	}
	d := time.Since(start)
	ptmx.Write([]byte("exit\r"))
	return d, nil
}

// reader reads a pty until a string shows, keeping only a short tail.
type reader struct {
	f    *os.File
	tail []byte
}

func (r *reader) until(s string, timeout time.Duration) error {
	r.f.SetReadDeadline(time.Now().Add(timeout))
	buf := make([]byte, 256<<10)
	for {
		if bytes.Contains(r.tail, []byte(s)) {
			r.tail = r.tail[bytes.Index(r.tail, []byte(s))+len(s):]
			return nil
		}
		n, err := r.f.Read(buf)
		if n > 0 {
			r.tail = append(r.tail, buf[:n]...)
			if len(r.tail) > 4096 {
				r.tail = append([]byte(nil), r.tail[len(r.tail)-4096:]...)
			}
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return fmt.Errorf("%q did not show within %s", s, timeout)
			}
			return err
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sessionbench:", err)
	os.Exit(1)
}
