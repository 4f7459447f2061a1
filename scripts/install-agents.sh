#!/usr/bin/env bash
# Installs the real agent CLIs that the end-to-end tests drive
# (integration/realagents_test.go, run with GUARD_REAL_AGENTS=1) from the
# npm registry into a cache directory, pinned, and prints that directory.
# Installing again with the same versions does nothing.
#
#   scripts/install-agents.sh            # into ~/.cache/guard-agents
#   GUARD_AGENTS_DIR=/some/dir scripts/install-agents.sh
#
# Then: GUARD_REAL_AGENTS=1 GUARD_AGENTS_DIR=DIR go test ./cmd/guard -run TestRealAgents
set -euo pipefail

# The versions the tests were verified with. Change them together with the
# README's agent section.
packages=(
	@anthropic-ai/claude-code@2.1.332
	@openai/codex@0.169.1
	@google/gemini-cli@0.61.0
)

dir="${GUARD_AGENTS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/guard-agents}"
mkdir -p "$dir"
stamp="$dir/.installed"
want="$(printf '%s\n' "${packages[@]}")"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	[ -x "$dir/node_modules/.bin/claude" ] && [ -x "$dir/node_modules/.bin/codex" ] && [ -x "$dir/node_modules/.bin/gemini" ]; then
	echo "$dir"
	exit 0
fi
# --ignore-scripts: no install script of a dependency runs (some would try
# to download prebuilt binaries from outside the registry). The one the
# tests need is Claude Code's own postinstall, which only copies its
# native binary out of the platform package npm installed beside it.
npm install --prefix "$dir" --no-audit --no-fund --ignore-scripts --loglevel=error "${packages[@]}" >&2
(cd "$dir/node_modules/@anthropic-ai/claude-code" && node install.cjs) >&2
printf '%s\n' "$want" >"$stamp"
echo "$dir"
