package rules

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

const zzN = 1000

func cpuNow() int64 {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return r.Utime.Nano() + r.Stime.Nano()
}

func TestZZOne(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	c, project := corpusWorld(t)
	for _, src := range strings.Split(os.Getenv("ZZ"), ";;") {
		for k := 0; k < 10; k++ {
			c.Check(Command{Source: src, Cwd: project})
		}
		start := cpuNow()
		for k := 0; k < zzN; k++ {
			c.Check(Command{Source: src, Cwd: project})
		}
		fmt.Printf("%6d %q\n", (cpuNow()-start)/int64(zzN), src)
	}
}
