package rules

import "strings"

// find's -regex matches the whole path with an Emacs regular expression.
// The everyday one, ".*\.pyc", is the -path pattern "*.pyc": any path
// ending in a literal suffix. Only that shape is read; any other regex
// leaves find's selection unknown (the whole start path).

// fsFindRegexSuffix returns the -path pattern equal to re when re is ".*"
// followed by literal characters (with "\." for a dot) and an optional
// "$", and whether it is.
func fsFindRegexSuffix(re string) (string, bool) {
	rest, ok := strings.CutPrefix(re, ".*")
	if !ok {
		return "", false
	}
	rest = strings.TrimSuffix(rest, "$")
	var b strings.Builder
	b.WriteByte('*')
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '\\':
			if i+1 >= len(rest) || rest[i+1] != '.' {
				return "", false
			}
			b.WriteByte('.')
			i++
		case strings.IndexByte(".[]*+?(){}|^$/", c) >= 0:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	if b.Len() == 1 {
		return "", false // ".*" alone matches everything
	}
	return b.String(), true
}
