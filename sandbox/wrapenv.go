package sandbox

import (
	"strings"

	"github.com/guard-dev/guard/env"
)

// agentCredentials are the variables coding agents read their model's
// credentials and endpoint from. guard wrap keeps them in the agent's
// environment when the policy would strip them: an agent without its
// model's key cannot start ("Not logged in"), and the key reaches no
// production system. The agent's tools inherit them, as they could read
// the agent's own config files anyway; every other secret is stripped.
var agentCredentials = map[string]bool{
	"ANTHROPIC_API_KEY": true, "ANTHROPIC_AUTH_TOKEN": true, "CLAUDE_CODE_OAUTH_TOKEN": true,
	"OPENAI_API_KEY": true, "CODEX_API_KEY": true, "AZURE_OPENAI_API_KEY": true,
	"GEMINI_API_KEY": true, "GOOGLE_API_KEY": true, "GOOGLE_GENAI_API_KEY": true,
	"OPENROUTER_API_KEY": true, "MISTRAL_API_KEY": true, "DEEPSEEK_API_KEY": true,
	"GROQ_API_KEY": true, "XAI_API_KEY": true, "CURSOR_API_KEY": true,
}

// wrapEnviron is the environment guard wrap starts an agent with: environ
// less the secrets policy p strips, except the agent's own model
// credentials (agentCredentials).
func wrapEnviron(environ []string, p env.Policy) []string {
	kept, removed := env.Filter(environ, p)
	back := map[string]bool{}
	for _, r := range removed {
		if agentCredentials[r.Name] {
			back[r.Name] = true
		}
	}
	if len(back) == 0 {
		return kept
	}
	for _, kv := range environ {
		if name, _, ok := strings.Cut(kv, "="); ok && back[name] {
			kept = append(kept, kv)
		}
	}
	return kept
}
