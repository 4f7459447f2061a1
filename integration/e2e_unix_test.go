package integration

import (
	"os/exec"
	"syscall"
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
