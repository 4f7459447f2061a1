package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"unicode/utf8"

	"github.com/guard-dev/guard/env"
)

// Commands longer than maxStoredCommand are not stored whole in the audit
// log or in approval requests: the first storedCommandHead bytes are kept,
// followed by the command's length and SHA-256, which identify it without
// copying megabytes into every record. The bound is well below the
// analysis's input limit (interceptor.Limits.MaxInput), so a command
// refused as too large to check is always stored cut.
const (
	maxStoredCommand  = 64 << 10
	storedCommandHead = 4 << 10
)

// StoredCommand returns command as guard writes it into its audit log and
// approval requests: secrets redacted (env.Redact), and when longer than
// 64 KiB, cut to its first 4 KiB plus "… (N bytes, sha256 X)", where N and
// X are of the command as given.
func StoredCommand(command string) string {
	shown := env.Redact(command)
	if len(shown) <= maxStoredCommand {
		return shown
	}
	return clipCommand(shown, len(command), CommandHash(command))
}

// clipCommand keeps the first storedCommandHead bytes of shown (cut at a
// character boundary) and appends the length and hash.
func clipCommand(shown string, n int, hash string) string {
	i := storedCommandHead
	for i > 0 && !utf8.RuneStart(shown[i]) {
		i--
	}
	return fmt.Sprintf("%s… (%d bytes, sha256 %s)", shown[:i], n, hash)
}

// CommandHash is the hex SHA-256 of command: what an approval is bound to.
func CommandHash(command string) string {
	sum := sha256.Sum256([]byte(command))
	return hex.EncodeToString(sum[:])
}
