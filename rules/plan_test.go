package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// memCache is a SourceCache in memory.
type memCache map[string][]byte

func (m memCache) Get(k string) ([]byte, bool) { v, ok := m[k]; return v, ok }
func (m memCache) Put(k string, v []byte)      { m[k] = v }

// planFixture is a home, a scratch directory and a checker over them.
type planFixture struct {
	home, tmp string
	c         *Checker
}

func newPlanFixture(t *testing.T) planFixture {
	t.Helper()
	root := t.TempDir()
	home, tmp := filepath.Join(root, "home"), filepath.Join(root, "tmp")
	for _, d := range []string{home, tmp, filepath.Join(home, "junk"), filepath.Join(home, "Documents")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return planFixture{home: home, tmp: tmp}.withEnv(t, nil)
}

// withEnv returns f with a checker over the same directories whose
// environment has extra variables.
func (f planFixture) withEnv(t *testing.T, extra map[string]string) planFixture {
	t.Helper()
	vars := map[string]string{"HOME": f.home, "PATH": "/usr/bin:/bin", "TMPDIR": f.tmp}
	for k, v := range extra {
		vars[k] = v
	}
	c, err := NewChecker(Options{
		Home:     f.home,
		Env:      vars,
		EnvExact: true,
		TempDirs: []string{f.tmp},
		Sources:  memCache{},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.c = c
	return f
}

func (f planFixture) plan(src string, args []string, fds map[int]string) Plan {
	return f.c.Check(Command{Source: src, Cwd: f.home, Args: args, Fds: fds}).Plan()
}

func (f planFixture) write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(f.home, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// claudeCall is Claude Code's Bash tool wrapper (harness fixture
// claude-snapshot) around cmd, with the random cwd file named rnd.
func (f planFixture) claudeCall(snapshot, cmd, rnd string) string {
	q := "'" + strings.ReplaceAll(cmd, "'", `'"'"'`) + "'"
	return "source " + snapshot + ` 2>/dev/null || true && shopt -u extglob 2>/dev/null || true && { \builtin unalias -- 'unsetenv'; \builtin unset -f -- 'unsetenv'; } >/dev/null 2>&1 || true && eval ` + q + " < /dev/null && pwd -P >| " + f.tmp + "/claude-" + rnd + "-cwd"
}

// cursorScript is Cursor's wrapper (harness fixture cursor); the command is
// $1 and the saved state comes on descriptor 3.
const cursorScript = `snap=$(command cat <&3) && builtin shopt -s extglob && builtin eval -- "$snap" && { builtin set +u 2>/dev/null || true; builtin eval "${__CURSOR_SANDBOX_ENV_RESTORE:-}" 2>/dev/null; builtin export PWD="$(builtin pwd)"; builtin shopt -s expand_aliases 2>/dev/null; builtin eval "$1" < /dev/null; }; COMMAND_EXIT_CODE=$?; dump_bash_state >&4; builtin exit $COMMAND_EXIT_CODE`

// The plan is the same for two calls of one agent harness that differ only
// in the harness's random scratch file, even when the snapshot's analysis
// comes from the cache the second time.
func TestPlanKeyIgnoresHarnessNoise(t *testing.T) {
	f := newPlanFixture(t)
	snap := f.write(t, "snapshot-bash-1-abc.sh", "unalias -a 2>/dev/null || true\nexport PATH=/usr/bin:/bin\nll() { ls -l \"$@\"; }\nalias la='ls -a'\n")
	cmd := "rm -rf " + f.home + "/junk"
	a := f.plan(f.claudeCall(snap, cmd, "93e6"), []string{"bash"}, nil)
	b := f.plan(f.claudeCall(snap, cmd, "0f1c"), []string{"bash"}, nil)
	if a.Key != b.Key {
		t.Errorf("Claude wrapper with another cwd file: key changed\n%v\n%v", shows(a), shows(b))
	}
	gem := func(rnd string) string {
		return "shopt -u promptvars nullglob extglob nocaseglob dotglob; _bgpids_file=" + f.tmp + "/gemini-shell-" + rnd + "/bgpids.tmp\n(\n  trap 'jobs -p > \"$_bgpids_file\"' EXIT\n" + cmd + "\n)\n__code=$?\nexit $__code"
	}
	if a, b := f.plan(gem("x1Ab9Z"), []string{"bash"}, nil), f.plan(gem("Qw12er"), []string{"bash"}, nil); a.Key != b.Key {
		t.Errorf("Gemini wrapper with another temp dir: key changed\n%v\n%v", shows(a), shows(b))
	}
	pg := func(rnd string) string {
		return "shopt -u promptvars nullglob extglob nocaseglob dotglob; { " + cmd + "; }; __code=$?; pgrep -g 0 >" + f.tmp + "/shell_pgrep_" + rnd + ".tmp 2>&1; exit $__code;"
	}
	if a, b := f.plan(pg("7ad66c54c43b"), []string{"bash"}, nil), f.plan(pg("0123456789ab"), []string{"bash"}, nil); a.Key != b.Key {
		t.Errorf("Gemini pgrep wrapper with another temp file: key changed")
	}
	// A file outside the scratch directory with the same shape is not
	// harness noise.
	if a, b := f.plan("pwd -P >| "+f.home+"/claude-93e6-cwd", nil, nil), f.plan("pwd -P >| "+f.home+"/claude-0f1c-cwd", nil, nil); a.Key == b.Key {
		t.Error("a claude-*-cwd file in the home directory was taken for harness noise")
	}
}

// Codex's snapshot wrapper compares every CODEX_* variable it saved before
// sourcing the snapshot with its value after, and CODEX_TOOL_CALL_ID is new
// in every call: a test's operands are not something that runs, so the
// retry after "guard approve ID" is the same plan. What a test decides
// still binds, through the steps it lets run, and so does a test's
// redirection.
func TestPlanKeyIgnoresTestOperands(t *testing.T) {
	codex := func(junk string) string {
		return `__O_SET="${CODEX_TOOL_CALL_ID+x}"
__O="${CODEX_TOOL_CALL_ID-}"
if [ -n "${__O_SET}" ]; then
  if [ -z "${CODEX_TOOL_CALL_ID+x}" ] || [ "${CODEX_TOOL_CALL_ID-}" != "${__O}" ]; then export CODEX_TOOL_CALL_ID="${__O}"; else export CODEX_TOOL_CALL_ID; fi
else builtin unset CODEX_TOOL_CALL_ID 2>/dev/null || command unset CODEX_TOOL_CALL_ID; fi
test "x$CODEX_TOOL_CALL_ID" != x
exec bash -c 'rm -rf ` + junk + `'`
	}
	f := newPlanFixture(t)
	planWith := func(vars map[string]string, src string) Plan {
		return f.withEnv(t, vars).plan(src, []string{"bash"}, nil)
	}
	call := codex(f.home + "/junk")
	a := planWith(map[string]string{"CODEX_TOOL_CALL_ID": "call_Qx81aZ"}, call)
	b := planWith(map[string]string{"CODEX_TOOL_CALL_ID": "call_7Ubn3k"}, call)
	if a.Key != b.Key {
		t.Errorf("Codex's wrapper with another tool call id: key changed\n%v\n%v", shows(a), shows(b))
	}
	for _, s := range a.Steps {
		if (strings.HasPrefix(s.Show, "[ ") || strings.HasPrefix(s.Show, "test ")) && !s.Quiet {
			t.Errorf("the test %q is shown to the human as something the approval lets run", s.Show)
		}
	}

	if a, b := f.plan("[ -n x ] > "+f.home+"/a", nil, nil), f.plan("[ -n x ] > "+f.home+"/b", nil, nil); a.Key == b.Key {
		t.Error("a test writing another file: same key")
	}
	branch := func(x string) Plan {
		return planWith(map[string]string{"X": x}, `if [ "$X" = yes ]; then rm -rf `+f.home+`/junk; else rm -rf `+f.home+`/Documents; fi`)
	}
	if a, b := branch("yes"), branch("no"); a.Key == b.Key {
		t.Errorf("a test deciding what runs: same key\n%v\n%v", shows(a), shows(b))
	}
}

// The plan tells apart what runs differently: another $1, a rewritten
// script, other state on descriptor 3, another command through one fixed
// wrapper, another directory.
func TestPlanKeyBindsWhatRuns(t *testing.T) {
	f := newPlanFixture(t)
	junk, docs := filepath.Join(f.home, "junk"), filepath.Join(f.home, "Documents")
	differ := func(what string, a, b Plan) {
		t.Helper()
		if a.Key == b.Key {
			t.Errorf("%s: same key %s for\n%v\n%v", what, a.Key, shows(a), shows(b))
		}
	}
	differ("positional argument", f.plan(`rm -rf "$1"`, []string{"sh", junk}, nil), f.plan(`rm -rf "$1"`, []string{"sh", docs}, nil))

	script := f.write(t, "deploy.sh", "rm -rf "+junk+"\n")
	before := f.plan("source "+script+` "$@"`, []string{script}, nil)
	again := f.plan("source "+script+` "$@"`, []string{script}, nil)
	if before.Key != again.Key {
		t.Errorf("the same script judged twice: key changed")
	}
	f.write(t, "deploy.sh", "rm -rf "+docs+"\n")
	differ("rewritten script", before, f.plan("source "+script+` "$@"`, []string{script}, nil))

	// A script read as data only (not run) is bound by its content too.
	f.write(t, "q.sql", "select 1;\n")
	q1 := f.plan("psql -f q.sql", nil, nil)
	f.write(t, "q.sql", "drop table users;\n")
	differ("rewritten data file", q1, f.plan("psql -f q.sql", nil, nil))

	cur := func(cmd, state string) Plan {
		return f.plan(cursorScript, []string{"--", cmd}, map[int]string{3: state})
	}
	differ("fd 3 state", cur("git status", "export A=1\n"), cur("git status", "export A=2\n"))
	differ("Cursor command", cur("rm -rf "+junk, "export A=1\n"), cur("rm -rf "+docs, "export A=1\n"))
	if a, b := cur("rm -rf "+junk, "export A=1\n"), cur("rm -rf "+junk, "export A=1\n"); a.Key != b.Key {
		t.Errorf("the same Cursor call twice: key changed")
	}

	differ("working directory", f.c.Check(Command{Source: "rm -rf build", Cwd: f.home}).Plan(), f.c.Check(Command{Source: "rm -rf build", Cwd: junk}).Plan())
	differ("unknown parts", f.plan("rm -rf $(cat a)", nil, nil), f.plan("rm -rf $(cat b)", nil, nil))
}

// A command judged inside a wrapper has the steps it has on its own, and
// the wrapper's own steps are harmless beyond it: so the approval of the
// outer call covers the inner shell, and an approval given in the agent's
// prompt for the bare command covers the wrapped call.
func TestPlanStepsNest(t *testing.T) {
	f := newPlanFixture(t)
	cmd := "rm -rf " + filepath.Join(f.home, "junk")
	bare := f.plan(cmd, []string{"bash"}, nil)
	if len(bare.Steps) != 1 {
		t.Fatalf("bare command: %v", shows(bare))
	}
	snap := f.write(t, "snap.sh", "export X=1\n")
	for name, outer := range map[string]Plan{
		"codex":  f.plan("if . '"+snap+"' >/dev/null 2>&1; then :; fi\nexec '/bin/bash' -c '"+cmd+"'", []string{"bash"}, nil),
		"claude": f.plan(f.claudeCall(snap, cmd, "93e6"), []string{"bash"}, nil),
	} {
		in := map[string]bool{}
		for _, s := range outer.Steps {
			in[s.Digest] = true
		}
		for _, s := range bare.Steps {
			if !in[s.Digest] {
				t.Errorf("%s: the bare command's step %q is not among the wrapper's: %v", name, s.Show, shows(outer))
			}
		}
		covered := func(d string) bool { return d == bare.Steps[0].Digest }
		if v := outer.Beyond(covered); v.Decision != Allow {
			t.Errorf("%s: what the wrapper runs beyond the command is %v: %v", name, v.Decision, v.Findings)
		}
		if v := outer.Beyond(func(string) bool { return false }); v.Decision != Confirm {
			t.Errorf("%s: nothing covered: %v", name, v.Decision)
		}
	}
	other := f.plan("rm -rf "+filepath.Join(f.home, "Documents"), []string{"bash"}, nil)
	if other.Steps[0].Digest == bare.Steps[0].Digest {
		t.Error("two rm targets share a step digest")
	}
}

func shows(p Plan) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Show)
	}
	for _, fd := range p.Files {
		out = append(out, "file "+fd.Path+" "+fd.SHA256[:min(12, len(fd.SHA256))])
	}
	return out
}
