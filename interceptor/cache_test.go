package interceptor

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// memSources is a SourceCache in memory that counts its use.
type memSources struct {
	m          map[string][]byte
	gets, hits int
	puts       int
}

func (c *memSources) Get(k string) ([]byte, bool) {
	c.gets++
	v, ok := c.m[k]
	if ok {
		c.hits++
	}
	return v, ok
}

func (c *memSources) Put(k string, v []byte) {
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	c.puts++
	c.m[k] = v
}

// snapshotLike is a shell snapshot in Claude Code's format: functions in
// base64 inside eval, options, aliases, PATH.
func snapshotLike() string {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	return "# Snapshot file\nunalias -a 2>/dev/null || true\n# Functions\n" +
		`eval "$(echo '` + enc("cleanup () \n{ \n    rm -rf ~/Documents\n}\n") + `' | base64 -d)" > /dev/null 2>&1` + "\n" +
		`eval "$(echo '` + enc("gs () \n{ \n    git status --short \"$@\"\n}\n") + `' | base64 -d)" > /dev/null 2>&1` + "\n" +
		"# Shell Options\nshopt -u autocd\nset -o braceexpand\nshopt -s expand_aliases\n" +
		"# Aliases\nalias -- ll='ls -l'\nalias -- tidy='rm -rf ~/tmp-stuff'\n" +
		"if ! (unalias rg 2>/dev/null; command -v rg) >/dev/null 2>&1; then\n  alias rg='/opt/rg'\nfi\n" +
		"export PATH=/usr/bin\\:/bin\n"
}

func TestSourceCacheKeepsInertFiles(t *testing.T) {
	const snap = tHome + "/.claude/shell-snapshots/snapshot-bash-1-a.sh"
	cmds := []string{
		`ls -la`,
		`cleanup`,
		`gs -b`,
		`ll src`,
		`tidy`,
		`echo "$PATH"`,
		`unset -f cleanup; cleanup`,
		`cleanup() { echo redefined; }; cleanup`,
		`bash -c cleanup`,
	}
	cache := &memSources{}
	for _, cmd := range cmds {
		src := "source " + snap + " 2>/dev/null || true && eval '" + cmd + "' < /dev/null"
		plain := func(ctx *Context) { ctx.FS.(MapFS)[snap] = snapshotLike() }
		cached := func(ctx *Context) { plain(ctx); ctx.Sources = cache }
		want := analyzeLines(src, plain)
		cold := analyzeLines(src, cached)
		warm := analyzeLines(src, cached)
		// The cached file's own builtins are not listed again on a hit;
		// what the command runs is the same.
		if strings.Join(tail(cold), "\n") != strings.Join(tail(want), "\n") ||
			strings.Join(tail(warm), "\n") != strings.Join(tail(want), "\n") {
			t.Errorf("%q:\n without cache %q\n cold          %q\n warm          %q", cmd, want, cold, warm)
		}
	}
	if cache.puts != 1 || cache.hits != len(cmds)*2-1 {
		t.Errorf("cache used %d puts, %d hits of %d gets; want 1 put and every later get a hit", cache.puts, cache.hits, cache.gets)
	}
}

// tail returns what follows the source of the snapshot: the lines from
// the last "true" (of "|| true") on.
func tail(lines []string) []string {
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i] == "true" {
			return lines[i:]
		}
	}
	return lines
}

func TestSourceCacheSkipsFilesThatDoMore(t *testing.T) {
	files := []string{
		"alias x=y\nrm -rf ~/x\n",
		"alias x=y\necho hi > ~/out\n",
		"alias x=y\nsource ~/.bashrc\n",
		"alias x=y\neval \"$UNSET_THING\"\n",
		"alias x=y\ncd /srv\n",
		"alias x=y\nset -- a b\n",
		"alias x=y\nX=$(cat ~/.bashrc)\n",
		"alias x=y\nsudo true\n",
		"alias x=y\nssh h true\n",
	}
	for _, f := range files {
		cache := &memSources{}
		edit := func(ctx *Context) {
			ctx.FS.(MapFS)[tHome+"/f.sh"] = f
			ctx.Sources = cache
		}
		analyzeLines("source ~/f.sh", edit)
		if cache.puts != 0 {
			t.Errorf("%q was cached", f)
		}
	}
}

func TestSourceCacheKey(t *testing.T) {
	cache := &memSources{}
	run := func(edit func(*Context)) {
		analyzeLines("source ~/f.sh; x", func(ctx *Context) {
			ctx.FS.(MapFS)[tHome+"/f.sh"] = "alias x='rm -rf ~/x'\n"
			ctx.Sources = cache
			if edit != nil {
				edit(ctx)
			}
		})
	}
	run(nil)
	run(nil)
	if cache.puts != 1 || cache.hits != 1 {
		t.Fatalf("same file, same state: %d puts, %d hits", cache.puts, cache.hits)
	}
	for name, edit := range map[string]func(*Context){
		"content": func(ctx *Context) { ctx.FS.(MapFS)[tHome+"/f.sh"] = "alias x='rm -rf ~/y'\n" },
		"cwd":     func(ctx *Context) { ctx.Cwd = tHome },
		"env":     func(ctx *Context) { ctx.Env = map[string]string{"HOME": tHome, "OTHER": "1"} },
		"exact":   func(ctx *Context) { ctx.EnvExact = true },
		"args":    func(ctx *Context) { ctx.Args = []string{"bash", "a"} },
	} {
		hits := cache.hits
		run(edit)
		if cache.hits != hits {
			t.Errorf("a different %s hit the cache", name)
		}
	}
}

func TestSourceCacheDamagedEntry(t *testing.T) {
	cache := &memSources{}
	edit := func(ctx *Context) {
		ctx.FS.(MapFS)[tHome+"/f.sh"] = "alias x='rm -rf ~/x'\n"
		ctx.Sources = cache
	}
	analyzeLines("source ~/f.sh; x", edit)
	for k, v := range cache.m {
		cache.m[k] = v[:len(v)-3]
	}
	got := analyzeLines("source ~/f.sh; x", edit)
	want := []string{"source /home/u/f.sh", "alias 'x=rm -rf ~/x'", "rm -rf /home/u/x"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("damaged entry: got %q, want %q", got, want)
	}
}

func TestSourceEntryRoundTrip(t *testing.T) {
	e := &sourceEntry{
		vars:        map[string]shVar{"A": {val: "1", set: true}, "B": {}},
		funcs:       map[string]string{"f": "f() { :; }"},
		aliases:     map[string]string{"ll": "ls -l"},
		funcAliases: map[string]map[string]string{"f": {"ll": "ls -l"}},
	}
	got, err := decodeEntry(e.encode())
	if err != nil {
		t.Fatal(err)
	}
	if string(got.encode()) != string(e.encode()) {
		t.Errorf("round trip changed the entry")
	}
	for i := range len(e.encode()) {
		if _, err := decodeEntry(e.encode()[:i]); err == nil {
			t.Errorf("a truncated entry (%d bytes) decodes", i)
		}
	}
}

// claudeSnapshot returns a shell snapshot in Claude Code's format with n
// completion helpers of the kind tools install (about 650 bytes each in the
// file), as the test user's rc file in integration/testdata/harness has.
func claudeSnapshot(n int) string {
	wrap := func(s string) string {
		var b strings.Builder
		for len(s) > 76 {
			b.WriteString(s[:76] + "\n")
			s = s[76:]
		}
		b.WriteString(s)
		return b.String()
	}
	var b strings.Builder
	b.WriteString("# Snapshot file\n# Unset all aliases to avoid conflicts with functions\nunalias -a 2>/dev/null || true\n# Functions\n")
	for i := range n {
		fn := fmt.Sprintf(`__tool%d_complete () 
{ 
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}";
    case "$prev" in 
        --config | -c)
            COMPREPLY=($(compgen -f -- "$cur"))
        ;;
        --format)
            COMPREPLY=($(compgen -W 'json yaml text' -- "$cur"))
        ;;
        *)
            COMPREPLY=($(compgen -W 'build test run deploy status --config --format --help' -- "$cur"))
        ;;
    esac;
    return 0
}
`, i)
		fmt.Fprintf(&b, "eval \"$(echo '%s' | base64 -d)\" > /dev/null 2>&1\n", wrap(base64.StdEncoding.EncodeToString([]byte(fn))))
	}
	b.WriteString("# Shell Options\nshopt -u autocd\nshopt -s checkwinsize\nshopt -s cmdhist\nset -o braceexpand\nset -o hashall\nshopt -s expand_aliases\n")
	b.WriteString("# Aliases\nalias -- ll='ls -l'\nalias -- gst='git status'\n")
	b.WriteString("# Check for rg availability\nif ! (unalias rg 2>/dev/null; command -v rg) >/dev/null 2>&1; then\n  alias rg='/opt/claude-code/vendor/ripgrep/x64-linux/rg'\nfi\n")
	b.WriteString("export PATH=/usr/local/bin\\:/usr/bin\\:/bin\n")
	return b.String()
}

// BenchmarkClaudeSnapshot measures one Claude Code Bash call's analysis
// with its snapshot sourced: analysed, and from the cache.
func BenchmarkClaudeSnapshot(b *testing.B) {
	for _, n := range []int{40, 300} {
		snap := claudeSnapshot(n)
		path := tHome + "/.claude/shell-snapshots/snapshot-bash-1-a.sh"
		src := "source " + path + " 2>/dev/null || true && shopt -u extglob 2>/dev/null || true && { \\builtin unalias -- 'unsetenv'; \\builtin unset -f -- 'unsetenv'; } >/dev/null 2>&1 || true && eval 'ls -la' < /dev/null && pwd -P >| /tmp/claude-ab12-cwd"
		for _, cached := range []bool{false, true} {
			name := fmt.Sprintf("%dKB/analysed", len(snap)>>10)
			if cached {
				name = fmt.Sprintf("%dKB/cached", len(snap)>>10)
			}
			b.Run(name, func(b *testing.B) {
				ctx := testContext()
				ctx.FS.(MapFS)[path] = snap
				ctx.EnvExact = true
				if cached {
					ctx.Sources = &memSources{}
				}
				var z Analyzer
				for _, inv := range z.Analyze(src, ctx) {
					if inv.Unknown != "" {
						b.Fatal(inv.Unknown)
					}
				}
				b.ReportAllocs()
				for b.Loop() {
					z.Analyze(src, ctx)
				}
			})
		}
	}
}

func TestLargeEvalIsCached(t *testing.T) {
	var defs strings.Builder
	for i := 0; defs.Len() < 20<<10; i++ {
		fmt.Fprintf(&defs, "helper%d () \n{ \n    printf '%%s\\n' \"helper %d: $*\"\n}\n", i, i)
	}
	defs.WriteString("wipe () \n{ \n    rm -rf ~/Documents\n}\nalias ll='ls -l'\n")
	state := defs.String()
	cache := &memSources{}
	run := func(cmd string) []string {
		return analyzeLines(`snap=$(command cat <&3) && builtin eval -- "$snap" && `+cmd, func(ctx *Context) {
			ctx.Fds = map[int]string{3: state}
			ctx.Sources = cache
		})
	}
	for range 2 {
		if got := run("wipe"); got[len(got)-1] != "rm -rf /home/u/Documents" {
			t.Errorf("wipe: %q", got)
		}
		if got := run("ll"); got[len(got)-1] != "ls -l" {
			t.Errorf("ll: %q", got)
		}
	}
	if cache.puts != 1 || cache.hits != 3 {
		t.Errorf("%d puts, %d hits; want 1 and 3", cache.puts, cache.hits)
	}
	// Small evals (the command itself) do not touch the cache; large ones
	// that run something are not kept.
	cache = &memSources{}
	analyzeLines(`eval 'ls -la'`, func(ctx *Context) { ctx.Sources = cache })
	if cache.gets != 0 {
		t.Errorf("a small eval used the cache")
	}
	analyzeLines(`snap=$(command cat <&3) && builtin eval -- "$snap"`, func(ctx *Context) {
		ctx.Fds = map[int]string{3: state + "rm -rf ~/x\n"}
		ctx.Sources = cache
	})
	if cache.puts != 0 {
		t.Errorf("an eval that runs rm was kept")
	}
}

// A function defined in one text and called from another reports its
// commands' text from its own definition, whether it was analysed just now
// or read back from the cache: the positions in its body point there.
func TestFunctionTextComesFromItsDefinition(t *testing.T) {
	const def = "export A=1\nf() {\n  rm -rf /srv/old \"$@\"\n}\n"
	src := `source /s/defs.sh; g; eval "$(printf %s '` + def + `')"; f x`
	fsys := MapFS{"/s/defs.sh": "# defines g\ng() { touch /srv/flag; }\n"}
	cache := &memSources{}
	for run := 0; run < 2; run++ {
		var texts []string
		for _, inv := range Analyze(src, Context{Cwd: "/w", Home: "/home/u", FS: fsys, Sources: cache}) {
			if inv.Name == "rm" || inv.Name == "touch" {
				// A function's body is judged in the text it was defined in.
				texts = append(texts, inv.Text)
			}
		}
		want := []string{"touch /srv/flag;", `rm -rf /srv/old "$@"`}
		if fmt.Sprint(texts) != fmt.Sprint(want) {
			t.Errorf("run %d: texts %q, want %q", run, texts, want)
		}
	}
	if cache.hits == 0 {
		t.Error("the sourced file was not read back from the cache")
	}
}
