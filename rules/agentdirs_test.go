package rules

import (
	"testing"
)

// The agents' own state writes are scratch; their directories and the
// agent's settings around them are not.
func TestAgentScratch(t *testing.T) {
	const snap = testHome + "/.claude/shell-snapshots/snapshot-bash-1787645352430-itq4da.sh"
	fsys := testFS()
	fsys[snap] = "# Snapshot file\n"
	fsys[testHome+"/.claude/settings.json"] = "{}\n"
	fsys[testHome+"/.codex/shell_snapshots/019a.1764139200000000000.sh"] = "# Snapshot file\n"
	fsys[testHome+"/.codex/config.toml"] = "model = \"o3\"\n"
	fsys[testHome+"/.gemini/tmp/0a1b/chats/session.json"] = "{}\n"
	w := testWorld(fsys)
	cases := []struct {
		src  string
		want Decision
	}{
		// Claude Code's snapshot-creation script writes its snapshot.
		{`SNAPSHOT_FILE=` + snap + `; echo "# Snapshot file" >| "$SNAPSHOT_FILE"; shopt -p >> "$SNAPSHOT_FILE"`, Allow},
		{`echo x > ~/.claude/shell-snapshots/snapshot-zsh-1.sh`, Allow},
		{`rm -f ~/.claude/shell-snapshots/snapshot-bash-*.sh`, Allow},
		{`rm -rf ~/.claude/shell-snapshots/*`, Allow},
		{`echo x > ~/.codex/shell_snapshots/019a.1764139200000000000.sh`, Allow},
		{`rm ~/.codex/shell_snapshots/019a.tmp-1`, Allow},
		// The directories themselves, and what is around them, stay
		// protected: settings, history, credentials.
		{`rm -rf ~/.claude/shell-snapshots`, Confirm},
		{`rm -rf ~/.claude`, Confirm},
		{`rm -rf ~/.codex`, Confirm},
		{`echo '{}' > ~/.claude/settings.json`, Confirm},
		{`echo x > ~/.codex/config.toml`, Confirm},
		{`rm -rf ~/.claude/*`, Confirm},
		{`rm -rf ~/.gemini/tmp`, Confirm},
		{`rm -rf ~/.gemini/tmp/0a1b/chats`, Confirm},
		// A look-alike elsewhere is not an agent's.
		{`rm -rf ~/code/other/shell-snapshots`, Confirm},
	}
	for _, c := range cases {
		v := judgeIn(t, c.src, fsys, FSPack())
		if v.Decision != c.want {
			t.Errorf("%q: got %s, want %s; findings %+v", c.src, v.Decision, c.want, v.Findings)
		}
	}
	info := w.Classify(snap, testCwd)
	if info.Class != PathScratch || info.Note != "in Claude Code's shell snapshots ~/.claude/shell-snapshots" {
		t.Errorf("snapshot: %+v", info)
	}
}

// $CLAUDE_CONFIG_DIR and $CODEX_HOME move the agents' directories; a
// relative or unknown value is ignored.
func TestAgentScratchDirs(t *testing.T) {
	got := AgentScratchDirs("/home/u", map[string]string{"CLAUDE_CONFIG_DIR": "/srv/claude", "CODEX_HOME": "rel/codex"})
	want := []string{"/home/u/.claude/shell-snapshots", "/home/u/.codex/shell_snapshots", "/srv/claude/shell-snapshots"}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %v", got, want)
	}
	for i, d := range got {
		if d.Path != want[i] {
			t.Errorf("%d: got %s, want %s", i, d.Path, want[i])
		}
	}
	if got := AgentScratchDirs("/", nil); len(got) != 0 {
		t.Errorf("home /: %+v", got)
	}
}
