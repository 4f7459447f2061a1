package sandbox

import (
	"slices"
	"testing"

	"github.com/guard-dev/guard/env"
)

func TestWrapEnvironKeepsTheAgentsModelKey(t *testing.T) {
	environ := []string{
		"PATH=/usr/bin",
		"ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
		"OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789",
		"RAILWAY_TOKEN=rw_5f3c9a7b1d2e4f60a8b9c0d1e2f3a4b5",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	}
	filtered, _ := env.Filter(environ, env.Policy{})
	if slices.Contains(filtered, environ[1]) {
		t.Fatal("the default policy keeps ANTHROPIC_API_KEY: this test no longer shows anything")
	}
	got := wrapEnviron(environ, env.Policy{})
	for _, kv := range environ[:3] {
		if !slices.Contains(got, kv) {
			t.Errorf("%q was stripped from the wrapped agent", kv)
		}
	}
	for _, kv := range environ[3:] {
		if slices.Contains(got, kv) {
			t.Errorf("%q reached the wrapped agent", kv)
		}
	}
}
