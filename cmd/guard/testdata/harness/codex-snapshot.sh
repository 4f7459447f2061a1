# Writes a Codex shell snapshot for bash in the format of Codex's
# bash_snapshot_script: the functions as declare -f prints them, the set -o
# options that are on, aliases as alias -p prints them and every exported
# variable but PWD and OLDPWD as declare -xp prints it.
# Usage: bash codex-snapshot.sh RC SNAPSHOT_FILE
source "$1" < /dev/null
{
  echo '# Snapshot file'
  echo '# Unset all aliases to avoid conflicts with functions'
  echo '# Functions'
  declare -f
  echo ''
  bash_opts=$(set -o | awk '$2=="on"{print $1}')
  echo "# setopts $(printf '%s\n' "$bash_opts" | sed '/^$/d' | wc -l | tr -d ' ')"
  if [ -n "$bash_opts" ]; then
    printf 'set -o %s\n' $bash_opts
  fi
  echo ''
  echo "# aliases $(alias -p | wc -l | tr -d ' ')"
  alias -p
  echo ''
  export_lines=$(
    while IFS= read -r name; do
      if [[ "$name" =~ ^(PWD|OLDPWD)$ ]]; then
        continue
      fi
      if [[ ! "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
        continue
      fi
      declare -xp "$name" 2>/dev/null || true
    done < <(compgen -e)
  )
  echo "# exports $(printf '%s\n' "$export_lines" | sed '/^$/d' | wc -l | tr -d ' ')"
  if [ -n "$export_lines" ]; then
    printf '%s\n' "$export_lines"
  fi
} > "$2"
