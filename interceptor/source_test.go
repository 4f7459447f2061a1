package interceptor

import (
	"reflect"
	"strings"
	"testing"
)

func TestScriptFiles(t *testing.T) {
	big := func(ctx *Context) {
		fs := ctx.FS.(MapFS)
		fs[tCwd+"/big.sh"] = strings.Repeat("# filler\n", 1<<17) + "rm -rf ~\n"
	}
	fd3 := func(ctx *Context) { ctx.Fds = map[int]string{3: "rm -rf ~/x\n"} }
	cases := []struct {
		src  string
		edit func(*Context)
		want []string
	}{
		{`source setup.sh`, nil, []string{"source setup.sh", "rm -rf /home/u/cache"}},
		{`bash setup.sh`, nil, []string{"bash setup.sh", "rm -rf /home/u/cache"}},
		// A file that does not exist runs nothing.
		{`source missing.sh`, nil, []string{"source missing.sh"}},
		{`bash missing.sh`, nil, []string{"bash missing.sh"}},
		// One that exists but is not read whole is unknown, never nothing.
		{`source big.sh`, big, []string{"source big.sh", "?"}},
		{`. big.sh`, big, []string{". big.sh", "?"}},
		{`bash big.sh`, big, []string{"bash big.sh", "?"}},
		{`cd "$UNSET_DIR" && source setup.sh`, nil, []string{"cd …", "source setup.sh", "?"}},
		{`ssh h bash deploy.sh`, nil, []string{"ssh h bash deploy.sh", "bash deploy.sh", "?"}},
		// Descriptors: what guard read, else unknown; never the descriptor.
		{`source /dev/fd/3`, fd3, []string{"source /dev/fd/3", "rm -rf /home/u/x"}},
		{`source /proc/self/fd/3`, fd3, []string{"source /proc/self/fd/3", "rm -rf /home/u/x"}},
		{`source /dev/fd/3`, nil, []string{"source /dev/fd/3", "?"}},
		{`source /dev/stdin`, nil, []string{"source /dev/stdin", "?"}},
		{`bash < /dev/stdin`, nil, []string{"bash", "?"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, c.edit)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestInputFds(t *testing.T) {
	cases := []struct {
		src  string
		want []int
	}{
		{`snap=$(command cat <&3) && eval "$snap"; dump >&4`, []int{3}},
		{`cat 0<& 5; source /dev/fd/7; cat /proc/self/fd/9; cat <&3`, []int{5, 3, 7, 9}},
		{`cat <&0; cat <&2; echo >&3; cat /dev/fd/1`, nil},
		{`echo hi`, nil},
	}
	for _, c := range cases {
		if got := InputFds(c.src); !reflect.DeepEqual(got, c.want) {
			t.Errorf("InputFds(%q) = %v, want %v", c.src, got, c.want)
		}
	}
}
