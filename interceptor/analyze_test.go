package interceptor

import (
	"strings"
	"testing"
)

const (
	tHome = "/home/u"
	tCwd  = "/home/u/code/app"
)

func testContext() Context {
	return Context{
		Cwd:  tCwd,
		Home: tHome,
		User: "u",
		Env:  map[string]string{"HOME": tHome, "USER": "u", "KNOWN": "/srv/known"},
		FS: MapFS{
			tCwd + "/.git/HEAD": "ref: refs/heads/main\n",
			tCwd + "/setup.sh":  "rm -rf ~/cache\n",
			tCwd + "/paths.txt": "a.txt\nb.txt\n",
			tCwd + "/drop.sql":  "DROP TABLE users;\n",
			tHome + "/.bashrc":  "alias ll='ls -l'\n",
		},
	}
}

// lines renders invocations as "name args..." with unknown parts as "…"
// and unknowable invocations as "?: reason-prefix".
func lines(invs []Invocation) []string {
	var out []string
	for _, inv := range invs {
		if inv.Unknown != "" {
			out = append(out, "?")
			continue
		}
		out = append(out, inv.Line())
	}
	return out
}

func TestAnalyzeCommands(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		// Lists, pipelines, compound commands.
		{`ls; pwd`, []string{"ls", "pwd"}},
		{`a && b || c`, []string{"a", "b", "c"}},
		{`a | b |& c`, []string{"a", "b", "c"}},
		{`(a; b)`, []string{"a", "b"}},
		{`{ a; b; }`, []string{"a", "b"}},
		{`if a; then b; elif c; then d; else e; fi`, []string{"a", "b", "c", "d", "e"}},
		{`while a; do b; done`, []string{"a", "b"}},
		{`until a; do b; done`, []string{"a", "b"}},
		{`for x in 1 2; do echo $x; done`, []string{"echo 1", "echo 2"}},
		// Field splitting as bash does it: an empty brace alternative is
		// no word; a non-blank IFS character ends a field, so empty
		// fields appear ("a,,b"), which guard does not guess at.
		{`rm {a,} x`, []string{"rm a x"}},
		{`e=; rm {a,}$e x`, []string{"rm a x"}},
		{`rm {a,''} x`, []string{"rm a '' x"}},
		{`IFS=:; v=a:b; rm $v`, []string{"rm a b"}},
		{`IFS=,; v=a,,b; rm $v`, []string{"rm …"}},
		{`IFS=,; v=,a; rm $v`, []string{"rm …"}},
		{`IFS=,; v=a,,b; rm "$v"`, []string{"rm a,,b"}},
		// An index, length or cut of a value guard does not know is not
		// computed on the mark: ${a[1]} of an array is not empty.
		{`a=(x rm); ${a[1]} -rf /tmp/x`, []string{"?"}},
		{`a=(x y); rm ${#a[@]}`, []string{"rm …"}},
		{`read v; rm -rf ${v:0:1}`, []string{"read v", "rm -rf …"}},
		{`read v; rm -rf ${v#?}`, []string{"read v", "rm -rf …"}},
		{`read v; rm -rf "${v:-/tmp/x}"`, []string{"read v", "rm -rf …"}},
		{`v=abc; rm ${v:1} ${#v}`, []string{"rm bc 3"}},
		// Tildes after the "=" and each ":" of an assignment-shaped word.
		{`tool k=~/a:~/b:x~`, []string{"tool k=/home/u/a:/home/u/b:x~"}},
		{`tool k=~:~`, []string{"tool k=/home/u:/home/u"}},

		{`for ((i=0;i<3;i++)); do echo $i; done`, []string{"echo …"}},
		{`case $x in a) b;; *) c;; esac`, []string{"b", "c"}},
		{`select x in a b; do echo $x; done`, []string{"echo a", "echo b"}},
		{`f() { rm -rf "$1"; }; f ~/x`, []string{"rm -rf /home/u/x"}},
		{`function g { echo hi; }; g`, []string{"echo hi"}},
		{`f() { f; }; f`, nil},
		{`echo $(rm -rf ~)`, []string{"rm -rf /home/u", "echo …"}},
		{"echo `rm -rf ~`", []string{"rm -rf /home/u", "echo …"}},
		{`diff <(ls a) >(cat)`, []string{"ls a", "cat", "diff /dev/fd/… /dev/fd/…"}},
		{`(( $(rm -rf ~) + 1 ))`, []string{"rm -rf /home/u"}},
		{`x=$(( $(id -u) + 1 ))`, []string{"id -u"}},
		{`[[ -f $(touch y) ]]`, []string{"touch y"}},
		{`time rm -rf ~`, []string{"rm -rf /home/u"}},
		{`find`, []string{"find"}}, // no operands: found by FuzzAnalyze (a panic)
		{`! rm x`, []string{"rm x"}},
		{`rm x &`, []string{"rm x"}},
		{`coproc rm x`, []string{"rm x"}},
		// Quote removal and name normalisation.
		{`'rm' -rf ~`, []string{"rm -rf /home/u"}},
		{`r''m -rf ~`, []string{"rm -rf /home/u"}},
		{`"r"m -rf ~`, []string{"rm -rf /home/u"}},
		{`\rm -rf ~`, []string{"rm -rf /home/u"}},
		{`$'\x72\x6d' -rf ~`, []string{"rm -rf /home/u"}},
		{`$'\162\155' -rf ~`, []string{"rm -rf /home/u"}},
		{`/usr/bin/rm -rf ~`, []string{"rm -rf /home/u"}},
		// Expansions.
		{`rm -rf ~/{a,b}`, []string{"rm -rf /home/u/a /home/u/b"}},
		{`echo {1..3}`, []string{"echo 1 2 3"}},
		{`rm -rf $HOME/x ${HOME}/y "$HOME"`, []string{"rm -rf /home/u/x /home/u/y /home/u"}},
		{`echo $PWD $USER`, []string{"echo /home/u/code/app u"}},
		{`echo $KNOWN`, []string{"echo /srv/known"}},
		{`echo $UNSET_THING`, []string{"echo …"}},
		{`D=/srv; rm -rf $D/data`, []string{"rm -rf /srv/data"}},
		{`export D=/srv; rm -rf "$D"`, []string{"rm -rf /srv"}},
		{`D=/a; D+=/b; echo $D`, []string{"echo /a/b"}},
		{`D=x; unset D; echo "[$D]"`, []string{"unset D", "echo []"}},
		{`IFS=:; X=a:b; rm $X`, []string{"rm a b"}},
		{`X="a b"; rm $X "$X"`, []string{"rm a b 'a b'"}},
		{`read D; rm -rf $D`, []string{"read D", "rm -rf …"}},
		{`D=$(date); rm -rf $D`, []string{"date", "rm -rf …"}},
		{`D=$(pwd); rm -rf $D`, []string{"pwd", "rm -rf /home/u/code/app"}},
		{`rm -rf ~root`, []string{"rm -rf …"}},
		// Commands with no name of their own.
		{`X=1`, nil},
		{`> out.txt`, []string{":"}},
		// Dynamic names are unknown.
		{`$(which rm) -rf ~`, []string{"which rm", "?"}},
		{"`echo rm` -rf ~", []string{"echo rm", "rm -rf /home/u"}},
		{"`which rm` -rf ~", []string{"which rm", "?"}},
		{`$x -rf ~`, []string{"?"}},
		{`RM=rm; $RM -rf ~`, []string{"rm -rf /home/u"}},
		// Parse errors and NUL bytes are unknown, never empty.
		{`rm -rf ~ (`, []string{"?"}},
		{"echo a\x00b", []string{"?"}},
	}
	for _, c := range cases {
		got := lines(Analyze(c.src, testContext()))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestAnalyzeWrappers(t *testing.T) {
	cases := []struct {
		src      string
		want     string
		wrappers string
	}{
		{`sudo rm -rf /srv`, "rm -rf /srv", "sudo"},
		{`sudo -u root -g wheel -E rm -rf /srv`, "rm -rf /srv", "sudo"},
		{`sudo -uroot -- rm x`, "rm x", "sudo"},
		{`sudo FOO=1 rm x`, "rm x", "sudo"},
		{`doas -u root rm x`, "rm x", "doas"},
		{`env -i rm x`, "rm x", "env"},
		{`env -u HOME -i FOO=1 rm x`, "rm x", "env"},
		{`env -S "rm -rf" ~`, "rm -rf /home/u", "env"},
		{`env --split-string="rm -rf" ~`, "rm -rf /home/u", "env"},
		{`FOO=1 BAR=2 rm x`, "rm x", ""},
		{`command rm x`, "rm x", "command"},
		{`command -p rm x`, "rm x", "command"},
		{`builtin cd /`, "cd /", "builtin"},
		{`exec rm x`, "rm x", "exec"},
		{`exec -a name rm x`, "rm x", "exec"},
		{`nohup rm x`, "rm x", "nohup"},
		{`nice -n 10 rm x`, "rm x", "nice"},
		{`nice -10 rm x`, "rm x", "nice"},
		{`ionice -c3 rm x`, "rm x", "ionice"},
		{`ionice -c 2 -n 7 rm x`, "rm x", "ionice"},
		{`timeout 5 rm x`, "rm x", "timeout"},
		{`timeout -s KILL -k 1 5s rm x`, "rm x", "timeout"},
		{`timeout --signal=KILL 5 rm x`, "rm x", "timeout"},
		{`stdbuf -oL -e0 rm x`, "rm x", "stdbuf"},
		{`setsid -f rm x`, "rm x", "setsid"},
		{`chrt -f 10 rm x`, "rm x", "chrt"},
		{`flock /tmp/l rm x`, "rm x", "flock"},
		{`flock -w 5 /tmp/l rm x`, "rm x", "flock"},
		{`busybox rm x`, "rm x", "busybox"},
		{`sudo nohup nice timeout 3 rm x`, "rm x", "sudo nohup nice timeout"},
		{`xargs rm -rf`, "rm -rf …", "xargs"},
		{`xargs -0 -n1 -P4 rm`, "rm …", "xargs"},
		{`echo a b | xargs rm`, "rm a b", "xargs"},
		{`xargs -I{} rm {}/x < paths.txt`, "rm a.txt/x", "xargs"},
		{`xargs rm < paths.txt`, "rm a.txt b.txt", "xargs"},
		{`xargs`, "echo …", "xargs"},
		{`find build -name '*.o' | xargs rm`, "rm build/**/*.o", "xargs"},
		{`find . -print0 | xargs -0 rm -f`, "rm -f **", "xargs"},
		{`parallel rm ::: a b`, "rm a", "parallel"},
		{`parallel rm {}.bak ::: a b`, "rm a.bak", "parallel"},
		{`watch -x rm x`, "rm x", "watch"},
		{`systemd-run --user --scope rm x`, "rm x", "systemd-run"},
		{`systemd-run -p Nice=5 --unit=job rm x`, "rm x", "systemd-run"},
		{`strace -f -e trace=file -o /tmp/t rm x`, "rm x", "strace"},
		{`pkexec --user root rm x`, "rm x", "pkexec"},
		{`xvfb-run -a -s '-screen 0 1x1x8' rm x`, "rm x", "xvfb-run"},
		{`fakeroot -- rm x`, "rm x", "fakeroot"},
		{`taskset -c 0,1 rm x`, "rm x", "taskset"},
		{`unshare -r -n rm x`, "rm x", "unshare"},
		{`nsenter -t 1 -m -u -- rm x`, "rm x", "nsenter"},
		{`chroot / rm x`, "rm x", "chroot"},
		{`dbus-run-session -- rm x`, "rm x", "dbus-run-session"},
		{`ssh-agent -t 60 rm x`, "rm x", "ssh-agent"},
		{`firejail --net=none rm x`, "rm x", "firejail"},
		{`numactl -N 0 -m 0 rm x`, "rm x", "numactl"},
		{`faketime '2020-01-01 10:00' rm x`, "rm x", "faketime"},
		{`systemd-inhibit --why=backup rm x`, "rm x", "systemd-inhibit"},
		{`cgexec -g cpu:low rm x`, "rm x", "cgexec"},
		{`prlimit --nofile=64 rm x`, "rm x", "prlimit"},
		{`proxychains -q rm x`, "rm x", "proxychains"},
		{`torsocks -u me rm x`, "rm x", "torsocks"},
		{`sshpass -p secret rm x`, "rm x", "sshpass"},
		{`valgrind --tool=memcheck rm x`, "rm x", "valgrind"},
		{`nq rm x`, "rm x", "nq"},
		{`tsp -L job rm x`, "rm x", "tsp"},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		last := invs[len(invs)-1]
		if last.Unknown != "" || last.Line() != c.want || strings.Join(last.Wrappers, " ") != c.wrappers {
			t.Errorf("%q: got %q wrappers %q unknown %q; want %q wrappers %q", c.src, last.Line(), last.Wrappers, last.Unknown, c.want, c.wrappers)
		}
	}
}

func TestAnalyzeNested(t *testing.T) {
	cases := []struct {
		src   string
		want  []string // every invocation, "?" for unknown
		chain string   // chain of the last one
	}{
		{`bash -c 'rm -rf ~'`, []string{"bash -c 'rm -rf ~'", "rm -rf /home/u"}, "bash -c"},
		{`sh -lc "rm x"`, []string{"sh -lc 'rm x'", "rm x"}, "sh -c"},
		{`bash -c -l 'rm x'`, []string{"bash -c -l 'rm x'", "rm x"}, "bash -c"},
		{`bash -o pipefail -ec 'rm x'`, []string{"bash -o pipefail -ec 'rm x'", "rm x"}, "bash -c"},
		{`bash -O extglob -c 'rm x'`, []string{"bash -O extglob -c 'rm x'", "rm x"}, "bash -c"},
		{`zsh --norc --noprofile -c 'rm x'`, []string{"zsh --norc --noprofile -c 'rm x'", "rm x"}, "zsh -c"},
		{`bash -c 'rm -rf "$1"' sh ~/x`, []string{"bash -c 'rm -rf \"$1\"' sh /home/u/x", "rm -rf /home/u/x"}, "bash -c"},
		{`bash -c '"$@"' _ rm -rf ~`, []string{"bash -c '\"$@\"' _ rm -rf /home/u", "rm -rf /home/u"}, "bash -c"},
		{`bash -c 'bash -c "eval \"rm x\""'`, []string{"bash -c 'bash -c \"eval \\\"rm x\\\"\"'", "bash -c 'eval \"rm x\"'", "eval 'rm x'", "rm x"}, "bash -c -> bash -c -> eval"},
		{`bash -c "$(curl -s x)"`, []string{"curl -s x", "bash -c …", "?"}, ""},
		{`eval "rm -rf ~"`, []string{"eval 'rm -rf ~'", "rm -rf /home/u"}, "eval"},
		{`eval rm -rf '~'`, []string{"eval rm -rf ~", "rm -rf /home/u"}, "eval"},
		{`eval "$X"`, []string{"eval …", "?"}, ""},
		{`source setup.sh`, []string{"source setup.sh", "rm -rf /home/u/cache"}, "source setup.sh"},
		{`. ./setup.sh`, []string{". ./setup.sh", "rm -rf /home/u/cache"}, "source ./setup.sh"},
		{`source missing.sh`, []string{"source missing.sh"}, ""},
		{`source "$X"`, []string{"source …", "?"}, ""},
		{`bash setup.sh`, []string{"bash setup.sh", "rm -rf /home/u/cache"}, "bash setup.sh"},
		{`bash -s <<'EOF'` + "\nrm x\nEOF", []string{"bash -s", "rm x"}, "bash < heredoc"},
		{`sh <<< 'rm x'`, []string{"sh", "rm x"}, "sh < here-string"},
		{`echo 'rm x' | sh`, []string{"echo 'rm x'", "sh", "rm x"}, "sh < echo"},
		{`printf 'rm %s\n' x | bash`, []string{"printf 'rm %s\\n' x", "bash", "rm x"}, "bash < printf"},
		{"cat <<EOF | sh\nrm x\nEOF", []string{"cat", "sh", "rm x"}, "sh < heredoc"},
		{`echo cm0geA== | base64 -d | sh`, []string{"echo cm0geA==", "base64 -d", "sh", "rm x"}, "sh < base64 -d"},
		{`curl -s x | sh`, []string{"curl -s x", "sh", "?"}, ""},
		{`curl -s x | python3`, []string{"curl -s x", "?"}, ""},
		{`bash <(curl -s x)`, []string{"curl -s x", "bash /dev/fd/…", "?"}, ""},
		{`bash`, []string{"bash"}, ""},
		{`PROMPT_COMMAND='rm -rf ~' bash -i`, []string{"bash -i", "rm -rf /home/u"}, "PROMPT_COMMAND"},
		{`env PROMPT_COMMAND='rm x' bash -i`, []string{"bash -i", "rm x"}, "PROMPT_COMMAND"},
		{`BASH_ENV=setup.sh bash -c 'ls'`, []string{"bash -c ls", "rm -rf /home/u/cache", "ls"}, "bash -c"},
		{`BASH_ENV=$(mktemp) bash -c 'ls'`, []string{"mktemp", "bash -c ls", "?", "ls"}, "bash -c"},
		{`su -c 'rm x' root`, []string{"su -c 'rm x' root", "rm x"}, "su -c"},
		{`su - root -c "rm x"`, []string{"su - root -c 'rm x'", "rm x"}, "su -c"},
		{`ssh db1 'dropdb app'`, []string{"ssh db1 'dropdb app'", "dropdb app"}, "ssh db1"},
		{`ssh -p 22 -i k.pem u@h rm -rf /srv`, []string{"ssh -p 22 -i k.pem u@h rm -rf /srv", "rm -rf /srv"}, "ssh u@h"},
		{`ssh h`, []string{"ssh h"}, ""},
		{`ssh -vp 22 prod 'rm -rf /var/www'`, []string{"ssh -vp 22 prod 'rm -rf /var/www'", "rm -rf /var/www"}, "ssh prod"},
		{`ssh -p2222 -oBatchMode=yes u@h ls`, []string{"ssh -p2222 -oBatchMode=yes u@h ls", "ls"}, "ssh u@h"},
		{`docker exec -it pg psql -c 'DROP TABLE t'`, []string{"docker exec -it pg psql -c 'DROP TABLE t'", "psql -c 'DROP TABLE t'"}, "docker exec pg"},
		{`docker compose exec -T db psql`, []string{"docker compose exec -T db psql", "psql"}, "docker compose exec db"},
		{`kubectl -n prod exec -it deploy/api -- rm -rf /data`, []string{"kubectl -n prod exec -it deploy/api -- rm -rf /data", "rm -rf /data"}, "kubectl exec deploy/api"},
		{`find . -name '*.o' -exec rm {} +`, []string{"find . -name *.o -exec rm {} +", "rm **/*.o"}, "find -exec"},
		{`find /tmp/x -execdir rm -rf {} \;`, []string{"find /tmp/x -execdir rm -rf {} ;", "rm -rf /tmp/x/**"}, "find -execdir"},
		{`find ~ -exec sh -c 'rm -rf "$1"' _ {} \;`, []string{"find /home/u -exec sh -c 'rm -rf \"$1\"' _ {} ;", "sh -c 'rm -rf \"$1\"' _ /home/u/**", "rm -rf /home/u/**"}, "find -exec -> sh -c"},
		{`git submodule foreach --recursive 'rm -rf x'`, []string{"git submodule foreach --recursive 'rm -rf x'", "rm -rf x"}, "git submodule foreach"},
		{`git rebase -i --exec 'rm x' main`, []string{"git rebase -i --exec 'rm x' main", "rm x"}, "git rebase --exec"},
		{`git bisect run rm x`, []string{"git bisect run rm x", "rm x"}, "git bisect run"},
		{`watch 'rm x'`, []string{"rm x", "watch 'rm x'"}, ""},
		{`flock /tmp/l -c 'rm x'`, []string{"rm x", "flock /tmp/l -c 'rm x'"}, ""},
		{`guard -c 'rm x'`, []string{"guard -c 'rm x'", "rm x"}, "guard -c"},
		{`guard run -- rm x`, []string{"guard run -- rm x", "rm x"}, "guard run"},
		{`guard run 'rm x'`, []string{"guard run 'rm x'", "rm x"}, "guard run"},
		{`guard check 'rm -rf ~'`, []string{"guard check 'rm -rf ~'"}, ""},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		got := lines(invs)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
			continue
		}
		if last := invs[len(invs)-1]; c.chain != "" && strings.Join(last.Chain, " -> ") != c.chain {
			t.Errorf("%q: chain %q, want %q", c.src, strings.Join(last.Chain, " -> "), c.chain)
		}
	}
}

func TestAnalyzeWorkingDirectory(t *testing.T) {
	cases := []struct {
		src  string
		want []string // cwd of each invocation, "" for unknown
	}{
		{`cd / && rm -rf home`, []string{"/home/u/code/app", "/"}},
		{`cd; ls`, []string{"/home/u/code/app", "/home/u"}},
		{`cd ~/code; ls`, []string{"/home/u/code/app", "/home/u/code"}},
		{`cd ..; cd -; ls`, []string{"/home/u/code/app", "/home/u/code", "/home/u/code/app"}},
		{`(cd /tmp && ls); ls`, []string{"/home/u/code/app", "/tmp", "/home/u/code/app"}},
		{`cd /tmp | ls; ls`, []string{"/home/u/code/app", "/home/u/code/app", "/home/u/code/app"}},
		{`pushd src && ls && popd && ls`, []string{"/home/u/code/app", "/home/u/code/app/src", "/home/u/code/app/src", "/home/u/code/app"}},
		{`cd "$X"; ls`, []string{"/home/u/code/app", ""}},
		{`git -C ../other status`, []string{"/home/u/code/other"}},
		{`git -c a=b --git-dir x -C ../other status`, []string{"/home/u/code/other"}},
		{`make -C sub`, []string{"/home/u/code/app/sub"}},
		{`terraform -chdir=infra plan`, []string{"/home/u/code/app/infra"}},
		{`env -C / ls`, []string{"/"}},
		{`sudo -D /srv ls`, []string{"/srv"}},
		{`bash -c 'cd ~ && ls'`, []string{"/home/u/code/app", "/home/u/code/app", "/home/u"}},
		{`ssh h 'ls'`, []string{"/home/u/code/app", ""}},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		var got []string
		for _, inv := range invs {
			got = append(got, inv.Cwd)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: cwd %q, want %q", c.src, got, c.want)
		}
	}
}

func TestAnalyzeStdin(t *testing.T) {
	cases := []struct {
		src   string
		known bool
		data  string
		from  string
	}{
		{"psql <<EOF\nDROP TABLE t;\nEOF", true, "DROP TABLE t;\n", "heredoc"},
		{"psql <<-EOF\n\tDROP TABLE t;\n\tEOF", true, "DROP TABLE t;\n", "heredoc"},
		{"psql <<'EOF'\n$X\nEOF", true, "$X\n", "heredoc"},
		{"psql <<EOF\n$X\nEOF", false, UnknownMark + "\n", "heredoc"},
		{`psql <<< 'DROP TABLE t'`, true, "DROP TABLE t\n", "here-string"},
		{`echo 'DROP TABLE t' | psql`, true, "DROP TABLE t\n", "echo"},
		{`echo -n x | psql`, true, "x", "echo"},
		{`printf '%s;\n' a b | psql`, true, "a;\nb;\n", "printf"},
		{`cat drop.sql | psql`, true, "DROP TABLE users;\n", "cat"},
		{`psql < drop.sql`, true, "DROP TABLE users;\n", "file drop.sql"},
		{`psql < missing.sql`, false, "", "file missing.sql"},
		{`curl x | psql`, false, "", "curl"},
		{`{ psql; } < drop.sql`, true, "DROP TABLE users;\n", "file drop.sql"},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		inv := invs[len(invs)-1]
		if inv.Name != "psql" || inv.Stdin == nil {
			t.Errorf("%q: last invocation %q has stdin %v", c.src, inv.Line(), inv.Stdin)
			continue
		}
		if s := *inv.Stdin; s.Known != c.known || s.Data != c.data || s.From != c.from {
			t.Errorf("%q: stdin %+v, want known=%v data=%q from=%q", c.src, s, c.known, c.data, c.from)
		}
	}
}

func TestAnalyzeRedirects(t *testing.T) {
	invs := Analyze(`echo x > out.txt 2>&1 >> log &> all; > ~/.ssh/authorized_keys`, testContext())
	if len(invs) != 2 {
		t.Fatalf("got %d invocations", len(invs))
	}
	var got []string
	for _, r := range invs[0].Redirects {
		got = append(got, r.Op+" "+r.Target.Value)
	}
	want := []string{"> out.txt", ">& 1", ">> log", "&> all"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("redirects %q, want %q", got, want)
	}
	if r := invs[1].Redirects; invs[1].Name != ":" || len(r) != 1 || r[0].Target.Value != "/home/u/.ssh/authorized_keys" || !r[0].Truncates() {
		t.Errorf("bare redirect: %+v", invs[1])
	}
}

func TestAnalyzeGlobs(t *testing.T) {
	invs := Analyze(`rm -rf ~/* './*' "$HOME"/x*`, testContext())
	args := invs[0].Args
	want := []bool{false, true, false, true}
	for i, a := range args {
		if a.Glob != want[i] {
			t.Errorf("arg %q: glob %v, want %v", a.Value, a.Glob, want[i])
		}
	}
}

// A function that starts copies of itself in a pipeline or the background
// is a fork bomb, reported unknown with the reason; plain recursion, and a
// recursive function whose caller is in a pipeline, are not.
func TestForkBomb(t *testing.T) {
	cases := []struct {
		src  string
		bomb bool
	}{
		{`:(){ :|:& };:`, true},
		{`bomb() { bomb | bomb & }; bomb`, true},
		{`f() { f & }; f`, true},
		{`f() { echo x | f; }; f`, true},
		{`f() { zsh -c 'f(){ f|f& };f'; }; f`, true},
		{`f() { bash -c ':(){ :|:& };:'; }; f | cat`, true},
		{`f() { [ "$1" -gt 0 ] && f $(( $1 - 1 )); }; f 3`, false},
		{`walk() { for d in "$@"; do walk "$d"/*; done; }; walk src | sort`, false},
		{`f() { ls | grep x; }; f &`, false},
	}
	for _, c := range cases {
		bomb := false
		for _, inv := range Analyze(c.src, testContext()) {
			bomb = bomb || strings.Contains(inv.Unknown, "fork bomb")
		}
		if bomb != c.bomb {
			t.Errorf("%q: fork bomb %v, want %v", c.src, bomb, c.bomb)
		}
	}
}
