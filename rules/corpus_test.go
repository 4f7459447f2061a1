package rules

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// corpusLine is one command of the public corpus.
type corpusLine struct {
	section string
	line    int
	cmd     string
}

// readCorpus reads a corpus file: comments skipped, "\n" in a line turned
// into a newline, section headers ("# --- name") remembered.
func readCorpus(t testing.TB, name string) []corpusLine {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if s, ok := strings.CutPrefix(text, "# --- "); ok {
			section = s
			continue
		}
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
			continue
		}
		out = append(out, corpusLine{section, n, strings.ReplaceAll(text, `\n`, "\n")})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusWorld makes the brief's world on disk: a fresh HOME with a git
// project inside it, and returns a checker for it and the project dir.
func corpusWorld(t testing.TB) (*Checker, string) {
	t.Helper()
	home := t.TempDir()
	project := filepath.Join(home, "code", "app")
	for _, d := range []string{".git", "src", "internal/auth", "logs", "frontend"} {
		if err := os.MkdirAll(filepath.Join(project, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range map[string]string{
		".git/HEAD":    "ref: refs/heads/main\n",
		"package.json": `{"scripts":{"test":"vitest","build":"tsc && vite build","lint":"eslint .","dev":"vite","prepare":"husky install"}}` + "\n",
		"Makefile":     ".PHONY: build test clean\nbuild:\n\tgo build ./...\ntest:\n\tgo test ./...\nclean:\n\trm -rf build/ *.o\n",
		"go.mod":       "module app\n",
		"README.md":    "# app\n",
		"src/app.ts":   "export {}\n",
		"files.txt":    "src/app.ts\n",
	} {
		if err := os.WriteFile(filepath.Join(project, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"HOME": home, "USER": "u", "PATH": "/usr/local/bin:/usr/bin:/bin"}
	c, err := NewChecker(Options{
		Home:      home,
		User:      "u",
		Env:       env,
		Locations: Locate(home, func(string) string { return "" }),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, project
}

func TestCorpusAllow(t *testing.T) {
	c, project := corpusWorld(t)
	for _, l := range readCorpus(t, "allow.txt") {
		if v := c.Check(Command{Source: l.cmd, Cwd: project}).Verdict; v.Decision != Allow {
			t.Errorf("allow.txt:%d %q: got %s, want allow; findings %+v", l.line, l.cmd, v.Decision, v.Findings)
		}
	}
}

func TestCorpusBlock(t *testing.T) {
	c, project := corpusWorld(t)
	for _, l := range readCorpus(t, "block.txt") {
		if v := c.Check(Command{Source: l.cmd, Cwd: project}).Verdict; v.Decision == Allow {
			t.Errorf("block.txt:%d %q (%s): allowed, want confirm or deny", l.line, l.cmd, l.section)
		}
	}
}

func BenchmarkCorpusAllow(b *testing.B) {
	c, project := corpusWorld(b)
	lines := readCorpus(b, "allow.txt")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := lines[i%len(lines)]
		c.Check(Command{Source: l.cmd, Cwd: project})
	}
}

// BenchmarkCorpusAllowMedian reports the median, over the lines of the
// allow corpus, of each line's mean analysis time through every pack: the
// "everyday command" figure. Each line is timed over many runs.
func BenchmarkCorpusAllowMedian(b *testing.B) {
	c, project := corpusWorld(b)
	lines := readCorpus(b, "allow.txt")
	per := make([]float64, len(lines))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, l := range lines {
			start := time.Now()
			for k := 0; k < 20; k++ {
				c.Check(Command{Source: l.cmd, Cwd: project})
			}
			per[j] += float64(time.Since(start).Nanoseconds()) / 20
		}
	}
	b.StopTimer()
	sort.Float64s(per)
	b.ReportMetric(per[len(per)/2]/float64(b.N), "ns/median-cmd")
	b.ReportMetric(per[len(per)*9/10]/float64(b.N), "ns/p90-cmd")
}
