package gateway

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"
)

// What guard wrap pays once per agent to start the gateway: guard-gateway
// built as install.sh builds it, started with `serve` until its ready line,
// then stopped by closing its stdin (BenchmarkGatewayStart), against the
// same binary started only to print its usage (BenchmarkGatewayExec, the
// cost of any process of that size). Each reports its median as p50-µs.

var (
	builtOnce sync.Once
	built     string
	buildErr  error
)

// gatewayBuilt builds cmd/guard-gateway once for the benchmarks.
func gatewayBuilt(b *testing.B) string {
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "guard-gateway-bench-")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "guard-gateway")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", built, "../../cmd/guard-gateway")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			b.Logf("%s", out)
		}
	})
	if buildErr != nil {
		b.Skipf("cannot build guard-gateway: %v", buildErr)
	}
	return built
}

func benchStart(b *testing.B, serve bool) {
	bin := gatewayBuilt(b)
	home := b.TempDir()
	env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	once := func() {
		if !serve {
			cmd := exec.Command(bin, "usage")
			cmd.Env = env
			cmd.Run()
			return
		}
		cmd := exec.Command(bin, "serve")
		cmd.Env, cmd.Dir = env, home
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
			b.Fatal(err)
		}
		in.Close()
		cmd.Wait()
	}
	once() // the CA is made
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		once()
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e3, "p50-µs")
}

func BenchmarkGatewayExec(b *testing.B)  { benchStart(b, false) }
func BenchmarkGatewayStart(b *testing.B) { benchStart(b, true) }
