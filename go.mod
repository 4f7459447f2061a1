module github.com/guard-dev/guard

go 1.26.8

require (
	github.com/rogpeppe/go-internal v1.16.0 // indirect
	mvdan.cc/sh/v3 v3.14.1 // indirect
)
