package sandbox

import (
	"fmt"
	"strings"

	"github.com/guard-dev/guard/rules"
)

// SessionFd is the file descriptor on which the session's bash talks to
// guard. guard hands its end of the channel to bash as fd 3 and the
// integration moves it here, above the descriptors scripts use; the
// session rules refuse commands that redirect or close it.
const SessionFd = rules.SessionChannelFd

// SessionEnvVar is set in the session's environment (to guard's pid), so
// that the rules and a nested guard know they run inside a session.
const SessionEnvVar = "GUARD_SESSION"

// sessionTrap is the DEBUG trap the integration installs; the judge checks
// that it is still in place before every line.
const sessionTrap = "__guard_dbg"

// sessionStateOptions is what the judge reports about bash's options
// before each line, and sessionStateWant the same with the DEBUG trap in
// place; anything else means the integration was tampered with.
const (
	sessionStateOptions = "shopt -s extdebug\n" +
		"shopt -s promptvars\n" +
		"shopt -s cmdhist\n" +
		"set -o history\n"
	sessionStateWant = sessionStateOptions + "trap -- '" + sessionTrap + "' DEBUG\n"
)

// sessionRC returns the rcfile of a session: it reads the user's own
// startup files as bash would, then installs guard's integration last, so
// that nothing in them can undo it.
//
// How a line is checked (see ARCHITECTURE.md, "session"):
//
//   - PS0 is expanded by bash after it has read a whole command line
//     (continuation lines and heredocs included) and added it to the
//     history, and before it runs any part of it. It is expanded again for
//     every command line bash reads from the same input: a paste of
//     several lines, or a newline typed with Ctrl-V Ctrl-J, reaches bash
//     as one line from readline, which bash reads and runs a line at a
//     time with no prompt (and no PROMPT_COMMAND) in between. PS0 counts
//     these lines in __guard_phase (1 for the first after a prompt), and
//     its command substitution runs __guard_judge in a child of bash,
//     which sends the line (the last history entry) and the count to guard
//     and waits for the answer. On "allow" it prints "1", which PS0's
//     ${__guard_v[__guard_phase]:=...} stores in the shell: each line of an
//     input has its own verdict, so an allowed line never stands for the
//     next one. (The verdict also serves as the offset of a substring of
//     the one-letter __guard_z, so that PS0 prints nothing.) On anything
//     else it prints "9" and kills itself with SIGINT: bash then sends
//     itself SIGINT and drops the line, as for Ctrl-C.
//   - The DEBUG trap, with extdebug (which also makes functions, subshells
//     and command substitutions inherit it), runs before every simple
//     command and skips it unless the line was allowed: a second lock in
//     case the first one did not fire. On the first command of an allowed
//     line it removes itself; PROMPT_COMMAND sets it again. The later
//     lines of the same input therefore have the first lock only, and
//     guard accepts the trap's absence for them.
//   - PROMPT_COMMAND sets the trap and resets the count and the verdicts
//     before each prompt, and checks that the options the integration
//     relies on are still set; when one is not, it tells guard, which ends
//     the session.
//   - Before that, an input of several lines from a paste or Ctrl-V is
//     judged as a whole when Enter is pressed, before bash reads any of
//     it: the paste and Ctrl-V keys arm __guard_accept on Enter, which
//     sends readline's line to guard and, when guard refuses it, accepts
//     an empty line in its place. This is for the human (a refused paste
//     runs nothing, a confirmed one is asked about once); the locks above
//     do not depend on it.
//   - edit-and-execute-command (Ctrl-X Ctrl-E, vi's v) would run the
//     edited text from the key binding, at the prompt, past both locks:
//     its keys are bound to __guard_edit, which puts the text back into
//     the line for Enter.
//
// The functions, PS0, PROMPT_COMMAND and the history settings are
// readonly: bash itself refuses to change them.
func sessionRC(login bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# guard session integration: written by guard, removed when the session ends.\n")
	fmt.Fprintf(&b, "exec %d<&3 3<&-\n", SessionFd)
	if login {
		b.WriteString(`if [ -r /etc/profile ]; then . /etc/profile; fi
if [ -r "$HOME/.bash_profile" ]; then . "$HOME/.bash_profile"
elif [ -r "$HOME/.bash_login" ]; then . "$HOME/.bash_login"
elif [ -r "$HOME/.profile" ]; then . "$HOME/.profile"
fi
`)
	} else {
		b.WriteString(`if [ -r "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
`)
	}
	b.WriteString(strings.ReplaceAll(sessionHook, "@FD@", fmt.Sprint(SessionFd)))
	return b.String()
}

// sessionHook is the integration proper; @FD@ is SessionFd.
const sessionHook = `
__guard_user_pc=("${PROMPT_COMMAND[@]}")
builtin unset PROMPT_COMMAND
__guard_z=x
__guard_v=()
__guard_phase=0
__guard_hn=0
__guard_dir=${BASH_SOURCE[0]%/*}
HISTCONTROL=''
HISTIGNORE=''
builtin shopt -s cmdhist lithist promptvars
builtin set -o history
builtin readonly HISTCONTROL HISTIGNORE __guard_z __guard_user_pc __guard_dir

# Answers guard's questions about the functions and aliases a line uses
# (nonce $1), until guard gives its verdict: returns 0 when guard allows.
__guard_answer() {
	local r x
	while builtin read -r -u @FD@ r; do
		case $r in
		"$1 need "*)
			{
				builtin printf 'D\0%s\0' "$1"
				for x in ${r#"$1 need "}; do builtin declare -f -- "$x"; done 2>/dev/null
				builtin printf '\0'
				for x in ${r#"$1 need "}; do builtin alias -- "$x"; done 2>/dev/null
				builtin printf '\0'
			} >&@FD@
			;;
		"$1 allow") return 0 ;;
		"$1 "*) return 1 ;;
		esac
		# Anything else answers an earlier question, whose asker was
		# interrupted (Ctrl-C): not this one.
	done
	return 1
}

# Runs in a child of bash (PS0's command substitution): sends the line and
# its place in the input to guard, answers its questions, and prints "1"
# when guard allows the line. Any other outcome prints "9" (so that PS0
# shows nothing) and drops the line.
__guard_judge() {
	local IFS=$' \t\n' n="$SRANDOM$SRANDOM"
	{
		builtin printf 'J\0%s\0%s\0' "$n" "$__guard_phase"
		builtin shopt -p extdebug promptvars cmdhist
		builtin shopt -po history
		builtin trap -p DEBUG
		builtin printf '\0'
		HISTTIMEFORMAT= builtin history 1
		builtin printf '\0'
	} >&@FD@ 2>/dev/null && __guard_answer "$n" && {
		builtin printf 1
		return 0
	}
	builtin printf 9
	builtin kill -INT "$BASHPID"
	return 1
}

# Runs in bash when Enter is pressed while the line may hold several
# lines (see __guard_arm), before readline accepts it: an input of several
# lines is judged as a whole before bash reads any of it. Only at the
# first prompt of a command (bash has read no line of it, so the history
# has not grown since PROMPT_COMMAND ran): a paste at the continuation
# prompt, into a heredoc say, is not a program of its own. When guard
# refuses it, it goes into the history (Up brings it back) and an empty
# line is accepted in its place. Enter then goes back to accepting lines
# at once.
__guard_accept() {
	__guard_keys accept-line
	[[ $READLINE_LINE == *$'\n'* && $HISTCMD == "$__guard_hn" ]] || return 0
	local IFS=$' \t\n' n="$SRANDOM$SRANDOM"
	builtin printf 'P\0%s\0%s\0' "$n" "$READLINE_LINE" >&@FD@ 2>/dev/null && __guard_answer "$n" && return 0
	builtin history -s -- "$READLINE_LINE"
	READLINE_LINE=''
	READLINE_POINT=0
}

# Runs before a paste and before Ctrl-V: from now on Enter runs
# __guard_accept first. (Always doing so would cost a redraw of the prompt
# at every Enter: bash redraws it after every key binding to a command.)
__guard_arm() {
	__guard_keys '"\C-x\C-_\C-a\C-x\C-_\C-b"'
}

# Ctrl-X Ctrl-E (vi: v), edit-and-execute-command, opens the line in the
# editor as bash's own does. Bash's would then run the edited text itself,
# past every check; this one puts it back into the line instead, and Enter
# runs it as any other input. The file is in the session's private
# directory, where the rcfile is.
__guard_edit() {
	local f="$__guard_dir/edit.sh" e=emacs
	[[ -o vi ]] && e=vi
	builtin printf '%s\n' "$READLINE_LINE" >|"$f" || return
	${VISUAL:-${EDITOR:-$e}} "$f"
	READLINE_LINE=$(<"$f")
	READLINE_POINT=${#READLINE_LINE}
	__guard_arm
}

# Binds Enter (Ctrl-M, Ctrl-J) to $1 in every editing mode.
__guard_keys() {
	local k
	for k in emacs vi-insert vi-command; do
		builtin bind -m "$k" '"\C-m": '"$1"
		builtin bind -m "$k" '"\C-j": '"$1"
	done
}

# Runs before each prompt: a new input has no verdicts yet.
__guard_pc() {
	__guard_phase=0 && __guard_v=() && __guard_hn=$HISTCMD || {
		builtin printf 'B\0%s\0' "guard's session variables were made readonly" >&@FD@
		return
	}
	builtin trap __guard_dbg DEBUG
	builtin shopt -q promptvars extdebug cmdhist && [[ -o history ]] || {
		builtin printf 'B\0%s\0' "an option guard's session relies on (promptvars, extdebug, cmdhist, history) was turned off" >&@FD@
		return
	}
	local __guard_c
	for __guard_c in "${__guard_user_pc[@]}"; do
		builtin eval "$__guard_c"
	done
}

# The DEBUG trap: a command runs only when its line was allowed, or at the
# prompt (PROMPT_COMMAND, completion, key bindings from the startup files).
# Once a line is allowed, the trap steps aside until the next prompt, so
# that the line's loops run at bash's speed; the later lines of the same
# input are still judged by PS0, each with its own verdict.
__guard_dbg() {
	if [[ ${__guard_v[__guard_phase]} == 1 ]]; then
		builtin trap - DEBUG
		return 0
	fi
	[[ $__guard_phase == 0 ]] && return 0
	case " ${FUNCNAME[*]} " in *" __guard_judge "* | *" __guard_pc "* | *" __guard_accept "* | *" __guard_arm "* | *" __guard_edit "*) return 0 ;; esac
	case $BASH_COMMAND in __guard_judge | __guard_pc | __guard_accept | __guard_arm | __guard_edit) return 0 ;; esac
	builtin kill -INT "$BASHPID" 2>/dev/null
	return 1
}

builtin readonly -f __guard_answer __guard_judge __guard_accept __guard_arm __guard_edit __guard_keys __guard_pc __guard_dbg
# The keys that can put several lines in readline's line: a paste (with
# bracketed paste; without it, every pasted newline is an Enter) and
# Ctrl-V (quoted-insert, then Ctrl-J). They arm __guard_accept, and then
# do their own work (which must come last in the macro: bracketed paste
# reads the pasted text from the keys that follow).
for __guard_k in emacs vi-insert vi-command; do
	builtin bind -m "$__guard_k" -x '"\C-x\C-_\C-a": __guard_accept'
	builtin bind -m "$__guard_k" '"\C-x\C-_\C-b": accept-line'
	builtin bind -m "$__guard_k" -x '"\C-x\C-_\C-d": __guard_arm'
	builtin bind -m "$__guard_k" '"\C-x\C-_\C-p": bracketed-paste-begin'
	builtin bind -m "$__guard_k" '"\C-x\C-_\C-q": quoted-insert'
	builtin bind -m "$__guard_k" '"\C-v": "\C-x\C-_\C-d\C-x\C-_\C-q"'
done 2>/dev/null
builtin bind -m emacs '"\e[200~": "\C-x\C-_\C-d\C-x\C-_\C-p"' 2>/dev/null
builtin bind -m vi-insert '"\e[200~": "\C-x\C-_\C-d\C-x\C-_\C-p"' 2>/dev/null
builtin bind -m emacs '"\C-q": "\C-x\C-_\C-d\C-x\C-_\C-q"' 2>/dev/null
builtin bind -m vi-command '"\C-q": "\C-x\C-_\C-d\C-x\C-_\C-q"' 2>/dev/null
builtin bind -m emacs '"\e[2~": "\C-x\C-_\C-d\C-x\C-_\C-q"' 2>/dev/null
# Every key bound to edit-and-execute-command or its vi twin (by default
# Ctrl-X Ctrl-E, and v in vi's command mode; the startup files may add
# others) edits through __guard_edit instead.
for __guard_k in emacs vi-insert vi-command; do
	while builtin read -r __guard_l; do
		[[ $__guard_l == '"'*'": '?(vi-)'edit-and-execute-command' ]] &&
			builtin bind -m "$__guard_k" -x "${__guard_l%: *}: __guard_edit"
	done <<<"$(builtin bind -m "$__guard_k" -p 2>/dev/null)"
done 2>/dev/null
builtin unset __guard_k __guard_l
builtin unset __guard_k
PS0='${__guard_z:$((++__guard_phase))}${__guard_z:${__guard_v[__guard_phase]:=$(__guard_judge)}}'
PROMPT_COMMAND=__guard_pc
builtin readonly PS0 PROMPT_COMMAND
builtin trap __guard_dbg DEBUG
builtin shopt -s extdebug
`
