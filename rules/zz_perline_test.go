package rules

import (
	"fmt"
	"os"
	"testing"
	"time"
)

func TestZZPerLine(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	c, project := corpusWorld(t)
	lines := readCorpus(t, "allow.txt")
	for pass := 0; pass < 2; pass++ {
		var tot int64
		for _, l := range lines {
			if os.Getenv("ZZ") == "fresh" {
				c, project = corpusWorld(t)
			}
			for k := 0; k < 200; k++ {
				c.Check(Command{Source: l.cmd, Cwd: project})
			}
			start := time.Now()
			for k := 0; k < 2000; k++ {
				c.Check(Command{Source: l.cmd, Cwd: project})
			}
			d := time.Since(start).Nanoseconds() / 2000
			tot += d
			if l.cmd == "git blame README.md" || l.cmd == "make" {
				fmt.Printf("pass %d %d\t%q\n", pass, d, l.cmd)
			}
		}
		fmt.Println("mean", tot/int64(len(lines)))
	}
}
