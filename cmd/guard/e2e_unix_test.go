package main

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// newSession starts the child in a new session with no controlling
// terminal, as Claude Code and Codex run commands.
func newSession() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }

func exitStatus(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}

// runOutput runs cmd and returns its standard output and error and its
// exit status (128+N for a signal); a command that cannot start fails t.
func runOutput(t *testing.T, cmd *exec.Cmd) (string, string, int) {
	t.Helper()
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = exitStatus(ee)
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// asUser makes the child run as the unprivileged user uid.
func asUser(uid int) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true, Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)}}
}
