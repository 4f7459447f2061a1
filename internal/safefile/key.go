package safefile

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// KeyFile is the name of guard's signing key inside its state directory.
// The self pack denies commands that read it or write it.
const KeyFile = "state.key"

// keyLen is the key's length in bytes; the file holds it in hex.
const keyLen = 32

// Key returns the secret guard signs its state files with (approvals,
// cache entries): 32 random bytes in <stateDir>/state.key, created on first
// use. The key is written to a temporary file and then linked to its name,
// which fails when the name exists (as O_EXCL would), so two guard
// processes starting at once agree on one key and neither ever reads a
// half-written one. It is read through ReadFile's checks.
//
// The signature stops a file written by a shell command that does not know
// the key: an agent writing approvals/<id>.json by hand. It does not stop
// a program that reads the key first; the self pack denies reading it
// with commands guard can see.
func Key(stateDir string) ([]byte, error) {
	path := filepath.Join(stateDir, KeyFile)
	key, err := readKey(stateDir, path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := MkdirAll(stateDir, stateDir); err != nil {
		return nil, err
	}
	if err := createKey(stateDir, path); err != nil {
		return nil, err
	}
	return readKey(stateDir, path)
}

// readKey reads and decodes the key file.
func readKey(stateDir, path string) ([]byte, error) {
	data, err := ReadFile(stateDir, path, 2*keyLen+1)
	if err != nil {
		return nil, err
	}
	if len(data) == 2*keyLen+1 && data[2*keyLen] == '\n' {
		data = data[:2*keyLen]
	}
	key := make([]byte, keyLen)
	if n, err := hex.Decode(key, data); err != nil || n != keyLen {
		return nil, &UnsafeError{Path: path, Why: "is damaged (not 64 hexadecimal digits)"}
	}
	return key, nil
}

// createKey writes a new key to a temporary file and links it to path;
// when path appeared meanwhile, the other process's key stands.
func createKey(stateDir, path string) error {
	var raw [keyLen]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return fmt.Errorf("create the signing key: %w", err)
	}
	text := hex.EncodeToString(raw[:]) + "\n"
	f, err := os.CreateTemp(stateDir, ".tmp-key-")
	if err != nil {
		return fmt.Errorf("create the signing key in %s (check its permissions and free space): %w", stateDir, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, werr := f.WriteString(text)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("write the signing key %s: %w", tmp, werr)
	}
	if err := unix.Link(tmp, path); err != nil && err != unix.EEXIST {
		return fmt.Errorf("create the signing key %s: %w", path, err)
	}
	return nil
}

// Sign returns the hex HMAC-SHA256 under key of the fields, each
// length-prefixed so that no two lists of fields sign alike, after the
// domain (which keeps a signature of one kind of file from passing for
// another).
func Sign(key []byte, domain string, fields ...[]byte) string {
	m := hmac.New(sha256.New, key)
	var n [8]byte
	for _, f := range append([][]byte{[]byte(domain)}, fields...) {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		m.Write(n[:])
		m.Write(f)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is Sign(key, domain, fields...), in constant
// time.
func Verify(key []byte, sig, domain string, fields ...[]byte) bool {
	return hmac.Equal([]byte(sig), []byte(Sign(key, domain, fields...)))
}
