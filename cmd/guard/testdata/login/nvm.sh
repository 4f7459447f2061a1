# A stand-in for nvm's nvm.sh, in its shape: sourced from the profile, it
# defines the nvm function and its helpers, works out its directory and the
# default version, and puts that version's bin directory on PATH when one
# is installed. Written for the tests, not copied from nvm.

nvm_is_zsh() { [ -n "${ZSH_VERSION-}" ]; }

nvm_echo() { command printf %s\\n "$*" 2>/dev/null; }

nvm_default_install_dir() {
  [ -z "${XDG_CONFIG_HOME-}" ] && printf %s "${HOME}/.nvm" || printf %s "${XDG_CONFIG_HOME}/nvm"
}

nvm_version_dir() { nvm_echo "${NVM_DIR}/versions/node"; }

nvm_ls_current() {
  local node_path
  node_path="$(command -v node 2>/dev/null)"
  case "$node_path" in
    "$(nvm_version_dir)"/*) nvm_echo "${node_path#"$(nvm_version_dir)/"}" | command sed 's#/bin/node$##' ;;
    *) nvm_echo none ;;
  esac
}

nvm_alias() {
  local alias_file="${NVM_DIR}/alias/${1-}"
  [ -f "$alias_file" ] && command cat "$alias_file"
}

nvm() {
  local command="${1-}"
  [ "$#" -gt 0 ] && shift
  case "$command" in
    current) nvm_ls_current ;;
    alias) nvm_alias "$@" ;;
    use)
      local dir
      dir="$(nvm_version_dir)/${1-}"
      [ -d "$dir/bin" ] && PATH="$dir/bin:$PATH" && export PATH
      ;;
    unload) unset -f nvm nvm_echo nvm_alias nvm_ls_current nvm_version_dir ;;
    *) nvm_echo "nvm: unknown command ${command}" >&2; return 127 ;;
  esac
}

if [ -z "${NVM_DIR-}" ]; then
  NVM_DIR="$(nvm_default_install_dir)"
fi
export NVM_DIR

NVM_DEFAULT="$(nvm_alias default 2>/dev/null || true)"
if [ -n "$NVM_DEFAULT" ] && [ -d "$(nvm_version_dir)/$NVM_DEFAULT/bin" ]; then
  nvm use "$NVM_DEFAULT" >/dev/null
fi
unset NVM_DEFAULT
