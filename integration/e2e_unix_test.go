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

// asUser makes the child run as the unprivileged user uid.
func asUser(uid int) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true, Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)}}
}
