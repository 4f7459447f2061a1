package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
)

// Exit statuses of guard check.
const (
	exitAllow   = 0
	exitUsage   = 2
	exitConfirm = 3
	exitDeny    = 4
)

func exitFor(d rules.Decision) int {
	switch d {
	case rules.Confirm:
		return exitConfirm
	case rules.Deny:
		return exitDeny
	}
	return exitAllow
}

// runCheck implements "guard check": analysis only, nothing is executed.
func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var (
		asJSON, batch, nul bool
		cwd                string
		operands           []string
	)
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case a == "--json":
			asJSON = true
		case a == "--batch":
			batch = true
		case a == "-z":
			nul = true
		case a == "--cwd":
			if i+1 >= len(args) {
				fmt.Fprintln(stderr, "guard check: --cwd needs a directory")
				return exitUsage
			}
			i++
			cwd = args[i]
		case len(a) > len("--cwd=") && a[:len("--cwd=")] == "--cwd=":
			cwd = a[len("--cwd="):]
		case len(a) > 1 && a[0] == '-':
			fmt.Fprintf(stderr, "guard check: unknown option %s\n%s", a, usage)
			return exitUsage
		default:
			operands = append(operands, a)
		}
	}
	if nul && !batch {
		fmt.Fprintln(stderr, "guard check: -z only goes with --batch")
		return exitUsage
	}
	if batch == (len(operands) > 0) {
		fmt.Fprintf(stderr, "guard check: give one command, or --batch to read commands from stdin\n%s", usage)
		return exitUsage
	}
	if len(operands) > 1 {
		fmt.Fprintln(stderr, "guard check: give the command as one argument, quoted: guard check 'rm -rf build'")
		return exitUsage
	}
	if cwd == "" {
		wd, err := os.Getwd()
		if err != nil {
			fmt.Fprintf(stderr, "guard check: cannot read the working directory: %v; pass --cwd DIR\n", err)
			return exitUsage
		}
		cwd = wd
	} else if abs, err := filepath.Abs(cwd); err == nil {
		cwd = abs
	}
	g, err := load(cwd, sandbox.ModeCheck, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard check: %v\n", err)
		return exitUsage
	}
	if batch {
		return checkBatch(g.Checker, cwd, nul, stdin, stdout, stderr)
	}
	v := g.Checker.Check(rules.Command{Source: operands[0], Cwd: cwd}).Verdict
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(v)
	} else {
		printVerdict(stdout, operands[0], v)
	}
	return exitFor(v.Decision)
}

// batchResult is one line of "guard check --batch": the verdict's object
// with the command first.
type batchResult struct {
	Command  string          `json:"command"`
	Decision rules.Decision  `json:"decision"`
	Findings []rules.Finding `json:"findings"`
}

// checkBatch judges one command per line (or per NUL with -z) and writes
// one JSON object per command, in order. It exits with the strictest
// decision.
func checkBatch(c *rules.Checker, cwd string, nul bool, stdin io.Reader, stdout, stderr io.Writer) int {
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	if nul {
		sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
			if i := bytes.IndexByte(data, 0); i >= 0 {
				return i + 1, data[:i], nil
			}
			if atEOF && len(data) > 0 {
				if string(data) == "\n" {
					// A newline after the last NUL ends the input.
					return len(data), nil, nil
				}
				return len(data), data, nil
			}
			return 0, nil, nil
		})
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	worst := rules.Allow
	for sc.Scan() {
		cmd := sc.Text()
		v := c.Check(rules.Command{Source: cmd, Cwd: cwd}).Verdict
		worst = max(worst, v.Decision)
		if v.Findings == nil {
			v.Findings = []rules.Finding{}
		}
		enc.Encode(batchResult{Command: cmd, Decision: v.Decision, Findings: v.Findings})
	}
	if err := sc.Err(); err != nil {
		w.Flush()
		fmt.Fprintf(stderr, "guard check: reading commands: %v\n", err)
		return exitUsage
	}
	return exitFor(worst)
}

// printVerdict writes the human-readable form of a verdict, each command
// and reason on one line with control characters shown escaped.
func printVerdict(w io.Writer, cmd string, v rules.Verdict) {
	fmt.Fprintf(w, "%s: %s\n", v.Decision, display.Line(cmd))
	for _, f := range v.Findings {
		fmt.Fprintf(w, "  %s (%s): %s\n", display.Line(f.Rule), f.Decision, display.Line(f.Reason))
		if f.Command != cmd {
			fmt.Fprintf(w, "    in: %s\n", display.Line(f.Command))
		}
	}
}

// runRules implements "guard rules [--json]".
func runRules(args []string, stdout, stderr io.Writer) int {
	asJSON, hosts := false, false
	for _, a := range args {
		switch a {
		case "--json":
			asJSON = true
		case "--hosts":
			hosts = true
		default:
			fmt.Fprintf(stderr, "guard rules: unknown argument %s; usage: guard rules [--hosts] [--json]\n", a)
			return exitUsage
		}
	}
	cwd, _ := os.Getwd()
	if hosts {
		g, _ := load(cwd, sandbox.ModePolicy, stderr) // never fails in ModePolicy
		return printHosts(stdout, asJSON, g.Policy.ProductionHosts)
	}
	g, err := load(cwd, sandbox.ModeCheck, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard rules: %v\n", err)
		return exitUsage
	}
	checker := g.Checker
	if asJSON {
		type rule struct {
			ID       string         `json:"id"`
			Decision rules.Decision `json:"decision"`
			Summary  string         `json:"summary"`
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range checker.Rules() {
			enc.Encode(rule{r.ID, r.Default, r.Summary})
		}
		return 0
	}
	for _, r := range checker.Rules() {
		fmt.Fprintf(stdout, "%-32s %-8s %s\n", r.ID, r.Default, r.Summary)
	}
	fmt.Fprintln(stdout)
	return printHosts(stdout, false, g.Policy.ProductionHosts)
}

// printHosts prints the production platforms guard ships and the hosts the
// policy adds ([hosts] production): a request that can write to any of
// them needs a human (http.production-write).
func printHosts(w io.Writer, asJSON bool, configured []string) int {
	if asJSON {
		type platform struct {
			Platform string   `json:"platform"`
			Hosts    []string `json:"hosts"`
		}
		enc := json.NewEncoder(w)
		for _, p := range rules.Platforms() {
			enc.Encode(platform{p.Name, p.Hosts})
		}
		if len(configured) > 0 {
			enc.Encode(platform{"[hosts] production", configured})
		}
		return 0
	}
	fmt.Fprintln(w, "Production platforms: a request that can write to these hosts needs a human (http.production-write):")
	for _, p := range rules.Platforms() {
		fmt.Fprintf(w, "  %-16s %s\n", p.Name, strings.Join(p.Hosts, " "))
	}
	if len(configured) > 0 {
		fmt.Fprintf(w, "  %-16s %s\n", "your policy", strings.Join(configured, " "))
	}
	return 0
}
