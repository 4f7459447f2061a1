package integration

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeProc is a process table under a temp dir, laid out as /proc is.
type fakeProc struct {
	t    *testing.T
	root string
}

// add writes process pid with its parent, command line, environment and
// what its stdin and stdout are.
func (p fakeProc) add(pid, ppid int, argv []string, env []string, stdin, stdout string) {
	dir := filepath.Join(p.root, strconv.Itoa(pid))
	if err := os.MkdirAll(filepath.Join(dir, "fd"), 0o755); err != nil {
		p.t.Fatal(err)
	}
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	write("stat", strconv.Itoa(pid)+" (node (x)) S "+strconv.Itoa(ppid)+" 1 1 0 -1\n")
	write("cmdline", strings.Join(argv, "\x00")+"\x00")
	write("environ", strings.Join(env, "\x00"))
	for fd, target := range []string{stdin, stdout} {
		if err := os.Symlink(target, filepath.Join(dir, "fd", strconv.Itoa(fd))); err != nil {
			p.t.Fatal(err)
		}
	}
}

func TestGeminiHeadless(t *testing.T) {
	gemini := []string{"node", "/usr/lib/node_modules/@google/gemini-cli/bundle/gemini.js"}
	tty, pipe := "/dev/pts/3", "pipe:[12345]"
	cases := []struct {
		name          string
		args          []string
		env           []string
		stdin, stdout string
		headless      bool
	}{
		{"interactive in a terminal", nil, nil, tty, tty, false},
		{"-p", []string{"-p", "fix it"}, nil, tty, tty, true},
		{"--prompt=", []string{"--prompt=fix it"}, nil, tty, tty, true},
		{"-i wins over a pipe", []string{"-i", "fix it"}, nil, pipe, tty, false},
		{"stdout piped", nil, nil, tty, pipe, true},
		{"stdin piped", []string{"fix it"}, nil, pipe, tty, true},
		{"CI", nil, []string{"CI=true"}, tty, tty, true},
		{"editor session", []string{"--acp"}, nil, pipe, pipe, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := fakeProc{t, t.TempDir()}
			// gemini (100) -> bash -c (200) -> guard hook gemini (300)
			p.add(100, 1, append(append([]string(nil), gemini...), c.args...), c.env, c.stdin, c.stdout)
			p.add(200, 100, []string{"bash", "-c", "guard hook gemini"}, nil, pipe, pipe)
			p.add(300, 200, []string{"guard", "hook", "gemini"}, nil, pipe, pipe)
			headless, known := geminiHeadless(p.root, 300)
			if !known || headless != c.headless {
				t.Errorf("headless, known = %v, %v; want %v, true", headless, known, c.headless)
			}
		})
	}
	t.Run("gemini directly above", func(t *testing.T) {
		p := fakeProc{t, t.TempDir()}
		p.add(100, 1, append(append([]string(nil), gemini...), "-p", "x"), nil, tty, tty)
		p.add(300, 100, []string{"guard", "hook", "gemini"}, nil, pipe, pipe)
		if headless, known := geminiHeadless(p.root, 300); !known || !headless {
			t.Errorf("headless, known = %v, %v; want true, true", headless, known)
		}
	})
	t.Run("a program the model ran is not a hook", func(t *testing.T) {
		// gemini -p -> go test -> the test binary, which runs the hook code
		p := fakeProc{t, t.TempDir()}
		p.add(100, 1, append(append([]string(nil), gemini...), "-p", "x"), nil, tty, tty)
		p.add(200, 100, []string{"go", "test", "./..."}, nil, pipe, pipe)
		p.add(300, 200, []string{"/tmp/go-build1/integration.test"}, nil, pipe, pipe)
		if headless, known := geminiHeadless(p.root, 300); known || headless {
			t.Errorf("headless, known = %v, %v; want false, false", headless, known)
		}
	})
	t.Run("no gemini above", func(t *testing.T) {
		p := fakeProc{t, t.TempDir()}
		p.add(200, 1, []string{"bash"}, nil, tty, tty)
		p.add(300, 200, []string{"guard", "hook", "gemini"}, nil, pipe, pipe)
		if headless, known := geminiHeadless(p.root, 300); known || headless {
			t.Errorf("headless, known = %v, %v; want false, false", headless, known)
		}
	})
}

// Headless, Gemini never answers an "ask": guard's confirm is a deny that
// tells the model to ask its human. With a human, it is Gemini's dialog,
// whose text is the systemMessage.
func TestGeminiConfirm(t *testing.T) {
	e := explanation{reasons: "force-pushes to origin main"}
	ask := geminiProtocol(func() bool { return false }).confirm(e).stdout.(geminiAnswer)
	if ask.Decision != "ask" || !strings.Contains(ask.SystemMessage, "force-pushes to origin main") {
		t.Errorf("interactive confirm = %+v, want an ask whose systemMessage gives the reason", ask)
	}
	deny := geminiProtocol(func() bool { return true }).confirm(e).stdout.(geminiAnswer)
	if deny.Decision != "deny" || !strings.Contains(deny.Reason, "tell your human") || !strings.Contains(deny.SystemMessage, "force-pushes") {
		t.Errorf("headless confirm = %+v, want a deny telling the model to ask its human", deny)
	}
}
