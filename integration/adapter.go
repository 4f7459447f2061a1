package integration

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// An adapter is everything guard knows about one agent, in one value: the
// hook protocol, where the user-wide hook goes, the agent's own checks for
// guard doctor and how to point the agent at guard's shell. Each agent's
// adapter is written in its own file (claude.go, codex.go, gemini.go,
// cursor.go, windsurf.go, cline.go, openhands.go); adapters lists them.
// The machinery they share is elsewhere: the hook runner (hook.go), JSON
// editing (jsonedit.go), settings files (settingsfile.go, install.go) and
// the doctor's report (doctor.go).
type adapter struct {
	name    string
	aliases []string

	// hook is the agent's hook protocol.
	hook protocol
	// asksHuman: the protocol's confirm asks the human in the agent's own
	// approval prompt (see AsksHuman).
	asksHuman bool
	// probe is the pre-execution event the agent sends for command run
	// in cwd, which doctor feeds to the installed hook (see probeHook).
	probe func(command, cwd string) any

	// install says where guard's user-wide hook goes for the user whose
	// home is home. nil means the agent reads hooks only from each
	// repository (project-only), and project says how to hook guard in
	// there.
	install func(home string, getenv func(string) string) *target
	// project is, for a project-only agent, where its hooks live and
	// what guard's entry there looks like.
	project *projectHooks
	// installed runs after guard's hook was added to the settings file
	// (Codex: record that the user trusts it); nil does nothing.
	installed func(t *target, opts InstallOptions, stdout io.Writer) error

	// Doctor's checks of the settings file (data) that holds guard's
	// hook, each nil when the agent has none. trust says why the agent
	// will not run a hook that is in place, and how to fix it ("" when it
	// will); hooksOff says how to turn the agent's hooks back on when its
	// settings turn them off ("" when they are on); notes are remarks
	// that are no problem of guard's wiring.
	trust    func(t *target, data []byte, binary string) (problem, fix string)
	hooksOff func(t *target, data []byte) string
	notes    func(t *target, data []byte, binary string) []string

	// shell is how to start the agent with guard as its shell, in the
	// words "guard install shell" prints: dir holds guard's link named
	// bash, guardBash is the link for CLAUDE_CODE_SHELL (both written
	// with $HOME). nil: the agent is not listed there.
	shell func(dir, guardBash string) string
}

// adapters returns every agent guard connects to, in the order "guard
// install" lists them.
func adapters() []*adapter {
	return []*adapter{
		claudeAdapter(),
		codexAdapter(),
		geminiAdapter(),
		cursorAdapter(),
		windsurfAdapter(),
		clineAdapter(),
		openhandsAdapter(),
	}
}

// adapterFor finds an agent by name or alias.
func adapterFor(name string) (*adapter, bool) {
	for _, a := range adapters() {
		if a.name == name {
			return a, true
		}
		for _, alias := range a.aliases {
			if alias == name {
				return a, true
			}
		}
	}
	return nil, false
}

// Agents lists the agents Hook speaks to, sorted.
func Agents() []string {
	var names []string
	for _, a := range adapters() {
		names = append(names, a.name)
	}
	sort.Strings(names)
	return names
}

// InstallAgents lists the agents that "guard install" can configure: those
// with a user-wide hook.
func InstallAgents() []string {
	var names []string
	for _, a := range adapters() {
		if a.install != nil {
			names = append(names, a.name)
		}
	}
	return names
}

// AsksHuman reports whether guard's answer to agent's hook, for a command
// that needs a human, asks the human in the agent's own approval prompt
// (Claude Code, Gemini CLI and Cursor can; the others refuse with a
// message): only then can a yes follow that guard's shell should honour.
func AsksHuman(agent string) bool {
	a, ok := adapterFor(agent)
	return ok && a.asksHuman
}

// unknownAgent is the error for an agent name no adapter has.
func unknownAgent(name string) error {
	return fmt.Errorf("unknown agent %q (known: %s)", name, strings.Join(Agents(), ", "))
}

// protocol is one agent's hook protocol: how to find the shell command in
// an event, and how to say each outcome.
//
// Outcomes:
//   - pass: the event is not about a shell command; guard has no opinion.
//   - allow: guard lets the command run. Where the protocol can say "no
//     opinion", that is what guard says, so the agent's own permission
//     settings still apply (an explicit allow would skip them in Claude
//     Code, for instance).
//   - confirm: a human must say yes. Where the protocol can ask the human in
//     the agent's own prompt, it does; elsewhere the command is refused with
//     a message that tells the model what to tell its human.
//   - deny: refused, with a message that tells the model to stop and tell
//     its human.
//   - invalid: the event could not be read; refused in the form that blocks
//     in this protocol.
type protocol struct {
	// parse returns the shell command of an event, nil when the event is
	// not about a shell command, or an error when it cannot be read.
	parse   func(raw []byte) (*call, error)
	pass    func() reply
	allow   func() reply
	confirm func(explanation) reply
	deny    func(explanation) reply
	invalid func(text string) reply
}

// nothing is the empty answer with exit status 0.
func nothing() reply { return reply{} }

// projectHooks says how a project-only agent is hooked in: in file (under
// each repository), with entry, guard's entry in it, run by cmd.
type projectHooks struct {
	file  string
	entry func(cmd string) any
}
