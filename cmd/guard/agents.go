package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/guard-dev/guard/integration"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
)

// runHook implements "guard hook AGENT": one pre-execution event on stdin,
// the agent's answer on stdout.
func runHook(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintf(stderr, "usage: guard hook AGENT   (one of: %s)\n", strings.Join(integration.Agents(), ", "))
		return 2
	}
	return integration.HookFor(args[0], stdin, stdout, stderr, func(cwd string) integration.Checker {
		g, err := load(cwd, sandbox.ModeHook, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "guard: %v\n", err)
			return nil // the adapter fails closed
		}
		return sandbox.HookChecker{Guard: g, Agent: args[0], AsksHuman: integration.AsksHuman(args[0]), Stderr: stderr}
	})
}

// runInstall implements "guard install AGENT [--dry-run]" and, with
// remove, "guard uninstall".
func runInstall(args []string, remove bool, stdout, stderr io.Writer) int {
	verb := "install"
	if remove {
		verb = "uninstall"
	}
	var agent string
	dry, bad := false, false
	for _, a := range args {
		switch {
		case a == "--dry-run" || a == "-n":
			dry = true
		case agent == "" && !strings.HasPrefix(a, "-"):
			agent = a
		default:
			bad = true
		}
	}
	if agent == "" || bad {
		fmt.Fprintf(stderr, "usage: guard %s AGENT|shell [--dry-run]   (AGENT one of: %s)\n", verb, strings.Join(integration.InstallAgents(), ", "))
		return 2
	}
	bin, err := sandbox.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "guard %s: %v\n", verb, err)
		return 1
	}
	home := rules.UserHome(os.Getenv)
	opts := integration.InstallOptions{Home: home, Binary: bin, DryRun: dry, Getenv: os.Getenv}
	switch {
	case agent == "shell" && remove:
		err = integration.UninstallShell(opts, stdout)
	case agent == "shell":
		err = integration.InstallShell(opts, stdout)
	case remove:
		err = integration.Uninstall(agent, opts, stdout)
	default:
		err = integration.Install(agent, opts, stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "guard %s: %v\n", verb, err)
		return 1
	}
	return 0
}

// runDoctor implements "guard doctor".
func runDoctor(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: guard doctor")
		return 2
	}
	bin, err := sandbox.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "guard doctor: %v\n", err)
		return 1
	}
	home := rules.UserHome(os.Getenv)
	return integration.Doctor(integration.DoctorOptions{
		Home:   home,
		Binary: bin,
		Getenv: os.Getenv,
		Probe:  true,
		CheckConfig: func() error {
			cwd, _ := os.Getwd()
			opts := rules.FromProcess()
			root := rules.NewWorld(opts.Home, "", nil, nil).ProjectRoot(cwd)
			_, errs := rules.LoadPolicy(opts.Locations, root, os.Getenv)
			if len(errs) > 0 {
				var msgs []string
				for _, e := range errs {
					msgs = append(msgs, e.Error())
				}
				return fmt.Errorf("%s", strings.Join(msgs, "; "))
			}
			return nil
		},
		Mark: sandbox.MarkStatus,
		Fence: func() (bool, string) {
			cwd, _ := os.Getwd()
			return sandbox.FenceStatus(cwd)
		},
		ExecJudge: sandbox.ExecJudgeStatus,
		Gateway:   sandbox.GatewayStatus,
	}, stdout)
}
