# Prints the shell state Cursor's agent terminal passes on descriptor 3: the
# output of its dump_bash_state without the start and end markers and the
# working directory line, that is sections "cursor_snap_NAME=$(command base64
# -d <<CURSOR_SNAP_EOF_NAME … )" each followed by eval "$cursor_snap_NAME",
# for the exported variables, the set -o and shopt options, the functions
# and the aliases. dump_bash_state here is a short one of the same output;
# it is itself among the functions, as Cursor's is. EXTRA is code run after
# the rc file: what an earlier command of the agent defined.
# Usage: bash cursor-state.sh RC
dump_bash_state() {
  local name content
  printf '%s\n' __CURSOR_BASH_STATE_START__ "$PWD"
  for name in ENV_VARS POSIX_OPTS BASH_OPTS FUNCTIONS ALIASES; do
    case $name in
      ENV_VARS) content=$(builtin export -p 2>/dev/null | command grep -viE '_proxy=|CURSOR_SANDBOX' || true) ;;
      POSIX_OPTS) content=$(builtin shopt -po 2>/dev/null | command grep -vE '^set [-+]o (errexit|nounset|pipefail)$' || true) ;;
      BASH_OPTS) content=$(builtin shopt -p 2>/dev/null || true) ;;
      FUNCTIONS) content=$(builtin declare -f 2>/dev/null || true) ;;
      ALIASES) content=$(builtin alias -p 2>/dev/null || true) ;;
    esac
    if [[ -n "$content" ]]; then
      builtin printf 'cursor_snap_%s_B64=$(command base64 -d <<CURSOR_SNAP_EOF_%s_B64\n' "$name" "$name"
      command base64 <<<"$content" | command tr -d '\n'
      builtin printf '\nCURSOR_SNAP_EOF_%s_B64\n)\neval "$cursor_snap_%s_B64"\n' "$name" "$name"
    fi
  done
  printf '%s\n' '# end of bash state dump' __CURSOR_BASH_STATE_END__
}
source "$1" < /dev/null
eval "${EXTRA:-}"
dump_bash_state | sed -e '1,2d' -e '$d'
