package integration

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		// Masked.
		{`curl -H "Authorization: Bearer abc123" https://x`, `curl -H "Authorization: Bearer [redacted]" https://x`},
		{`curl -H 'Authorization: token abc123' https://x`, `curl -H 'Authorization: token [redacted]' https://x`},
		{`curl -H "x-api-key: sk12345" https://x`, `curl -H "x-api-key: [redacted]" https://x`},
		{`API_TOKEN=s3cr3t ./deploy`, `API_TOKEN=[redacted] ./deploy`},
		{`mysql --password=hunter2 db`, `mysql --password=[redacted] db`},
		{`psql --password hunter2`, `psql --password [redacted]`},
		{`git push https://me:hunter2@github.com/o/r`, `git push https://me:[redacted]@github.com/o/r`},
		{`gh auth ghp_0123456789abcdefghijABCDEFGHIJ012345`, `gh auth [redacted]`},
		{`export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE`, `export AWS_ACCESS_KEY_ID=[redacted]`},
		{`echo xoxb-1234-5678-abcdefghijkl`, `echo [redacted]`},
		{`jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZw`, `jwt [redacted]`},
		{`OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345 python x.py`, `OPENAI_API_KEY=[redacted] python x.py`},
		// Left alone.
		{`deletes your home directory /home/u recursively`, `deletes your home directory /home/u recursively`},
		{`TOKEN=$GITHUB_TOKEN gh api`, `TOKEN=$GITHUB_TOKEN gh api`},
		{`curl -H "Authorization: Bearer $TOKEN" https://x`, `curl -H "Authorization: Bearer $TOKEN" https://x`},
		{`git clone https://github.com/o/r`, `git clone https://github.com/o/r`},
		{`a basic check of the token count`, `a basic check of the token count`},
		{`rm -rf ~/.ssh`, `rm -rf ~/.ssh`},
		{`git commit --author=me`, `git commit --author=me`},
		{`kubectl delete ns prod`, `kubectl delete ns prod`},
	}
	for _, tt := range tests {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// The settings file changing between reading and writing stops the write.
func TestReplaceDetectsRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	writeSample(t, path, "{}\n")
	f, err := readTarget(path)
	if err != nil {
		t.Fatal(err)
	}
	writeSample(t, path, "{\"changed\": true}\n")
	if _, err := f.replaceNoBackup([]byte("{\"guard\": 1}\n")); err != errRace {
		t.Errorf("err = %v, want errRace", err)
	}
	if readFile(t, path) != "{\"changed\": true}\n" {
		t.Error("the other writer's change was overwritten")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// An empty "hooks" object the user had comes back when a backup can be
// replayed; without one it is removed along with guard's entry.
func TestUninstallEmptyHooksObject(t *testing.T) {
	doc := `{"model":"opus","hooks":{}}`
	home := t.TempDir()
	path := settingsPath(t, "claude", home)
	writeSample(t, path, doc)
	opts := testOptions(home)
	if err := Install("claude", opts, &discard{}); err != nil {
		t.Fatal(err)
	}
	if err := Uninstall("claude", opts, &discard{}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != doc {
		t.Errorf("with a backup: %q", got)
	}
	Install("claude", opts, &discard{})
	for _, b := range backupsOf(path) {
		os.Remove(b)
	}
	Uninstall("claude", opts, &discard{})
	if got := readFile(t, path); got != `{"model":"opus"}` {
		t.Errorf("without a backup: %q", got)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
