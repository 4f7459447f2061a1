// Package integration connects guard to the coding agents that can ask a
// program before they run a shell command.
//
// Three entry points, each wired to a subcommand by cmd/guard:
//
//   - Hook ("guard hook AGENT") reads one pre-execution event from an agent
//     on stdin, judges the shell command in it with a Checker, and answers in
//     that agent's protocol on stdout, stderr and the exit status.
//   - Install and Uninstall ("guard install AGENT", "guard uninstall AGENT")
//     add guard's hook to the agent's user-level configuration, or take it
//     out again, without disturbing anything else in the file.
//   - Doctor ("guard doctor") says, per agent, whether the hook is in place
//     and points at this guard binary, and what to do when it is not.
//
// Each agent is one adapter value in its own file (claude.go, codex.go,
// gemini.go, cursor.go, windsurf.go, cline.go, openhands.go), listed once in
// adapters (adapter.go): its hook protocol, where its hook is installed
// (nil: project-only), its doctor checks and its shell wiring. How a
// verdict maps onto each protocol, and why, is written beside the protocol
// there; the table in the package's tests (testdata/hooks/AGENT/*.json)
// pins the exact bytes.
//
// Nothing here keeps package-level mutable state: the environment, the home
// directory, the binary path and the clock come in through the options, so
// tests run against temporary directories.
package integration
