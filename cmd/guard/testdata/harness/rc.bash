# The test user's ~/.bashrc, sourced by claude-snapshot.sh, codex-snapshot.sh
# and cursor-state.sh as the agents source the user's rc file before they
# capture its functions, options and aliases. It carries what real ones do:
# tool wrappers (one of which evals its tool's output), a prompt helper,
# completion helpers (HELPERS of them, default 40), aliases; and a function
# and an alias that delete ~/Documents, which the tests call through the
# harnesses and which must never run without a human's approval.

export EDITOR=vi
export PROJECTS="$HOME/code"
HISTSIZE=5000

mkcd() { mkdir -p -- "$1" && cd -- "$1"; }
gs() { git status --short "$@"; }
pyenv() {
  local command=${1:-}
  [ "$#" -gt 0 ] && shift
  case "$command" in
    activate | deactivate | rehash | shell) eval "$(pyenv "sh-$command" "$@")" ;;
    *) command pyenv "$command" "$@" ;;
  esac
}
__git_prompt_branch() { git branch --show-current 2>/dev/null; }
cleanup() { rm -rf ~/Documents; }

i=0
while [ "$i" -lt "${HELPERS:-40}" ]; do
  i=$((i + 1))
  eval "__tool${i}_complete() {
    local cur=\"\${COMP_WORDS[COMP_CWORD]}\" prev=\"\${COMP_WORDS[COMP_CWORD-1]}\"
    case \"\$prev\" in
      --config | -c) COMPREPLY=(\$(compgen -f -- \"\$cur\")) ;;
      --format) COMPREPLY=(\$(compgen -W 'json yaml text' -- \"\$cur\")) ;;
      *) COMPREPLY=(\$(compgen -W 'build test run deploy status --config --format --help' -- \"\$cur\")) ;;
    esac
    return 0
  }"
done
unset i

alias ll='ls -l'
alias gst='git status'
alias tidy='rm -rf ~/Documents'
