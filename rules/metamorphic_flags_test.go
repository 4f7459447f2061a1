package rules

import (
	"path/filepath"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// flagSpec describes the options of one command, for respelling them.
type flagSpec struct {
	// words are the command and the subcommand words that select it
	// ("git push").
	words string
	// short maps each boolean single-letter option to its long spelling,
	// "" when it has none. A long spelling may be two options: git branch
	// -D is --delete --force.
	short map[byte]string
	// valued maps each single-letter option that takes a value to its long
	// spelling, "" when it has none.
	valued map[byte]string
	// dashes reports that single-dash long options may take two dashes, as
	// with Go's flag package (terraform -auto-approve).
	dashes bool
	// separate reports that a value never joins its letter: node takes
	// "-e CODE" but rejects "-eCODE".
	separate bool
}

// flagSpecs are the commands of the corpus whose options have other
// spellings.
var flagSpecs = []flagSpec{
	{words: "rm", short: map[byte]string{'r': "--recursive", 'R': "--recursive", 'f': "--force", 'd': "--dir", 'v': "--verbose"}},
	{words: "git push", short: map[byte]string{'f': "--force", 'd': "--delete", 'u': "--set-upstream", 'n': "--dry-run", 'q': "--quiet", 'v': "--verbose"}},
	{words: "git clean", short: map[byte]string{'f': "--force", 'd': "", 'x': "", 'X': "", 'n': "--dry-run", 'q': "--quiet"}},
	{words: "git branch", short: map[byte]string{'D': "--delete --force", 'd': "--delete", 'f': "--force", 'r': "--remotes", 'a': "--all"}},
	{words: "git reset", short: map[byte]string{'q': "--quiet"}},
	{words: "git checkout", short: map[byte]string{'f': "--force", 'q': "--quiet"}},
	{words: "git stash drop", short: map[byte]string{'q': "--quiet"}},
	{words: "git gc", short: map[byte]string{'q': "--quiet"}},
	{words: "chmod", short: map[byte]string{'R': "--recursive", 'v': "--verbose", 'f': "--silent", 'c': "--changes"}},
	{words: "chown", short: map[byte]string{'R': "--recursive", 'v': "--verbose", 'f': "--silent", 'c': "--changes", 'h': "--no-dereference"}},
	{words: "shred", short: map[byte]string{'u': "--remove", 'f': "--force", 'z': "--zero", 'v': "--verbose"}, valued: map[byte]string{'n': "--iterations", 's': "--size"}},
	{words: "wipefs", short: map[byte]string{'a': "--all", 'f': "--force", 'n': "--no-act", 'q': "--quiet"}, valued: map[byte]string{'t': "--types", 'o': "--offset"}},
	{words: "truncate", short: map[byte]string{'c': "--no-create", 'o': "--io-blocks"}, valued: map[byte]string{'s': "--size", 'r': "--reference"}},
	{words: "mv", short: map[byte]string{'f': "--force", 'i': "--interactive", 'n': "--no-clobber", 'v': "--verbose", 'T': "--no-target-directory"}, valued: map[byte]string{'t': "--target-directory", 'S': "--suffix"}},
	{words: "curl", short: map[byte]string{'s': "--silent", 'S': "--show-error", 'L': "--location", 'k': "--insecure", 'f': "--fail", 'i': "--include", 'v': "--verbose", 'I': "--head"},
		valued: map[byte]string{'X': "--request", 'H': "--header", 'd': "--data", 'o': "--output", 'u': "--user", 'A': "--user-agent", 'F': "--form", 'T': "--upload-file"}},
	{words: "wget", short: map[byte]string{'q': "--quiet", 'v': "--verbose"}, valued: map[byte]string{'O': "--output-document"}},
	{words: "gh api", valued: map[byte]string{'X': "--method", 'H': "--header", 'f': "--raw-field", 'F': "--field"}},
	{words: "railway delete", short: map[byte]string{'y': "--yes"}},
	{words: "fly apps destroy", short: map[byte]string{'y': "--yes"}},
	{words: "fly volumes destroy", short: map[byte]string{'y': "--yes"}},
	{words: "vercel rm", short: map[byte]string{'y': "--yes"}},
	{words: "heroku pg:reset", valued: map[byte]string{'a': "--app"}, separate: true},
	{words: "heroku addons:destroy", valued: map[byte]string{'a': "--app"}, separate: true},
	{words: "gcloud", short: map[byte]string{'q': "--quiet"}},
	{words: "az", short: map[byte]string{'y': "--yes"}, valued: map[byte]string{'n': "--name", 'g': "--resource-group", 's': "--server"}},
	{words: "doctl", short: map[byte]string{'f': "--force"}},
	{words: "terraform", dashes: true},
	{words: "tofu", dashes: true},
	{words: "pulumi destroy", short: map[byte]string{'y': "--yes", 'f': "--force"}, valued: map[byte]string{'s': "--stack"}},
	{words: "pulumi stack rm", short: map[byte]string{'y': "--yes", 'f': "--force"}, valued: map[byte]string{'s': "--stack"}},
	{words: "cdk destroy", short: map[byte]string{'f': "--force"}},
	{words: "kubectl delete", short: map[byte]string{'A': "--all-namespaces"}, valued: map[byte]string{'n': "--namespace", 'l': "--selector"}},
	{words: "docker volume prune", short: map[byte]string{'f': "--force", 'a': "--all"}},
	{words: "docker system prune", short: map[byte]string{'f': "--force", 'a': "--all"}},
	{words: "docker compose down", short: map[byte]string{'v': "--volumes"}},
	{words: "docker exec", short: map[byte]string{'i': "--interactive", 't': "--tty", 'd': "--detach"}, valued: map[byte]string{'u': "--user", 'w': "--workdir", 'e': "--env"}},
	{words: "psql", valued: map[byte]string{'c': "--command", 'h': "--host", 'U': "--username", 'd': "--dbname", 'v': "--set", 'p': "--port", 'f': "--file"}},
	{words: "mysql", short: map[byte]string{'p': "--password"}, valued: map[byte]string{'u': "--user", 'e': "--execute", 'h': "--host", 'D': "--database"}},
	{words: "sudo", short: map[byte]string{'E': "--preserve-env", 'H': "--set-home", 'n': "--non-interactive"}, valued: map[byte]string{'u': "--user", 'g': "--group"}},
	{words: "env", short: map[byte]string{'i': "--ignore-environment"}, valued: map[byte]string{'u': "--unset", 'C': "--chdir"}},
	{words: "ionice", valued: map[byte]string{'c': "--class", 'n': "--classdata"}},
	{words: "node", valued: map[byte]string{'e': "--eval", 'p': "--print"}, separate: true},
}

// Kinds of flag tokens.
const (
	tokOther  = iota // an operand or an option without another spelling
	tokShort         // a cluster of single-letter options, maybe ending in a valued one
	tokLong          // --name, --name value or --name=value
	tokDashed        // a single-dash long option (-auto-approve)
)

// flagTok is one option (with its value) or operand of a command.
type flagTok struct {
	kind int
	// text is the source of an operand or of a dashed option.
	text string
	// letters are the boolean letters of a short cluster, in order.
	letters string
	// valued is the letter taking a value that ends a cluster, or 0.
	valued byte
	// long is the name of a long option ("--request").
	long string
	// value is the source of the option's value, hasValue whether there is
	// one; attached whether it was written in the same word.
	value    string
	hasValue bool
	attached bool
}

// longToShort returns the reverse of spec's maps: a one-word long spelling
// to its letter (the first in order), and whether the letter takes a
// value.
func (spec flagSpec) longToShort() map[string]byte {
	out := map[string]byte{}
	var letters []byte
	for c := range spec.short {
		letters = append(letters, c)
	}
	for c := range spec.valued {
		letters = append(letters, c)
	}
	sort.Slice(letters, func(i, j int) bool { return letters[i] > letters[j] })
	for _, c := range letters {
		long := spec.short[c]
		if v, ok := spec.valued[c]; ok {
			long = v
		}
		if long != "" && !strings.Contains(long, " ") {
			out[long] = c
		}
	}
	return out
}

// tokens parses the words of a command's options and operands.
func (spec flagSpec) tokens(src string, words []*syntax.Word) []flagTok {
	text := func(w *syntax.Word) string { return src[off(w.Pos()):off(w.End())] }
	longs := spec.longToShort()
	var out []flagTok
	for i := 0; i < len(words); i++ {
		v, plain := plainWord(words[i])
		other := flagTok{kind: tokOther, text: text(words[i])}
		switch {
		case !plain || len(v) < 2 || v[0] != '-':
			out = append(out, other)
		case strings.HasPrefix(v, "--") && len(v) > 2:
			name, val, eq := strings.Cut(v, "=")
			tok := flagTok{kind: tokLong, long: name, value: val, hasValue: eq, attached: eq}
			if c, ok := longs[name]; ok && !eq && spec.valued[c] != "" && i+1 < len(words) {
				i++
				tok.value, tok.hasValue = text(words[i]), true
			}
			out = append(out, tok)
		default:
			tok, ok := spec.cluster(v[1:])
			switch {
			case ok && tok.valued != 0 && !tok.hasValue:
				if i+1 >= len(words) {
					out = append(out, other)
					continue
				}
				i++
				tok.value, tok.hasValue = text(words[i]), true
				out = append(out, tok)
			case ok:
				out = append(out, tok)
			case spec.dashes && len(v) > 2:
				out = append(out, flagTok{kind: tokDashed, text: v})
			default:
				out = append(out, other)
			}
		}
	}
	return out
}

// cluster parses the letters of a short option word ("rf", "XDELETE").
func (spec flagSpec) cluster(s string) (flagTok, bool) {
	tok := flagTok{kind: tokShort}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if _, ok := spec.short[c]; ok {
			tok.letters += string(c)
			continue
		}
		if _, ok := spec.valued[c]; ok {
			tok.valued = c
			if i+1 < len(s) {
				tok.value, tok.hasValue, tok.attached = s[i+1:], true, true
			}
			return tok, true
		}
		return flagTok{}, false
	}
	return tok, tok.letters != ""
}

// flagVariant is one way of respelling a command's options. render
// returns the new words, or false when the variant changes nothing.
type flagVariant struct {
	name   string
	render func(spec flagSpec, toks []flagTok) ([]string, bool)
}

// shortWord renders a cluster of boolean letters and an optional valued
// letter with its value, attached or not.
func shortWord(letters string, valued byte, value string, attached bool) []string {
	s := "-" + letters
	if valued == 0 {
		return []string{s}
	}
	s += string(valued)
	if attached {
		return []string{s + value}
	}
	return []string{s, value}
}

// renderTok renders a token as written.
func renderTok(t flagTok) []string {
	switch t.kind {
	case tokShort:
		return shortWord(t.letters, t.valued, t.value, t.attached)
	case tokLong:
		switch {
		case !t.hasValue:
			return []string{t.long}
		case t.attached:
			return []string{t.long + "=" + t.value}
		}
		return []string{t.long, t.value}
	}
	return []string{t.text}
}

// eachTok renders every token with f, which returns nil to keep a token as
// written; it reports whether any token changed.
func eachTok(toks []flagTok, f func(t flagTok) []string) ([]string, bool) {
	var out []string
	changed := false
	for _, t := range toks {
		if r := f(t); r != nil {
			out = append(out, r...)
			changed = true
			continue
		}
		out = append(out, renderTok(t)...)
	}
	return out, changed
}

// flagVariants are the respellings of options: split, merged, reordered,
// long, short, attached and double-dash forms.
var flagVariants = []flagVariant{
	{"split", func(_ flagSpec, toks []flagTok) ([]string, bool) {
		return eachTok(toks, func(t flagTok) []string {
			if t.kind != tokShort || len(t.letters)+min(int(t.valued), 1) < 2 {
				return nil
			}
			var out []string
			for i := 0; i < len(t.letters); i++ {
				out = append(out, "-"+t.letters[i:i+1])
			}
			if t.valued == 0 {
				return out
			}
			return append(out, shortWord("", t.valued, t.value, t.attached)...)
		})
	}},
	{"merged", func(_ flagSpec, toks []flagTok) ([]string, bool) {
		var letters string
		n := 0
		for _, t := range toks {
			if t.kind == tokShort && t.valued == 0 {
				letters += t.letters
				n++
			}
		}
		if n < 2 {
			return nil, false
		}
		first := true
		return eachTok(toks, func(t flagTok) []string {
			if t.kind != tokShort || t.valued != 0 {
				return nil
			}
			if first {
				first = false
				return []string{"-" + letters}
			}
			return []string{}
		})
	}},
	{"reordered", func(_ flagSpec, toks []flagTok) ([]string, bool) {
		return eachTok(toks, func(t flagTok) []string {
			if t.kind != tokShort || len(t.letters) < 2 {
				return nil
			}
			r := []byte(t.letters)
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return shortWord(string(r), t.valued, t.value, t.attached)
		})
	}},
	{"long", func(spec flagSpec, toks []flagTok) ([]string, bool) { return toLong(spec, toks, false) }},
	{"long=value", func(spec flagSpec, toks []flagTok) ([]string, bool) { return toLong(spec, toks, true) }},
	{"short", func(spec flagSpec, toks []flagTok) ([]string, bool) {
		longs := spec.longToShort()
		return eachTok(toks, func(t flagTok) []string {
			c, ok := longs[t.long]
			if t.kind != tokLong || !ok {
				return nil
			}
			if _, valued := spec.valued[c]; valued != t.hasValue {
				return nil
			}
			if t.hasValue {
				return shortWord("", c, t.value, false)
			}
			return []string{"-" + string(c)}
		})
	}},
	{"attached", func(spec flagSpec, toks []flagTok) ([]string, bool) {
		return eachTok(toks, func(t flagTok) []string {
			if t.kind != tokShort || t.valued == 0 || t.attached || spec.separate {
				return nil
			}
			return shortWord(t.letters, t.valued, t.value, true)
		})
	}},
	{"double-dash", func(_ flagSpec, toks []flagTok) ([]string, bool) {
		return eachTok(toks, func(t flagTok) []string {
			if t.kind != tokDashed {
				return nil
			}
			return []string{"-" + t.text}
		})
	}},
}

// toLong spells every short option that has a long form in it long; the
// letters without one stay a cluster. With eq, values are written
// --name=value and only options with a value change.
func toLong(spec flagSpec, toks []flagTok, eq bool) ([]string, bool) {
	longs := spec.longToShort()
	return eachTok(toks, func(t flagTok) []string {
		if t.kind == tokLong {
			c, ok := longs[t.long]
			if !ok || !t.hasValue || spec.valued[c] == "" || t.attached == eq {
				return nil
			}
			if eq {
				return []string{t.long + "=" + t.value}
			}
			return []string{t.long, t.value}
		}
		if t.kind != tokShort {
			return nil
		}
		keep, changed := "", false
		var out []string
		for i := 0; i < len(t.letters); i++ {
			c := t.letters[i]
			if l := spec.short[c]; l != "" && !eq {
				out = append(out, strings.Fields(l)...)
				changed = true
				continue
			}
			keep += string(c)
		}
		if keep != "" {
			out = append([]string{"-" + keep}, out...)
		}
		if t.valued != 0 {
			switch l := spec.valued[t.valued]; {
			case l == "":
				out = append(out, shortWord("", t.valued, t.value, t.attached)...)
			case eq:
				out = append(out, l+"="+t.value)
				changed = true
			default:
				out = append(out, l, t.value)
				changed = true
			}
		}
		if !changed {
			return nil
		}
		return out
	})
}

// flagRewrites respells the options of every command of the line that has
// a flag table, with one variant.
func (s *shape) flagRewrites(fv flagVariant) ([]string, string) {
	var redirs []int
	syntax.Walk(s.file, func(n syntax.Node) bool {
		if r, ok := n.(*syntax.Redirect); ok {
			redirs = append(redirs, off(r.Pos()))
		}
		return true
	})
	known := false
	var out []string
	for _, site := range s.nameSites() {
		args := site.call.Args
		for _, spec := range flagSpecs {
			words := strings.Fields(spec.words)
			if site.index+len(words) > len(args) || filepath.Base(site.value) != words[0] {
				continue
			}
			match := true
			for k, w := range words[1:] {
				if v, ok := staticWord(args[site.index+1+k]); !ok || v != w {
					match = false
				}
			}
			if !match {
				continue
			}
			from, to := site.index+len(words), len(args)
			if next := commandIndex(args, site.index); next >= 0 {
				to = next
			}
			for k := from; k < to; k++ {
				if v, _ := staticWord(args[k]); v == "--" {
					to = k
				}
			}
			if from >= to {
				continue
			}
			known = true
			start, end := off(args[from].Pos()), off(args[to-1].End())
			inside := false
			for _, r := range redirs {
				inside = inside || (r > start && r < end)
			}
			if inside {
				continue
			}
			repl, changed := fv.render(spec, spec.tokens(s.src, args[from:to]))
			if !changed {
				continue
			}
			if t := splice(s.src, start, end, strings.Join(repl, " ")); t != s.src {
				out = append(out, t)
			}
		}
	}
	switch {
	case !known:
		return nil, "no flag table for its commands"
	case len(out) == 0:
		return nil, "no option this respelling changes"
	}
	return out, ""
}
