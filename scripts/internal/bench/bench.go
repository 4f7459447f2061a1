// Package bench holds what the whole-process measurement scripts
// (scripts/benchproc, scripts/execbench, scripts/sessionbench) share:
// building guard as install.sh does, and medians of timings.
package bench

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"
)

// BuildGuard builds ./cmd/guard to path as install.sh does (static, no
// cgo, stripped), so that what is timed is what users run.
func BuildGuard(path string) error {
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", path, "./cmd/guard")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building guard: %w", err)
	}
	return nil
}

// Median is the middle of ds (the upper one of an even count); ds is not
// changed.
func Median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// Ms is d in milliseconds.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
