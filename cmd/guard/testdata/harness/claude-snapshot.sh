# Writes a Claude Code shell snapshot for bash, line for line in the format
# Claude Code's ShellSnapshot writes it: each function base64-encoded inside
# eval "$(echo '…' | base64 -d)", shopt -p, the set -o options that are on,
# aliases as "alias -- name=value", the rg fallback and PATH quoted as
# shell-quote quotes it. Usage: bash claude-snapshot.sh RC SNAPSHOT_FILE
SNAPSHOT_FILE=$2
source "$1" < /dev/null

echo "# Snapshot file" >| "$SNAPSHOT_FILE"
echo "# Unset all aliases to avoid conflicts with functions" >> "$SNAPSHOT_FILE"
echo "unalias -a 2>/dev/null || true" >> "$SNAPSHOT_FILE"

echo "# Functions" >> "$SNAPSHOT_FILE"
declare -f > /dev/null 2>&1
declare -F | cut -d' ' -f3 | grep -vE '^_[^_]' | while read func; do
  encoded_func=$(declare -f "$func" | base64 )
  echo "eval \"\$(echo '$encoded_func' | base64 -d)\" > /dev/null 2>&1" >> "$SNAPSHOT_FILE"
done

echo "# Shell Options" >> "$SNAPSHOT_FILE"
shopt -p | head -n 1000 >> "$SNAPSHOT_FILE"
# Claude Code greps "on" here, which also matched "onecmd off" in some
# versions (and broke every command); the options that are on are meant.
set -o | awk '$2 == "on" {print "set -o " $1}' | head -n 1000 >> "$SNAPSHOT_FILE"
echo "shopt -s expand_aliases" >> "$SNAPSHOT_FILE"

echo "# Aliases" >> "$SNAPSHOT_FILE"
alias | sed 's/^alias //g' | sed 's/^/alias -- /' | head -n 1000 >> "$SNAPSHOT_FILE"

echo "# Check for rg availability" >> "$SNAPSHOT_FILE"
echo "if ! (unalias rg 2>/dev/null; command -v rg) >/dev/null 2>&1; then" >> "$SNAPSHOT_FILE"
echo "  alias rg='/opt/claude-code/vendor/ripgrep/x64-linux/rg'" >> "$SNAPSHOT_FILE"
echo "fi" >> "$SNAPSHOT_FILE"

echo "export PATH=$(printf '%s' "$PATH" | sed -E 's/([:#!"$&()*,;<=>?@^`{|}])/\\\1/g')" >> "$SNAPSHOT_FILE"
