// Command execbench measures what guard's exec judge costs whole
// processes: each workload runs through the built guard binary (guard -c)
// with GUARD_EXEC_JUDGE=on and =off, interleaved (each round runs every
// workload both ways, the order swapped every other round), so that load
// on the machine affects both alike. It prints the median of each and the
// ratio judge on / judge off.
//
//	go run ./scripts/execbench [-n 9] [-guard PATH] [-base PATH] [-only NAME]
//
// With -base, a second guard binary (the one before a change) runs in the
// same rounds, interleaved with the first, and gets a table of its own.
//
// The workloads are harmless and run in a throwaway git project under a
// throwaway HOME: guard -c true; make -j2 of 50 generated C files (make
// clean between runs, untimed); a warm go build of a small generated
// module (one file touched between runs, a private GOCACHE, ~/.cache/go-build of the throwaway HOME (a tool cache the fence lets commands write), warmed first);
// a bash loop of 2,000 /bin/true (per exec: its time less guard -c true's,
// divided by 2,000).
//
// Without -guard it builds guard (as install.sh does) into a directory
// under /opt: guard refuses to fence a project that holds its own binary,
// and /tmp is inside what the fence lets commands write.
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

// loops is the number of /bin/true execs of the bash loop.
const loops = 2000

// workload is one command line guard -c runs; prepare, when set, runs
// (untimed, unsupervised) before each timed run.
type workload struct {
	name    string
	line    string
	prepare func() error
}

func main() {
	n := flag.Int("n", 9, "rounds (each runs every workload with the judge on and off)")
	guard := flag.String("guard", "", "guard binary (default: build one under /opt)")
	base := flag.String("base", "", "a second guard binary to compare, in the same rounds")
	only := flag.String("only", "", "run only the workloads whose name contains this")
	flag.Parse()
	if *guard == "" {
		dir, err := os.MkdirTemp("/opt", "execbench-guard")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		*guard = filepath.Join(dir, "guard")
		if err := bench.BuildGuard(*guard); err != nil {
			fail(err)
		}
	}
	home, err := os.MkdirTemp("", "execbench-home")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(home)
	project := filepath.Join(home, "code", "app")
	env, err := setUp(*guard, home, project)
	if err != nil {
		fail(err)
	}
	cdir, godir := filepath.Join(project, "c"), filepath.Join(project, "gomod")
	if err := writeC(cdir, 50); err != nil {
		fail(err)
	}
	if err := writeGo(godir, 8); err != nil {
		fail(err)
	}
	// Warm the build cache, unsupervised.
	if err := run(env, godir, "go", "build", "-o", "app", "."); err != nil {
		fail(fmt.Errorf("warming the go build cache: %w", err))
	}
	touched := filepath.Join(godir, "p0", "p.go")
	all := []workload{
		{name: "guard -c true", line: "true"},
		{name: "make -j2 (50 C files)", line: "cd c && make -s -j2",
			prepare: func() error { return run(env, cdir, "make", "-s", "clean") }},
		{name: "warm go build", line: "cd gomod && go build -o app .",
			prepare: func() error { now := time.Now(); return os.Chtimes(touched, now, now) }},
		{name: fmt.Sprintf("bash loop of %d /bin/true", loops),
			line: fmt.Sprintf("bash -c 'i=0; while [ $i -lt %d ]; do /bin/true; i=$((i+1)); done'", loops)},
	}
	var cases []workload
	for _, w := range all {
		if strings.Contains(w.name, *only) {
			cases = append(cases, w)
		}
	}
	bins := []string{*guard}
	if *base != "" {
		bins = append(bins, *base)
	}
	// on[b][i] and off[b][i]: binary b, workload i.
	on := make([][][]time.Duration, len(bins))
	off := make([][][]time.Duration, len(bins))
	for b := range bins {
		on[b] = make([][]time.Duration, len(cases))
		off[b] = make([][]time.Duration, len(cases))
	}
	for r := 0; r < *n; r++ {
		for i, w := range cases {
			for k := 0; k < 2*len(bins); k++ {
				b := (k/2 + r) % len(bins)
				judge := (k+r)%2 == 0
				d, err := timeOne(bins[b], env, project, w, judge)
				if err != nil {
					fail(fmt.Errorf("%s (%s, judge %v): %w", w.name, bins[b], judge, err))
				}
				if judge {
					on[b][i] = append(on[b][i], d)
				} else {
					off[b][i] = append(off[b][i], d)
				}
			}
		}
	}
	for b, bin := range bins {
		report(bin, cases, on[b], off[b], *n)
	}
}

// report prints the medians of one guard binary's runs and their ratios.
func report(bin string, cases []workload, on, off [][]time.Duration, n int) {
	fmt.Printf("\n%s\n%-34s %12s %12s %7s %7s   (%d rounds, interleaved; pairs: median of each round's on/off)\n", bin, "workload", "judge on", "judge off", "ratio", "pairs", n)
	var trueOn, trueOff time.Duration
	for i, w := range cases {
		mOn, mOff := bench.Median(on[i]), bench.Median(off[i])
		// The ratio of each round's pair, run one after the other, is
		// less at the mercy of the machine's load than the medians'.
		var pairs []time.Duration
		for r := range on[i] {
			pairs = append(pairs, time.Duration(float64(time.Second)*float64(on[i][r])/float64(off[i][r])))
		}
		fmt.Printf("%-34s %9.2f ms %9.2f ms %7.3f %7.3f\n", w.name, bench.Ms(mOn), bench.Ms(mOff), float64(mOn)/float64(mOff), bench.Median(pairs).Seconds())
		if w.line == "true" {
			trueOn, trueOff = mOn, mOff
		}
		if strings.HasPrefix(w.name, "bash loop") && trueOn > 0 {
			pOn, pOff := (mOn-trueOn)/loops, (mOff-trueOff)/loops
			fmt.Printf("%-34s %9.3f ms %9.3f ms %7.3f\n", "  per /bin/true exec", bench.Ms(pOn), bench.Ms(pOff), float64(pOn)/float64(pOff))
		}
	}
}

// timeOne runs w once through guard -c and returns its wall time.
func timeOne(guard string, env []string, dir string, w workload, judge bool) (time.Duration, error) {
	if w.prepare != nil {
		if err := w.prepare(); err != nil {
			return 0, fmt.Errorf("preparing: %w", err)
		}
	}
	cmd := exec.Command(guard, "-c", w.line)
	cmd.Dir = dir
	cmd.Env = append(env[:len(env):len(env)], "GUARD_EXEC_JUDGE="+map[bool]string{true: "on", false: "off"}[judge])
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, out.Bytes())
	}
	return d, nil
}

// setUp makes home a throwaway HOME with the config install.sh writes and
// project a git repository in it, and returns the environment to run in.
func setUp(guard, home, project string) ([]string, error) {
	if err := os.MkdirAll(project, 0o755); err != nil {
		return nil, err
	}
	if out, err := exec.Command("git", "-C", project, "init", "-q").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("git init: %v: %s", err, out)
	}
	// TMPDIR inside the throwaway home: the write fence lets commands
	// write TMPDIR, and cc writes its temporary files there.
	tmp := filepath.Join(home, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, err
	}
	env := append(os.Environ(), "HOME="+home, "TMPDIR="+tmp, "XDG_CONFIG_HOME="+home+"/.config", "XDG_STATE_HOME="+home+"/.local/state",
		"GOCACHE="+home+"/.cache/go-build", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
	def := exec.Command(guard, "config", "--default")
	def.Env = env
	text, err := def.Output()
	if err != nil {
		return nil, fmt.Errorf("guard config --default: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".config", "guard"), 0o700); err != nil {
		return nil, err
	}
	return env, os.WriteFile(filepath.Join(home, ".config", "guard", "guard.toml"), text, 0o600)
}

// writeC writes n small C files and a Makefile that compiles and links
// them into dir.
func writeC(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var objs []string
	var main strings.Builder
	main.WriteString("#include <stdio.h>\n")
	for i := 1; i < n; i++ {
		src := fmt.Sprintf("#include <string.h>\nint f%d(const char *s) { int h = %d; while (*s) h = h * 31 + *s++; return h + (int)strlen(\"%d\"); }\n", i, i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.c", i)), []byte(src), 0o644); err != nil {
			return err
		}
		objs = append(objs, fmt.Sprintf("f%d.o", i))
		fmt.Fprintf(&main, "int f%d(const char *);\n", i)
	}
	main.WriteString("int main(int argc, char **argv) { int h = 0;\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&main, "h += f%d(argv[0]);\n", i)
	}
	main.WriteString("printf(\"%d\\n\", h); return 0; }\n")
	if err := os.WriteFile(filepath.Join(dir, "main.c"), []byte(main.String()), 0o644); err != nil {
		return err
	}
	objs = append(objs, "main.o")
	mk := "OBJS = " + strings.Join(objs, " ") + "\n\nprog: $(OBJS)\n\tcc -o $@ $(OBJS)\n\n%.o: %.c\n\tcc -O1 -c -o $@ $<\n\nclean:\n\trm -f prog $(OBJS)\n"
	return os.WriteFile(filepath.Join(dir, "Makefile"), []byte(mk), 0o644)
}

// writeGo writes a module of n small packages and a main that imports
// them into dir.
func writeGo(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.22\n"), 0o644); err != nil {
		return err
	}
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"fmt\"\n")
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("p%d", i))
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
		src := fmt.Sprintf("package p%d\n\nimport \"strings\"\n\n// F is a function.\nfunc F(s string) int { return strings.Count(s, \"a\") + %d }\n", i, i)
		if err := os.WriteFile(filepath.Join(p, "p.go"), []byte(src), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&main, "\t\"example.com/app/p%d\"\n", i)
	}
	main.WriteString(")\n\nfunc main() {\n\tn := 0\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&main, "\tn += p%d.F(\"banana\")\n", i)
	}
	main.WriteString("\tfmt.Println(n)\n}\n")
	return os.WriteFile(filepath.Join(dir, "main.go"), []byte(main.String()), 0o644)
}

// run runs argv in dir, unsupervised, and fails with its output.
func run(env []string, dir string, argv ...string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, out)
	}
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "execbench:", err)
	os.Exit(1)
}
