#!/usr/bin/env bash
# Builds guard from source with Go and installs it into $PREFIX/bin
# (default ~/.local/bin). Running it again replaces the binary in place.
set -euo pipefail

cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
	echo "install.sh: Go is needed to build guard; install it from your package manager or go.dev, then run ./install.sh again" >&2
	exit 1
fi

prefix="${PREFIX:-$HOME/.local}"
bindir="$prefix/bin"
mkdir -p "$bindir"

version="$(git describe --always --dirty 2>/dev/null || echo dev)"
tmp="$(mktemp "$bindir/.guard.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
# Static (no cgo): a dynamically linked binary spends about a millisecond
# in the dynamic loader on every command.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$tmp" ./cmd/guard
chmod 755 "$tmp"
# Rename over the old binary so a running guard is never left half-written.
mv -f "$tmp" "$bindir/guard"
trap - EXIT

# guard wrap's HTTP(S) gateway, next to guard (guard finds it there). A
# binary of its own: guard starts on every command and must not link
# net/http and crypto/tls.
tmp="$(mktemp "$bindir/.guard-gateway.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp" ./cmd/guard-gateway
chmod 755 "$tmp"
mv -f "$tmp" "$bindir/guard-gateway"
trap - EXIT

echo "installed guard $version to $bindir/guard (and guard-gateway beside it)"

# A commented default config, only when there is none: the user's own
# choices are never overwritten.
config_dir="${XDG_CONFIG_HOME:-$HOME/.config}/guard"
if [ ! -e "$config_dir/guard.toml" ]; then
	mkdir -p "$config_dir"
	"$bindir/guard" config --default >"$config_dir/guard.toml.tmp"
	mv "$config_dir/guard.toml.tmp" "$config_dir/guard.toml"
	echo "wrote the default config to $config_dir/guard.toml (every setting commented out)"
fi
case ":$PATH:" in
*":$bindir:"*) ;;
*)
	echo
	echo "$bindir is not on your PATH. Add this line to ~/.bashrc or ~/.zshrc:"
	echo "  export PATH=\"$bindir:\$PATH\""
	echo "and open a new terminal (or run it now) to use guard."
	;;
esac
echo
echo "Next, wire your agents: guard install claude (or codex, gemini, cursor, windsurf, cline)"
echo "for their hooks, and guard install shell to run their commands through guard as"
echo "their shell; README.md says how, agent by agent. guard doctor checks the wiring."
