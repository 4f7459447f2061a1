// Command benchproc measures guard as a whole process against bash in one
// interleaved run: each round runs every command once, in turn, so that
// load on the machine affects all of them alike. It prints the median wall
// time of each and guard's added time.
//
//	go run ./scripts/benchproc [-n 400] [-guard PATH]
//
// Without -guard it builds guard into a temporary directory first.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/guard-dev/guard/scripts/internal/bench"
)

func main() {
	n := flag.Int("n", 400, "rounds")
	guard := flag.String("guard", "", "guard binary (default: build one)")
	flag.Parse()
	if *guard == "" {
		dir, err := os.MkdirTemp("", "benchproc")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		*guard = filepath.Join(dir, "guard")
		if err := bench.BuildGuard(*guard); err != nil {
			fail(err)
		}
	}
	floor, err := buildFloor()
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(filepath.Dir(floor))
	// A throwaway home and git project, so nothing real is read or logged.
	home, err := os.MkdirTemp("", "benchproc-home")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(home)
	project := filepath.Join(home, "code", "app")
	if err := os.MkdirAll(project, 0o755); err != nil {
		fail(err)
	}
	if out, err := exec.Command("git", "-C", project, "init", "-q").CombinedOutput(); err != nil {
		fail(fmt.Errorf("git init: %v: %s", err, out))
	}
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home+"/.config", "XDG_STATE_HOME="+home+"/.local/state")
	// The config install.sh writes, so that guard reads what it reads
	// once installed.
	def := exec.Command(*guard, "config", "--default")
	def.Env = env
	text, err := def.Output()
	if err != nil {
		fail(fmt.Errorf("guard config --default: %w", err))
	}
	if err := os.MkdirAll(filepath.Join(home, ".config", "guard"), 0o700); err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".config", "guard", "guard.toml"), text, 0o600); err != nil {
		fail(err)
	}

	batch := strings.Repeat("git status --short\nls -lah src/\nnpm run test -- --watch=false\nrm -rf node_modules\n", 2500)
	cases := []struct {
		name  string
		argv  []string
		stdin string
		env   string
	}{
		{"bash -c true", []string{"/bin/bash", "-c", "true"}, "", ""},
		{"guard -c true", []string{*guard, "-c", "true"}, "", ""},
		{"bash -c 'git status'", []string{"/bin/bash", "-c", "git status >/dev/null"}, "", ""},
		{"guard -c 'git status'", []string{*guard, "-c", "git status >/dev/null"}, "", ""},
		{"guard check 'git status'", []string{*guard, "check", "git status"}, "", ""},
		{"guard check --batch (10,000 commands)", []string{*guard, "check", "--batch"}, batch, ""},
		{"floor: a Go program that execs bash -c true", []string{floor, "-c", "true"}, "", ""},
		{"guard -c true, no write fence", []string{*guard, "-c", "true"}, "", "GUARD_FENCE=off"},
		{"guard -c 'git status', no write fence", []string{*guard, "-c", "git status >/dev/null"}, "", "GUARD_FENCE=off"},
	}
	times := make([][]time.Duration, len(cases))
	for r := 0; r < *n; r++ {
		for i, c := range cases {
			if strings.Contains(c.name, "--batch") && r%20 != 0 {
				continue // the batch is long: sample it less often
			}
			cmd := exec.Command(c.argv[0], c.argv[1:]...)
			cmd.Dir = project
			cmd.Env = env
			if c.env != "" {
				cmd.Env = append(env[:len(env):len(env)], c.env)
			}
			cmd.Stdin = strings.NewReader(c.stdin)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err := cmd.Run()
			d := time.Since(start)
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				fail(fmt.Errorf("%s: %v", c.name, err))
			}
			times[i] = append(times[i], d)
		}
	}
	med := make([]time.Duration, len(cases))
	for i, c := range cases {
		med[i] = bench.Median(times[i])
		fmt.Printf("%-40s median %8.3f ms  (%d runs)\n", c.name, bench.Ms(med[i]), len(times[i]))
	}
	fmt.Printf("\nguard -c true adds          %7.3f ms (ratio %.2f)\n", bench.Ms(med[1]-med[0]), float64(med[1])/float64(med[0]))
	fmt.Printf("guard -c 'git status' adds  %7.3f ms (ratio %.2f)\n", bench.Ms(med[3]-med[2]), float64(med[3])/float64(med[2]))
	fmt.Printf("guard check --batch         %7.0f commands/s\n", 10000/med[5].Seconds())
	fmt.Printf("the write fence costs       %7.3f ms on guard -c true (ratio %.2f), %.3f ms on git status (ratio %.2f)\n",
		bench.Ms(med[1]-med[7]), float64(med[1])/float64(med[7]), bench.Ms(med[3]-med[8]), float64(med[3])/float64(med[8]))
	fmt.Printf("\nof what guard -c true adds, %.3f ms is the floor of any Go program that\n"+
		"execs bash on this machine, and %.3f ms is guard's own start-up and work\n",
		bench.Ms(med[6]-med[0]), bench.Ms(med[1]-med[6]))
}

// floorSource is the least a wrapper written in Go can do: start, then
// exec bash with its own arguments.
const floorSource = `package main

import (
	"os"
	"syscall"
)

func main() {
	syscall.Exec("/bin/bash", append([]string{"bash"}, os.Args[1:]...), os.Environ())
	os.Exit(127)
}
`

// buildFloor builds floorSource as guard is built and returns the binary.
func buildFloor() (string, error) {
	dir, err := os.MkdirTemp("", "benchproc-floor")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.22\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(floorSource), 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "floor")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building the floor program: %w", err)
	}
	return bin, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchproc:", err)
	os.Exit(1)
}
