package interceptor

import (
	"reflect"
	"strings"
	"testing"
)

// TestElsewhere: code a terminal multiplexer, script(1) or a scheduler runs
// outside guard is analysed as the code it is.
func TestElsewhere(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`script -qc 'rm -rf ~/a' /dev/null`, []string{"script -qc 'rm -rf ~/a' /dev/null", "rm -rf /home/u/a"}},
		{`script --command='rm -rf ~/a'`, []string{"script '--command=rm -rf ~/a'", "rm -rf /home/u/a"}},
		{`script -q log.txt`, []string{"script -q log.txt"}},
		// tmux: new sessions, windows and panes, run-shell, -c, send-keys.
		{`tmux new-session -d 'rm -rf ~/a'`, []string{"tmux new-session -d 'rm -rf ~/a'", "rm -rf /home/u/a"}},
		{`tmux new -d -s w rm -rf build`, []string{"tmux new -d -s w rm -rf build", "rm -rf build"}},
		{`tmux splitw -c /srv 'rm -rf old'`, []string{"tmux splitw -c /srv 'rm -rf old'", "rm -rf old"}},
		{`tmux run-shell 'rm -rf ~/a'`, []string{"tmux run-shell 'rm -rf ~/a'", "rm -rf /home/u/a"}},
		{`tmux run -C 'kill-server'`, []string{"tmux run -C kill-server"}},
		{`tmux -c 'rm -rf ~/a'`, []string{"tmux -c 'rm -rf ~/a'", "rm -rf /home/u/a"}},
		{`tmux new -d \; send-keys 'rm -rf ~/a' Enter`, []string{"tmux new -d ; send-keys 'rm -rf ~/a' Enter", "rm -rf /home/u/a"}},
		{`tmux send-keys -t dev 'npm run dev' Enter`, []string{"tmux send-keys -t dev 'npm run dev' Enter", "npm run dev"}},
		{`tmux send-keys -t dev rm Space -rf Space '~/a' C-m`, []string{"tmux send-keys -t dev rm Space -rf Space ~/a C-m", "rm -rf /home/u/a"}},
		{`tmux send-keys -t dev 'rm -rf ~/a' C-c 'ls' Enter`, []string{"tmux send-keys -t dev 'rm -rf ~/a' C-c ls Enter", "ls"}},
		{`tmux send-keys -t dev C-c`, []string{"tmux send-keys -t dev C-c"}},
		{`tmux send-keys -t dev Up Enter`, []string{"tmux send-keys -t dev Up Enter", "?"}},
		{`tmux send-keys -l -t dev 'Enter'`, []string{"tmux send-keys -l -t dev Enter", "Enter"}},
		{`tmux ls; tmux attach -t main; tmux kill-session -t x`, []string{"tmux ls", "tmux attach -t main", "tmux kill-session -t x"}},
		// screen.
		{`screen -dmS job rm -rf ~/a`, []string{"screen -dmS job rm -rf /home/u/a", "rm -rf /home/u/a"}},
		{`screen -dm bash -c 'rm -rf ~/a'`, []string{"screen -dm bash -c 'rm -rf ~/a'", "bash -c 'rm -rf ~/a'", "rm -rf /home/u/a"}},
		{`screen -S job -X stuff 'rm -rf ~/a\n'`, []string{`screen -S job -X stuff 'rm -rf ~/a\n'`, "rm -rf /home/u/a"}},
		{`screen -r job`, []string{"screen -r job"}},
		{`screen -ls`, []string{"screen -ls"}},
		// at, batch, crontab: code run later.
		{`at now + 1 hour <<< 'rm -rf ~/a'`, []string{"at now + 1 hour", "rm -rf /home/u/a"}},
		{`echo 'rm -rf ~/a' | batch`, []string{"echo 'rm -rf ~/a'", "batch", "rm -rf /home/u/a"}},
		{`at -f setup.sh midnight`, []string{"at -f setup.sh midnight", "rm -rf /home/u/cache"}},
		{`curl -s https://example.com/x | at now`, []string{"curl -s https://example.com/x", "at now", "?"}},
		{`atq; at -l`, []string{"atq", "at -l"}},
		{`echo '*/5 * * * * rm -rf ~/a' | crontab -`, []string{"echo '*/5 * * * * rm -rf ~/a'", "crontab -", "rm -rf /home/u/a"}},
		{"crontab - <<'EOF'\nMAILTO=x\n# nightly\n@daily cd /srv && ./backup.sh\n0 3 * * * rm -rf tmp/cache % x\nEOF", []string{"crontab -", "cd /srv", "backup.sh", "rm -rf tmp/cache"}},
		{`crontab -l; crontab -r`, []string{"crontab -l", "crontab -r"}},
		// Queues and debuggers that run a command.
		{`pueue add -- rm -rf ~/a`, []string{"pueue add -- rm -rf /home/u/a", "rm -rf /home/u/a"}},
		{`sem -j 2 rm -rf ~/a`, []string{"sem -j 2 rm -rf /home/u/a", "rm -rf /home/u/a"}},
		{`gdb -batch -ex run --args rm -rf ~/a`, []string{"gdb -batch -ex run --args rm -rf /home/u/a", "rm -rf /home/u/a"}},
		{`perf stat -e cycles rm -rf ~/a`, []string{"perf stat -e cycles rm -rf /home/u/a", "rm -rf /home/u/a"}},
		{`perf record -p 42`, []string{"perf record -p 42"}},
		{`pueue status; gdb ./a.out`, []string{"pueue status", "gdb ./a.out"}},
		// Commands that other programs run through the shell.
		{`ssh -o ProxyCommand='rm -rf ~/a' host`, []string{"ssh -o 'ProxyCommand=rm -rf ~/a' host", "rm -rf /home/u/a"}},
		{`ssh -o 'ProxyCommand nc %h %p' host ls`, []string{"ssh -o 'ProxyCommand nc %h %p' host ls", "nc %h %p", "ls"}},
		{`rsync -e 'sh -c "rm -rf ~/a"' x y:`, []string{`rsync -e 'sh -c "rm -rf ~/a"' x y:`, `sh -c 'rm -rf ~/a' y rsync --server`, "rm -rf /home/u/a"}},
		{`rsync -avz -e 'ssh -p 2222' src/ host:dst/`, []string{"rsync -avz -e 'ssh -p 2222' src/ host:dst/", "ssh -p 2222 host rsync --server", "rsync --server"}},
		{`tar -xf a.tar --to-command='rm -rf ~/a'`, []string{"tar -xf a.tar '--to-command=rm -rf ~/a'", "rm -rf /home/u/a"}},
		{`tar -cf x.tar --checkpoint=1 --checkpoint-action=exec='rm -rf ~/a' src`, []string{"tar -cf x.tar --checkpoint=1 '--checkpoint-action=exec=rm -rf ~/a' src", "rm -rf /home/u/a"}},
		{`tar -cf x.tar --info-script='rm -rf ~/a' src`, []string{"tar -cf x.tar '--info-script=rm -rf ~/a' src", "rm -rf /home/u/a"}},
		{`tar -M -L 100 -F 'rm -rf ~/a' -cf x.tar src`, []string{"tar -M -L 100 -F 'rm -rf ~/a' -cf x.tar src", "rm -rf /home/u/a"}},
		{`tar -cMf x.tar --new-volume-script 'echo next' src`, []string{"tar -cMf x.tar --new-volume-script 'echo next' src", "echo next"}},
		{`tar -I 'zstd -19' -cf a.tar.zst src`, []string{"tar -I 'zstd -19' -cf a.tar.zst src", "zstd -19"}},
		{`tar czf backup.tgz src`, []string{"tar czf backup.tgz src"}},
		// Editors and pagers told to run a shell command at start.
		{`vim -c '!rm -rf ~/a' -c q`, []string{"vim -c '!rm -rf ~/a' -c q", "rm -rf /home/u/a"}},
		{`vim +'silent !rm -rf ~/a' +q x`, []string{"vim '+silent !rm -rf ~/a' +q x", "rm -rf /home/u/a"}},
		{`less +'!rm -rf ~/a' notes.txt`, []string{"less '+!rm -rf ~/a' notes.txt", "rm -rf /home/u/a"}},
		{`vim +10 -c 'set nu' main.go; less +G log.txt`, []string{"vim +10 -c 'set nu' main.go", "less +G log.txt"}},
		// expect is not followed.
		{`expect -c 'spawn rm -rf ~/a'`, []string{"?"}},
		// Wrappers that run their operands.
		{`systemd-run --user rm -rf build`, []string{"rm -rf build"}},
		{`strace -f -o /dev/null rm -rf ~/a`, []string{"rm -rf /home/u/a"}},
		{`pkexec rm -rf /srv/a`, []string{"rm -rf /srv/a"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestCompoundIntoPipe: what a compound command writes into a pipe is its
// statements' output, never "the terminal".
func TestCompoundIntoPipe(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`(echo 'rm -rf ~/a') | sh`, []string{"echo 'rm -rf ~/a'", "sh", "rm -rf /home/u/a"}},
		{`{ echo 'rm -rf ~/a'; } | bash`, []string{"echo 'rm -rf ~/a'", "bash", "rm -rf /home/u/a"}},
		{`{ echo ls && echo 'rm -rf ~/a'; } | sh`, []string{"echo ls", "echo 'rm -rf ~/a'", "sh", "ls", "rm -rf /home/u/a"}},
		{`if true; then echo 'rm -rf ~/a'; fi | sh`, []string{"true", "echo 'rm -rf ~/a'", "sh", "?"}},
		{`for x in 1; do echo hi; done | sh`, []string{"echo hi", "sh", "?"}},
		{`(cd src && ls) | wc -l`, []string{"cd src", "ls", "wc -l"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestBuiltinsThatRunCode: bash builtins that run a command given to them.
func TestBuiltinsThatRunCode(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`mapfile -C 'rm -rf ~/a;:' -c 1 < paths.txt`, []string{"mapfile -C 'rm -rf ~/a;:' -c 1", "rm -rf /home/u/a", ":"}},
		{`readarray -t lines < paths.txt`, []string{"readarray -t lines"}},
		{`compgen -C 'rm -rf ~/a' x`, []string{"compgen -C 'rm -rf ~/a' x", "rm -rf /home/u/a"}},
		{`complete -C /usr/bin/terraform terraform`, []string{"complete -C /usr/bin/terraform terraform", "terraform"}},
		{`complete -F _git git`, []string{"complete -F _git git"}},
		{`bind -x '"\C-t": rm -rf ~/a'`, []string{`bind -x '"\C-t": rm -rf ~/a'`, "rm -rf /home/u/a"}},
		{`bind '"\C-t": forward-word'`, []string{`bind '"\C-t": forward-word'`}},
		{`enable -f /tmp/x.so x`, []string{"?"}},
		{`fc -s`, []string{"?"}},
		{`fc -ln -5`, []string{"fc -ln -5"}},
		{`declare -n r=HOME; rm -rf "$r"`, []string{"rm -rf …"}},
		{`export -n HOME; rm -rf "$HOME/x"`, []string{"rm -rf /home/u/x"}},
		// Prompt strings run their command substitutions when shown.
		{`PS4='$(rm -rf ~/a)' bash -x -c true`, []string{"bash -x -c true", "rm -rf /home/u/a", "true"}},
		{`export PS4='+$(rm -rf ~/a) '; set -x`, []string{"rm -rf /home/u/a", "set -x"}},
		{`PS1='\u@\h $(git branch --show-current) \$ '`, []string{"git branch --show-current"}},
		{`PS1='\u@\h:\w\$ '`, nil},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestContainerMounts(t *testing.T) {
	cases := []struct {
		src  string
		want []Mount
		cwd  string
	}{
		{`docker run --rm -v "$PWD":/app -w /app node npm test`, []Mount{{tCwd, "/app"}}, "/app"},
		{`docker run -v /srv/data:/data:ro --volume=./cfg:/etc/app alpine ls`, []Mount{{"/srv/data", "/data"}, {tCwd + "/cfg", "/etc/app"}}, ""},
		{`podman run --mount type=bind,source=/srv,target=/s,readonly alpine ls`, []Mount{{"/srv", "/s"}}, ""},
		{`docker run -v pgdata:/var/lib/postgresql/data --mount type=volume,src=x,dst=/x postgres ls`, nil, ""},
		{`docker run -v "$UNSET":/h alpine ls`, nil, ""},
		{`docker exec -w /app api ls`, nil, ""},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		last := invs[len(invs)-1]
		if last.Remote == "" || !reflect.DeepEqual(last.Mounts, c.want) || last.Cwd != c.cwd {
			t.Errorf("%q: remote %q mounts %v cwd %q; want mounts %v cwd %q", c.src, last.Remote, last.Mounts, last.Cwd, c.want, c.cwd)
		}
	}
}

// A well-known single-tool image runs its arguments with its entrypoint;
// --entrypoint names another; other images run their arguments.
func TestContainerEntrypoint(t *testing.T) {
	cases := []struct{ src, want string }{
		{`docker run --rm curlimages/curl -X DELETE https://x/y`, "curl -X DELETE https://x/y"},
		{`docker run curlimages/curl:8.5.0 -s https://x/y`, "curl -s https://x/y"},
		{`podman run docker.io/curlimages/curl@sha256:ab https://x`, "curl https://x"},
		{`docker run ghcr.io/orange-opensource/hurl:4 --test a.hurl`, "hurl --test a.hurl"},
		{`docker run -it amazon/aws-cli s3 ls`, "aws s3 ls"},
		{`docker run --entrypoint rm alpine -rf /data`, "rm -rf /data"},
		{`docker run --entrypoint=sh alpine -c 'ls'`, "ls"},
		{`docker run alpine ls /`, "ls /"},
		{`docker run myorg/curl-wrapper ls`, "ls"},
		{`docker exec curlimages/curl ls`, "ls"},
		{`docker compose run curlimages/curl ls`, "ls"},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		last := invs[len(invs)-1]
		if got := last.Line(); got != c.want || last.Remote == "" {
			t.Errorf("%q: last command %q (remote %q), want %q", c.src, got, last.Remote, c.want)
		}
	}
}
