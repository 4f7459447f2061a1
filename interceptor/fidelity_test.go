package interceptor

import (
	"slices"
	"testing"
)

// fidelityCase is a script and what its analysis must and must not
// contain, one rendered invocation (see lines) each; "?" is an unknown
// invocation.
type fidelityCase struct {
	src     string
	must    []string
	mustNot []string
}

func checkFidelity(t *testing.T, cases []fidelityCase) {
	t.Helper()
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		for _, m := range c.must {
			if !slices.Contains(got, m) {
				t.Errorf("%q: want %q among\n %q", c.src, m, got)
			}
		}
		for _, m := range c.mustNot {
			if slices.Contains(got, m) {
				t.Errorf("%q: want no %q among\n %q", c.src, m, got)
			}
		}
	}
}

func TestBashOctal(t *testing.T) {
	cases := []struct {
		in   string
		mode escapeMode
		want string
	}{
		{`\562\555`, escFormat, `\x72\x6d`},
		{`\0562`, escFormat, `\x2e2`},
		{`\18`, escFormat, `\x018`},
		{`\\562`, escFormat, `\\562`},
		{`\0562`, escB, `\x72`},
		{`\562`, escB, `\x72`},
		{`\0562`, escEcho, `\x72`},
		{`\562`, escEcho, `\\562`},
		{`plain`, escEcho, `plain`},
	}
	for _, c := range cases {
		if got := bashOctal(c.in, c.mode); got != c.want {
			t.Errorf("bashOctal(%q, %d) = %q, want %q", c.in, c.mode, got, c.want)
		}
	}
}

// Octal escapes wrap modulo 256 as in bash (bash -c "printf '\562'" prints
// "r").
func TestPrintfEscapes(t *testing.T) {
	checkFidelity(t, []fidelityCase{
		{src: `printf '\562\555\440-rf\440/' | bash`, must: []string{"rm -rf /"}},
		{src: `printf '%b' '\0562\0555 -rf /' | sh`, must: []string{"rm -rf /"}},
		{src: `echo -e '\0562\0555 -rf /' | sh`, must: []string{"rm -rf /"}},
		{src: `echo -e '\562\555 -rf /' | sh`, mustNot: []string{"rm -rf /"}},
		{src: `printf '%s\n' '\562\555 -rf /' | sh`, mustNot: []string{"rm -rf /"}},
		{src: `printf 'ls\n' | sh`, must: []string{"ls"}},
	})
}

// Wrappers read with their program's whole option table: clusters, values
// attached or apart, long options with "=", optional values.
func TestWrapperOptionTables(t *testing.T) {
	const rmHome = "rm -rf /home/u"
	checkFidelity(t, []fidelityCase{
		{src: `echo 'rm -rf ~' | xargs --replace bash -c {}`, must: []string{rmHome}},
		{src: `echo 'rm -rf ~' | xargs --replace=R bash -c R`, must: []string{rmHome}},
		{src: `echo 'rm -rf ~' | xargs -iR bash -c R`, must: []string{rmHome}},
		{src: `echo 'rm -rf ~' | xargs -i bash -c {}`, must: []string{rmHome}},
		{src: `echo a b | xargs -l echo`, must: []string{"echo a b"}},
		{src: `ssh -voProxyCommand='rm -rf ~' host`, must: []string{rmHome}},
		{src: `ssh -v -o 'ProxyCommand rm -rf ~' host`, must: []string{rmHome}},
		{src: `ssh host -oLocalCommand='rm -rf ~' -oPermitLocalCommand=yes`, must: []string{rmHome}},
		{src: `scp -qvoProxyCommand='rm -rf ~' a host:b`, must: []string{rmHome}},
		{src: `scp a host:b -o KnownHostsCommand='rm -rf ~'`, must: []string{rmHome}},
		{src: `sftp -oProxyCommand='rm -rf ~' host`, must: []string{rmHome}},
		{src: `scp -S rm a host:b`, must: []string{"rm …"}},
		{src: `rsync -ae 'rm -rf ~' src host:dst`, must: []string{"rm -rf /home/u host rsync --server"}},
		{src: `rsync -a --rsh='rm -rf ~' src host:dst`, must: []string{"rm -rf /home/u host rsync --server"}},
		{src: `rsync -a --rsh 'rm -rf ~' src u@host:dst`, must: []string{"rm -rf /home/u host rsync --server"}},
		{src: `rsync -a src host:dst -e 'rm -rf ~'`, must: []string{"rm -rf /home/u host rsync --server"}},
		{src: `socat - EXEC:'rm -rf ~'`, must: []string{rmHome}},
		{src: `socat - exec:'rm -rf ~',pty,stderr`, must: []string{rmHome}},
		{src: `socat - SYSTEM:'rm -rf ~'`, must: []string{rmHome}},
		{src: `socat TCP:h:1!!EXEC:'rm -rf ~' -`, must: []string{rmHome}},
		// The everyday forms run nothing here.
		{src: `ssh -v host`, mustNot: []string{"?"}},
		{src: `ssh -o StrictHostKeyChecking=no host`, mustNot: []string{"?"}},
		{src: `ssh -p 22 host uptime`, must: []string{"uptime"}},
		{src: `ssh host -l u ls -la`, must: []string{"ls -la"}},
		{src: `rsync -av src/ host:dst/`, must: []string{"rsync -av src/ host:dst/"}},
		{src: `socat TCP-LISTEN:8080 TCP:localhost:80`, must: []string{"socat TCP-LISTEN:8080 TCP:localhost:80"}},
	})
}

// The declaration builtins as bash runs them (checked with declare -p in
// bash 5.2).
func TestDeclarations(t *testing.T) {
	const rmRoot = "rm -rf /"
	checkFidelity(t, []fidelityCase{
		// Every argument is expanded before any is assigned.
		{src: `A=rm; declare A=echo B=$A; "$B" -rf /`, must: []string{rmRoot}},
		{src: `A=rm; export A=echo B=$A; "$B" -rf /`, must: []string{rmRoot}},
		{src: `A=rm; declare A=echo; B=$A; "$B" -rf /`, mustNot: []string{rmRoot}},
		// Brace expansion in an assignment argument; the last word wins.
		{src: `declare TOOL={echo,rm}; $TOOL -rf /`, must: []string{rmRoot}},
		{src: `TOOL={echo,rm}; $TOOL -rf /`, mustNot: []string{rmRoot}},
		{src: `x=T=rm; declare $x; $T -rf /`, must: []string{rmRoot}},
		// readonly: neither assigned nor unset again.
		{src: "readonly TOOL=rm\nTOOL=echo\nunset TOOL\n\"$TOOL\" -rf /", must: []string{rmRoot}},
		{src: `declare -r TOOL=rm; declare TOOL=echo; "$TOOL" -rf /`, must: []string{rmRoot}},
		{src: `readonly TOOL=rm; f() { local TOOL=echo; "$TOOL" -rf /; }; f`, must: []string{rmRoot}},
		// Case and integer attributes.
		{src: `declare -l TOOL=RM; $TOOL -rf /`, must: []string{rmRoot}},
		{src: `declare -l TOOL; TOOL=RM; $TOOL -rf /`, must: []string{rmRoot}},
		{src: `declare -u T=rm; $T -rf /`, mustNot: []string{rmRoot}},
		{src: `declare -i n=5; echo $n`, must: []string{"echo 5"}},
		{src: `declare -i n=2+3; echo $n`, must: []string{"echo 5"}},
		{src: `declare -i n; n=x; echo $n`, must: []string{"echo 0"}},
		// Locals end with their function.
		{src: `f() { local T=echo; }; T=rm; f; "$T" -rf /`, must: []string{rmRoot}},
		{src: `f() { declare T=echo; }; T=rm; f; "$T" -rf /`, must: []string{rmRoot}},
		{src: `f() { declare -g T=echo; }; T=rm; f; "$T" -rf /`, mustNot: []string{rmRoot}},
		{src: `f() { T=echo; }; T=rm; f; "$T" -rf /`, mustNot: []string{rmRoot}},
		{src: `f() { local T=rm; "$T" -rf /; }; f`, must: []string{rmRoot}},
		{src: `f() { local T=rm; g; }; g() { "$T" -rf /; }; f`, must: []string{rmRoot}},
		{src: `f() { local T; "$T" -rf /; }; T=rm; f`, mustNot: []string{rmRoot}},
		{src: `local T=rm; "$T" -rf /`, mustNot: []string{rmRoot}},
		{src: `f(){ local TOOL=rm; }; TOOL=echo; f; $TOOL -rf /`, mustNot: []string{rmRoot}},
		{src: `builtin declare T=rm; $T -rf /`, must: []string{rmRoot}},
	})
}

// After code that may or may not run, a variable it wrote has any of the
// values written: unknown, never the last one guessed.
func TestBranchValues(t *testing.T) {
	const rmRoot = "rm -rf /"
	checkFidelity(t, []fidelityCase{
		{src: `TOOL=echo; true && TOOL=rm || TOOL=echo; "$TOOL" -rf /`, must: []string{"?"}},
		{src: `TOOL=echo; [ -f x ] && TOOL=rm; "$TOOL" -rf /`, must: []string{"?"}},
		{src: `TOOL=echo; if [ -f x ]; then TOOL=rm; fi; "$TOOL" -rf /`, must: []string{"?"}},
		{src: `TOOL=echo; if [ -f x ]; then TOOL=rm; else TOOL=ls; fi; "$TOOL" -rf /`, must: []string{"?"}},
		{src: `TOOL=echo; case $UNSET_C in a) TOOL=rm;; esac; "$TOOL" -rf /`, must: []string{"?"}},
		{src: `TOOL=echo; while read -r l; do TOOL=rm; done; "$TOOL" -rf /`, must: []string{"?"}},
		{src: `TOOL=echo; for f in a b; do TOOL=rm; TOOL=echo; done; "$TOOL" -rf /`, must: []string{"?"}},
		// Known, or sure inside the code that wrote it.
		{src: `TOOL=echo; [ -f x ] && TOOL=echo; "$TOOL" -rf /`, must: []string{"echo -rf /"}},
		{src: `[ -f x ] && { T=rm; "$T" -rf /; }`, must: []string{rmRoot}},
		{src: `T=rm && "$T" -rf /`, must: []string{rmRoot}},
		{src: `f && T=rm && "$T" -rf /`, must: []string{rmRoot}},
		{src: `T=ls; if [ a = a ]; then T=rm; fi; "$T" -rf /`, must: []string{rmRoot}},
		{src: `T=ls; case a in a) T=rm;; esac; "$T" -rf /`, must: []string{rmRoot}},
		{src: `x=5; [ -f y ] && echo hi; echo $((x+1))`, must: []string{"echo 6"}},
	})
}

// Values bash evaluates as arithmetic or prompts run the code in them.
func TestValueCode(t *testing.T) {
	const rmHome = "rm -rf /home/u"
	checkFidelity(t, []fidelityCase{
		{src: `x='a[$(rm -rf ~)]'; echo $((x))`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; echo $(($x))`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; y=x; (( y > 1 ))`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; let x+1`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; [[ $x -eq 1 ]]`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; [[ x -lt 1 ]]`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; declare -i y=x`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; declare -i y; y=x`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; b[x]=1`, must: []string{rmHome}},
		{src: `x='a[$(rm -rf ~)]'; echo ${s:x}`, must: []string{rmHome}},
		{src: `x='$(rm -rf ~)'; test -v "a[$x]"`, must: []string{rmHome}},
		{src: `x='$(rm -rf ~)'; [ -v "a[$x]" ]`, must: []string{rmHome}},
		{src: `x='$(rm -rf ~)'; [[ -v a[$x] ]]`, must: []string{rmHome}},
		{src: `x='$(rm -rf ~)'; echo ${x@P}`, must: []string{rmHome}},
		{src: `[ -f y ] && x='a[$(rm -rf ~)]'; echo $((x))`, must: []string{rmHome}},
		{src: `[ -f y ] && x='$(rm -rf ~)'; echo ${x@P}`, must: []string{rmHome}},
		{src: "x='`rm -rf ~`'; echo ${x@P}", must: []string{rmHome}},
		// Plain values run nothing.
		{src: `x=5; echo $((x+1))`, must: []string{"echo 6"}, mustNot: []string{"?"}},
		{src: `x='$(rm -rf ~)'; echo "$x" $((1+1))`, mustNot: []string{rmHome}},
		{src: `x='$(rm -rf ~)'; [[ $x == 1 ]]`, mustNot: []string{rmHome}},
		{src: `x='$(rm -rf ~)'; echo ${x@Q}`, mustNot: []string{rmHome}},
		{src: `declare -i n=5`, mustNot: []string{"?"}},
	})
}

func TestHashTable(t *testing.T) {
	checkFidelity(t, []fidelityCase{
		{src: `hash -p /bin/rm wipe; wipe -rf /`, must: []string{"rm -rf /"}},
		{src: `hash -p /bin/rm a b; b -rf /`, must: []string{"rm -rf /"}},
		{src: `BASH_CMDS[wipe]=/bin/rm; wipe -rf /`, must: []string{"rm -rf /"}},
		{src: `hash -p /bin/rm wipe; command wipe -rf /`, must: []string{"rm -rf /"}},
		{src: `hash -p "$UNKNOWN_P" wipe; wipe -rf /`, must: []string{"?"}},
		{src: `hash -p /bin/rm "$UNKNOWN_N"; ls`, must: []string{"rm"}},
		// Forgotten, shadowed, or not bash's to look up.
		{src: `hash -p /bin/rm wipe; hash -r; wipe -rf /`, mustNot: []string{"rm -rf /"}},
		{src: `hash -p /bin/rm wipe; hash -d wipe; wipe -rf /`, mustNot: []string{"rm -rf /"}},
		{src: `hash -p /bin/rm wipe; wipe() { ls; }; wipe -rf /`, mustNot: []string{"rm -rf /"}},
		{src: `hash -p /bin/rm echo; echo -rf /`, mustNot: []string{"rm -rf /"}},
		{src: `hash -p /bin/rm wipe; sudo wipe -rf /`, mustNot: []string{"rm -rf /"}},
		{src: `hash -r; ls`, must: []string{"ls"}},
	})
}
