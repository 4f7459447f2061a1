package sandbox

import (
	"reflect"
	"testing"
)

func TestParseBashArgs(t *testing.T) {
	cases := []struct {
		args []string
		want BashArgs
	}{
		{[]string{"-c", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"-c", "ls", "name", "a", "b"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{"name", "a", "b"}}},
		{[]string{"-c", "-l", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"-lc", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"-ic", "ls"}, BashArgs{Command: "ls", HasCommand: true, Interactive: true, Operands: []string{}}},
		{[]string{"-il"}, BashArgs{Interactive: true, Stdin: true, Operands: []string{}}},
		{[]string{"-O", "extglob", "-c", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"+O", "extglob", "-o", "pipefail", "+o", "history", "-c", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"-e", "-x", "-u", "-c", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"--login", "--norc", "--noprofile", "-c", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"--rcfile", "/x", "-c", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"--init-file", "/x", "-c", "ls"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{}}},
		{[]string{"-c", "--", "ls", "n"}, BashArgs{Command: "ls", HasCommand: true, Operands: []string{"n"}}},
		{[]string{"--", "script.sh", "a"}, BashArgs{Operands: []string{"script.sh", "a"}}},
		{[]string{"script.sh", "a"}, BashArgs{Operands: []string{"script.sh", "a"}}},
		{[]string{"-s", "a", "b"}, BashArgs{Stdin: true, Operands: []string{"a", "b"}}},
		{[]string{}, BashArgs{Stdin: true, Operands: []string{}}},
		{[]string{"--version"}, BashArgs{Version: true, Stdin: true, Operands: []string{}}},
	}
	for _, c := range cases {
		got, err := ParseBashArgs(c.args)
		if err != nil {
			t.Errorf("%q: %v", c.args, err)
			continue
		}
		got.Seen = nil // the options in order: shellStartup's tests
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %+v\n want %+v", c.args, got, c.want)
		}
	}
	for _, bad := range [][]string{{"-c"}, {"--rcfile"}, {"--bogus", "-c", "ls"}} {
		if _, err := ParseBashArgs(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
