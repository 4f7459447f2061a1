package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// A hook that is in the settings file is not yet a hook that runs: the
// binary may not start, a wrapper may fail, the command may speak another
// protocol. So doctor runs the hook's command line itself, as the agent
// does (through sh -c, the event on stdin), with an event for a command
// guard always blocks, and checks that the answer blocks it. Hook mode only
// analyses: the probe command is never run. It does reach the audit log,
// where its comment says what it was.

// probeCommand is the command of the probe event.
const probeCommand = "rm -rf / # guard doctor: a probe of the hook, never run"

// probeTimeout bounds one probe: a hook that hangs is a hook that fails.
const probeTimeout = 20 * time.Second

// probeEvent is the pre-execution event agent sends for a shell command,
// with cwd as the working directory.
func probeEvent(agent, cwd string) ([]byte, error) {
	a, ok := adapterFor(agent)
	if !ok || a.probe == nil {
		return nil, fmt.Errorf("no probe event for %s", agent)
	}
	return json.Marshal(a.probe(probeCommand, cwd))
}

// probeHook runs argv (the agent's way of starting the hook) with the
// probe event of agent and says why the answer is not a block, or nil.
func probeHook(agent, cwd string, argv ...string) error {
	ev, err := probeEvent(agent, cwd)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = cwd
	cmd.Stdin = bytes.NewReader(ev)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	exit := 0
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("it did not answer within %s", probeTimeout)
	case errors.As(err, &ee):
		exit = ee.ExitCode()
	case err != nil:
		return fmt.Errorf("it could not be started: %v", err)
	}
	if blocks(stdout.Bytes(), exit) {
		return nil
	}
	said := strings.TrimSpace(stdout.String() + " " + stderr.String())
	if said == "" {
		said = "nothing"
	}
	return fmt.Errorf("asked about %q it exited %d and said %s, which does not block the command", "rm -rf /", exit, shorten(said, 300))
}

// blocks says whether a hook's answer blocks the command, in any of the
// protocols guard speaks: exit status 2, or a JSON answer that denies
// (permissionDecision, decision or permission "deny", or cancel true).
func blocks(stdout []byte, exit int) bool {
	if exit == 2 {
		return true
	}
	if exit != 0 {
		return false
	}
	var a struct {
		HookSpecificOutput struct {
			PermissionDecision string `json:"permissionDecision"`
		} `json:"hookSpecificOutput"`
		Decision   string `json:"decision"`
		Permission string `json:"permission"`
		Cancel     bool   `json:"cancel"`
	}
	if json.Unmarshal(bytes.TrimSpace(stdout), &a) != nil {
		return false
	}
	return a.HookSpecificOutput.PermissionDecision == "deny" || a.Decision == "deny" || a.Permission == "deny" || a.Cancel
}

// shorten bounds a text quoted in a message.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
