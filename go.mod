module github.com/guard-dev/guard

go 1.26.8

require (
	github.com/agnivade/levenshtein v1.2.2 // indirect
	github.com/rogpeppe/go-internal v1.16.0 // indirect
	github.com/vektah/gqlparser/v2 v2.5.64
	mvdan.cc/sh/v3 v3.14.1 // indirect
)
