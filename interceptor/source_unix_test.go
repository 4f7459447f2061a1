//go:build unix

package interceptor

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO is never opened by the analysis: that would block it, or take
// the data from the command.
func TestScriptFromFIFOIsUnknown(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan []string, 1)
	go func() {
		done <- lines(Analyze("source "+fifo+"; cat < "+fifo+" | bash", Context{Cwd: dir, Home: dir}))
	}()
	select {
	case got := <-done:
		want := []string{"source " + fifo, "?", "cat", "bash", "?"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("got %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the analysis blocked on a FIFO")
	}
}
