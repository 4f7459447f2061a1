package interceptor

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// loginContext is the test context of a login shell started as "bash -lc",
// with files holding the profile files (relative to home or absolute).
func loginContext(files map[string]string) Context {
	ctx := testContext()
	ctx.EnvExact = true
	ctx.Env["PATH"] = "/usr/bin:/bin"
	ctx.Startup = Startup{Login: true, Flags: "hBc"}
	fs := ctx.FS.(MapFS)
	delete(fs, tHome+"/.bashrc")
	for name, text := range files {
		if !strings.HasPrefix(name, "/") {
			name = tHome + "/" + name
		}
		fs[name] = text
	}
	return ctx
}

func TestLoginStartup(t *testing.T) {
	const debianRC = "case $- in\n    *i*) ;;\n      *) return;;\nesac\neval \"$(dircolors -b)\"\nalias ls='ls --color=auto'\n"
	cases := []struct {
		name  string
		files map[string]string
		src   string
		want  []string
	}{
		{"function of the profile called", map[string]string{".bash_profile": "deploy() { rm -rf ~/Documents; }\n"}, "deploy",
			[]string{"source /home/u/.bash_profile", "rm -rf /home/u/Documents"}},
		{"profile runs", map[string]string{".bash_profile": "rm -rf ~/Documents\n"}, "true",
			[]string{"source /home/u/.bash_profile", "rm -rf /home/u/Documents", "true"}},
		{"/etc/profile runs", map[string]string{"/etc/profile": "rm -rf /srv/data\n"}, "true",
			[]string{"source /etc/profile", "rm -rf /srv/data", "true"}},
		{"first of three", map[string]string{".bash_login": "echo login\n", ".profile": "rm -rf ~\n"}, "true",
			[]string{"source /home/u/.bash_login", "echo login", "true"}},
		{".profile last", map[string]string{".profile": "echo profile\n"}, "true",
			[]string{"source /home/u/.profile", "echo profile", "true"}},
		{"no profile", nil, "true", []string{"true"}},
		// A non-interactive shell's $- holds no i: Debian's ~/.bashrc
		// returns before its interactive part.
		{"rc returns when not interactive", map[string]string{".profile": "if [ -n \"$BASH_VERSION\" ]; then . ~/.bashrc; fi\n", ".bashrc": debianRC}, "true",
			[]string{"source /home/u/.profile", "[ -n … ]", ". /home/u/.bashrc", "return", "true"}},
		// PS1 is set by bash only when interactive.
		{"PS1 unset", map[string]string{"/etc/profile": "echo \"${PS1-unset}\"\n"}, "true",
			[]string{"source /etc/profile", "echo unset", "true"}},
	}
	for _, c := range cases {
		got := lines(Analyze(c.src, loginContext(c.files)))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// Without the login start, or once an option changes $-, nothing of the
// above is assumed.
func TestLoginStartupOff(t *testing.T) {
	ctx := loginContext(map[string]string{".bash_profile": "deploy() { rm -rf ~/Documents; }\n"})
	ctx.Startup = Startup{}
	if got := lines(Analyze("deploy", ctx)); strings.Join(got, "\n") != "deploy" {
		t.Errorf("not a login shell: %q", got)
	}
	ctx = loginContext(nil)
	for _, src := range []string{`set -i; case $- in *i*) rm -rf ~;; esac`, `bash -ic 'case $- in *i*) rm -rf ~;; esac'`, `echo "$(case $- in *i*) rm -rf ~;; esac)"`} {
		got := strings.Join(lines(Analyze(src, ctx)), "\n")
		if !strings.Contains(got, "rm -rf /home/u") {
			t.Errorf("%s: the branch for an unknown $- was not analysed: %q", src, got)
		}
	}
	ctx.Startup.Login = false
	if got := strings.Join(lines(Analyze(`case $- in *c*) echo c;; *) rm -rf ~;; esac`, ctx)), "\n"); got != "echo c" {
		t.Errorf("known $-: %q", got)
	}
}

// A login shell the command starts reads its profile too: bash -lc,
// bash --login -c, bash -l script; not with --noprofile, not without -l.
func TestNestedLoginShell(t *testing.T) {
	ctx := loginContext(map[string]string{".bash_profile": "deploy() { rm -rf ~/Documents; }\n"})
	ctx.Startup = Startup{}
	for _, c := range []struct {
		src  string
		runs bool
	}{
		{`bash -lc deploy`, true},
		{`bash -c -l deploy`, true},
		{`bash --login -c deploy`, true},
		{`bash -l -c 'echo x; deploy'`, true},
		{`bash --noprofile -lc deploy`, false},
		{`bash -c deploy`, false},
		{`bash -c 'deploy -l'`, false},
		{`zsh -lc deploy`, false},
	} {
		got := strings.Join(lines(Analyze(c.src, ctx)), "\n")
		if strings.Contains(got, "rm -rf /home/u/Documents") != c.runs {
			t.Errorf("%s: %q", c.src, got)
		}
	}
}

func TestLoginShellArgs(t *testing.T) {
	for _, c := range []struct {
		args         []string
		name         string
		login, posix bool
	}{
		{[]string{"-lc", "x"}, "bash", true, false},
		{[]string{"-c", "-l", "x"}, "bash", true, false},
		{[]string{"-c", "x", "-l"}, "bash", false, false},
		{[]string{"-o", "errexit", "-l", "-c", "x"}, "bash", true, false},
		{[]string{"--login", "--noprofile", "-c", "x"}, "bash", false, false},
		{[]string{"--posix", "-l", "x.sh"}, "bash", true, true},
		{[]string{"x.sh", "-l"}, "bash", false, false},
		{[]string{"-l", "-c", "x"}, "sh", true, true},
		{[]string{"-lc", "x"}, "zsh", false, false},
	} {
		var ws []Word
		for _, a := range c.args {
			ws = append(ws, Word{Value: a})
		}
		login, posix := loginShell(c.name, ws)
		if login != c.login || login && posix != c.posix {
			t.Errorf("%s %q: login %v posix %v", c.name, c.args, login, posix)
		}
	}
}

// The profiles of a real machine and Debian's skeleton files: a login
// shell's start is analysed without anything unknown (debugging aid for
// the machine the tests run on; skipped where there is no /etc/skel).
func TestLoginStartupDebianSkeleton(t *testing.T) {
	profile, err1 := os.ReadFile("/etc/skel/.profile")
	rc, err2 := os.ReadFile("/etc/skel/.bashrc")
	if err1 != nil || err2 != nil {
		t.Skip("no Debian skeleton files here")
	}
	ctx := loginContext(map[string]string{".profile": string(profile), ".bashrc": string(rc)})
	ctx.FS = overlayFS{over: ctx.FS.(MapFS)}
	for _, inv := range Analyze("true", ctx) {
		if inv.Unknown != "" {
			t.Errorf("unknown: %s (in %s)", inv.Unknown, strings.Join(inv.Chain, " -> "))
		}
	}
}

// overlayFS reads over first, then the real filesystem.
type overlayFS struct{ over MapFS }

func (o overlayFS) Stat(name string) (os.FileInfo, error) {
	if fi, err := o.over.Stat(name); err == nil {
		return fi, nil
	}
	return os.Stat(name)
}

func (o overlayFS) ReadFile(name string) ([]byte, error) {
	if b, err := o.over.ReadFile(name); err == nil {
		return b, nil
	}
	return os.ReadFile(name)
}

// loginFiles are a Debian machine's profile files as a new user has them,
// in their shape (not copied): /etc/profile with its profile.d loop,
// ~/.profile sourcing ~/.bashrc, which returns when not interactive.
func loginFiles() map[string]string {
	return map[string]string{
		"/etc/profile": `if [ "$(id -u)" -eq 0 ]; then
  PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
else
  PATH="/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
fi
export PATH
if [ "${PS1-}" ]; then
  if [ "${BASH-}" ] && [ "$BASH" != "/bin/sh" ]; then
    if [ -f /etc/bash.bashrc ]; then
      . /etc/bash.bashrc
    fi
  fi
fi
if [ -d /etc/profile.d ]; then
  for i in /etc/profile.d/*.sh; do
    if [ -r $i ]; then
      . $i
    fi
  done
  unset i
fi
`,
		"/etc/profile.d/locale.sh": "if [ -z \"${LANG-}\" ]; then LANG=C.UTF-8; export LANG; fi\n",
		".profile":                 "if [ -n \"$BASH_VERSION\" ]; then\n  if [ -f \"$HOME/.bashrc\" ]; then\n    . \"$HOME/.bashrc\"\n  fi\nfi\nif [ -d \"$HOME/.local/bin\" ]; then\n  PATH=\"$HOME/.local/bin:$PATH\"\nfi\n",
		".bashrc":                  "case $- in\n    *i*) ;;\n      *) return;;\nesac\nHISTCONTROL=ignoreboth\nshopt -s histappend\neval \"$(dircolors -b)\"\nalias ls='ls --color=auto'\n",
	}
}

// definitions is a ~/.bash_profile that only defines things: exports,
// aliases and n functions.
func definitions(n int) string {
	var b strings.Builder
	b.WriteString("export EDITOR=vi\nexport PATH=\"$HOME/.local/bin:$PATH\"\nalias ll='ls -l'\n")
	for i := range n {
		fmt.Fprintf(&b, "helper%d() {\n  local x=\"$1\"\n  printf '%%s\\n' \"helper %d: $x\"\n}\n", i, i)
	}
	return b.String()
}

func TestLoginShellDebian(t *testing.T) {
	for _, inv := range Analyze("git status", loginContext(loginFiles())) {
		if inv.Unknown != "" {
			t.Errorf("unknown: %s (in %s)", inv.Unknown, strings.Join(inv.Chain, " -> "))
		}
	}
}

// A profile that only defines things is analysed once and then applied
// from the cache, like an agent's snapshot.
func TestLoginProfileIsCached(t *testing.T) {
	cache := &memSources{}
	for range 2 {
		ctx := loginContext(map[string]string{".bash_profile": definitions(40) + "wipe() { rm -rf ~/Documents; }\n"})
		ctx.Sources = cache
		got := lines(Analyze("helper3 x && wipe", ctx))
		if got[len(got)-1] != "rm -rf /home/u/Documents" {
			t.Fatalf("got %q", got)
		}
	}
	if cache.puts != 1 || cache.hits != 1 {
		t.Errorf("%d puts, %d hits; want 1 and 1", cache.puts, cache.hits)
	}
}

// BenchmarkLoginStartup measures a command's analysis in a login shell:
// without one, with Debian's profile files, and with a profile of
// definitions analysed and from the cache.
func BenchmarkLoginStartup(b *testing.B) {
	run := func(b *testing.B, ctx Context) {
		var z Analyzer
		for _, inv := range z.Analyze("git status", ctx) {
			if inv.Unknown != "" {
				b.Fatal(inv.Unknown)
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			z.Analyze("git status", ctx)
		}
	}
	b.Run("no login", func(b *testing.B) {
		ctx := loginContext(nil)
		ctx.Startup.Login = false
		run(b, ctx)
	})
	b.Run("debian", func(b *testing.B) { run(b, loginContext(loginFiles())) })
	for _, cached := range []bool{false, true} {
		name := "40 functions/analysed"
		if cached {
			name = "40 functions/cached"
		}
		b.Run(name, func(b *testing.B) {
			files := loginFiles()
			files[".bash_profile"] = definitions(40)
			ctx := loginContext(files)
			if cached {
				ctx.Sources = &memSources{}
			}
			run(b, ctx)
		})
	}
}
