// Package rules decides what a command may do. A rule pack examines the
// invocations that package interceptor produced and reports findings; the
// verdict of a command is its strictest finding.
//
// Adding a rule: pick the pack file for its family (fs.go, git.go, ...) or
// add a new file holding one Pack, list its rules with their ids and default
// decisions, register the pack in Builtin, and add cases that must fire and
// cases that must not beside it.
package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// Decision is what happens to a command.
type Decision int

// Decisions, from the least to the most strict.
const (
	Allow   Decision = iota // runs at once, silently
	Confirm                 // runs only after a human says yes
	Deny                    // never runs from the agent
)

// String returns "allow", "confirm" or "deny".
func (d Decision) String() string {
	switch d {
	case Allow:
		return "allow"
	case Confirm:
		return "confirm"
	case Deny:
		return "deny"
	}
	return fmt.Sprintf("Decision(%d)", int(d))
}

// ParseDecision parses "allow", "confirm" or "deny".
func ParseDecision(s string) (Decision, error) {
	switch s {
	case "allow":
		return Allow, nil
	case "confirm":
		return Confirm, nil
	case "deny":
		return Deny, nil
	}
	return Allow, fmt.Errorf("unknown decision %q: want allow, confirm or deny", s)
}

// MarshalText implements encoding.TextMarshaler.
func (d Decision) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Decision) UnmarshalText(b []byte) error {
	v, err := ParseDecision(string(b))
	*d = v
	return err
}

// Rule is one named check of a pack.
type Rule struct {
	// ID is "pack.name", such as "fs.rm-home".
	ID string
	// Default is the decision when no policy says otherwise.
	Default Decision
	// Summary says in one line what the rule stops.
	Summary string
}

// Finding is one rule firing on one invocation.
type Finding struct {
	Rule     string   `json:"rule"`
	Decision Decision `json:"decision"`
	// Reason says what would be destroyed, for the human who must approve.
	Reason string `json:"reason"`
	// Command is the invocation the finding concerns.
	Command string `json:"command"`
}

// Verdict is the outcome for a whole command: the strictest finding.
type Verdict struct {
	Decision Decision  `json:"decision"`
	Findings []Finding `json:"findings"`
}

// MarshalJSON always writes findings as an array, never null.
func (v Verdict) MarshalJSON() ([]byte, error) {
	type plain Verdict
	p := plain(v)
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	// No HTML escaping: commands such as "cat <<EOF" stay readable.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Pack is one family of rules.
type Pack struct {
	// Name is the prefix of the pack's rule ids.
	Name string
	// Rules lists every rule the pack can report.
	Rules []Rule
	// Commands lists the command names the pack examines. Nil means every
	// invocation, including those with an unknown name.
	Commands []string
	// Check examines one invocation and reports through c.
	Check func(c *Call)
}

// Call is one pack examining one invocation.
type Call struct {
	Inv   *interceptor.Invocation
	World *World

	engine   *Engine
	pack     *Pack
	findings []Finding
	depth    int

	// effects memoises fsEffects for Inv: the fs and self packs both
	// need the file effects of every invocation.
	effectsOf    *interceptor.Invocation
	effects      []fsEffect
	effectsKnown bool

	// linkMemo memoises throughLinks for linksOf (links.go).
	linksOf  *interceptor.Invocation
	linkMemo []linkResult
}

// fileEffects returns what the invocation does to files (fsEffects),
// computed once per invocation however many packs ask.
func (c *Call) fileEffects() ([]fsEffect, bool) {
	if c.effectsOf != c.Inv {
		c.effects, c.effectsKnown = fsEffects(c.Inv, c.World)
		c.effectsOf = c.Inv
	}
	return c.effects, c.effectsKnown
}

// Report records that rule id fired with a reason for the human. The rule's
// decision comes from the policy.
func (c *Call) Report(id, reason string) {
	for _, in := range c.Inv.Injects {
		reason += "; " + in
	}
	c.findings = append(c.findings, Finding{
		Rule:     id,
		Decision: c.engine.decision(id),
		Reason:   reason,
		Command:  describe(c.Inv),
	})
}

// Shell analyses src as shell code that the invocation runs (a literal
// command inside python's os.system, say) and evaluates it with every pack,
// reporting its findings as this call's. link names how the code is reached
// ("python -c os.system").
func (c *Call) Shell(src, link string) {
	if c.depth >= maxShellDepth {
		c.findings = append(c.findings, Finding{Rule: "meta.unknown", Decision: Confirm,
			Reason: "the command nests code too deeply to check", Command: describe(c.Inv)})
		return
	}
	ctx := c.World.Analysis
	ctx.Cwd, ctx.Home = c.Inv.Cwd, c.Inv.Home
	invs := interceptor.Analyze(src, ctx)
	chain := append(append([]string(nil), c.Inv.Chain...), link)
	for i := range invs {
		invs[i].Chain = append(append([]string(nil), chain...), invs[i].Chain...)
		if c.Inv.Remote != "" && invs[i].Remote == "" {
			invs[i].Remote = c.Inv.Remote
		}
	}
	c.findings = append(c.findings, c.engine.evaluate(new(Call), invs, c.World, c.depth+1)...)
}

// maxShellDepth bounds Call.Shell recursion.
const maxShellDepth = 4

// describe renders an invocation for a finding, with the chain that led to
// it: "ssh db1 -> bash -c -> rm -rf /var/www".
func describe(inv *interceptor.Invocation) string {
	line := inv.Text
	if line == "" {
		line = inv.Line()
	}
	if len(inv.Chain) == 0 {
		return line
	}
	if inv.SourceLine > 1 {
		line = "line " + strconv.Itoa(inv.SourceLine) + ": " + line
	}
	return strings.Join(inv.Chain, " -> ") + " -> " + line
}

// Engine evaluates invocations against a set of packs and a policy.
type Engine struct {
	packs    []*Pack
	byName   map[string][]*Pack
	every    []*Pack
	override map[string]Decision
}

// NewEngine builds an engine over packs. overrides maps rule ids to the
// decision the policy sets for them; an id no pack defines is an error.
//
// guard builds one engine per command it runs, so this does only what
// every command needs: the table of packs by command name. A rule's
// default is looked up in its pack when a finding needs it.
func NewEngine(packs []*Pack, overrides map[string]Decision) (*Engine, error) {
	names := 0
	for _, p := range packs {
		names += len(p.Commands)
	}
	e := &Engine{
		packs:    packs,
		byName:   make(map[string][]*Pack, names),
		override: make(map[string]Decision, len(overrides)),
	}
	for _, p := range packs {
		for _, r := range p.Rules {
			if !strings.HasPrefix(r.ID, p.Name+".") {
				return nil, fmt.Errorf("rule %s is not in pack %s", r.ID, p.Name)
			}
		}
		if p.Commands == nil {
			e.every = append(e.every, p)
			continue
		}
		for _, name := range p.Commands {
			e.byName[name] = append(e.byName[name], p)
		}
	}
	for id, d := range overrides {
		if _, ok := findRule(packs, id); !ok {
			return nil, fmt.Errorf("unknown rule %q", id)
		}
		e.override[id] = d
	}
	return e, nil
}

// findRule returns the rule with id among packs, looking only in the pack
// its id names ("fs" for "fs.delete-home").
func findRule(packs []*Pack, id string) (Rule, bool) {
	name, _, _ := strings.Cut(id, ".")
	for _, p := range packs {
		if p.Name != name {
			continue
		}
		for _, r := range p.Rules {
			if r.ID == id {
				return r, true
			}
		}
	}
	return Rule{}, false
}

// Rules returns every rule of the engine's packs with its effective decision,
// sorted by id.
func (e *Engine) Rules() []Rule {
	var out []Rule
	for _, p := range e.packs {
		for _, r := range p.Rules {
			r.Default = e.decision(r.ID)
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (e *Engine) decision(id string) Decision {
	if d, ok := e.override[id]; ok {
		return d
	}
	if r, ok := findRule(e.packs, id); ok {
		return r.Default
	}
	// A pack reporting a rule it did not declare is a bug; fail closed.
	return Confirm
}

// Evaluate judges every invocation and returns the strictest finding as the
// verdict. A pack that panics yields a confirm finding, never a silent allow.
func (e *Engine) Evaluate(invs []interceptor.Invocation, w *World) Verdict {
	return e.evaluateWith(new(Call), invs, w)
}

// evaluateWith is Evaluate through the Call c, which a Checker keeps and
// hands to judgment after judgment so that it is not allocated for each
// (evaluate resets it).
func (e *Engine) evaluateWith(c *Call, invs []interceptor.Invocation, w *World) Verdict {
	if w != nil {
		w.credReads = w.credReads[:0] // what this line's substitutions read
	}
	v := Verdict{Findings: e.evaluate(c, invs, w, 0)}
	for _, f := range v.Findings {
		if f.Decision > v.Decision {
			v.Decision = f.Decision
		}
	}
	return v
}

// evaluate judges invs through c, reset first: one Call serves every pack
// and invocation of an evaluation. Nothing of a previous evaluation is
// kept but the room of its link memo; the memos of effects and links are
// keyed by invocation pointers, which a new line's invocations may reuse.
func (e *Engine) evaluate(c *Call, invs []interceptor.Invocation, w *World, depth int) []Finding {
	var out []Finding
	*c = Call{World: w, engine: e, depth: depth, linkMemo: c.linkMemo[:0]}
	if depth == 0 && w != nil {
		if _, ok := interceptor.WrittenAt(w.FS, 0); ok {
			w.addRealGuardPaths() // once, before the views below copy w
		}
	}
	for i := range invs {
		inv := &invs[i]
		if inv.Launched != "" && len(e.byName[inv.Launched]) > 0 {
			continue // a pack knows that program and judges its operands
		}
		c.World = w
		if depth == 0 && w != nil {
			// The links the line makes exist for the commands after
			// the one that makes them.
			if f, ok := interceptor.WrittenAt(w.FS, i); ok {
				view := *w
				view.FS, view.Analysis.FS = f, f
				c.World = &view
			}
		}
		for _, p := range e.every {
			out = appendNew(out, launchedOnly(inv, e.run(c, p, inv)))
		}
		for _, p := range e.byName[inv.Name] {
			out = appendNew(out, launchedOnly(inv, e.run(c, p, inv)))
		}
	}
	return out
}

// launchedOnly keeps, for a command an unknown program may run (its
// operands after "run" or "--") and for a command of a script run from disk
// by its path, only what the command definitely does: that such words might
// be a command, or that a program on disk computes something at run time,
// is no reason to ask.
func launchedOnly(inv *interceptor.Invocation, fs []Finding) []Finding {
	if inv.Launched == "" && inv.Indirect == "" {
		return fs
	}
	kept := fs[:0]
	for _, f := range fs {
		if !unknowing(f.Rule) {
			kept = append(kept, f)
		}
	}
	return kept
}

// unknowing reports whether the rule id reports what cannot be known
// (meta.unknown, fs.unknown-target, sql.unknown …) rather than a definite
// effect. Rule ids say so by name: see ARCHITECTURE.md, "Adding a rule".
func unknowing(id string) bool {
	return strings.HasPrefix(id, "meta.") || strings.Contains(id, "unknown")
}

// appendNew appends the findings not already in list (a loop body analysed
// once per item can report the same thing twice).
func appendNew(list, add []Finding) []Finding {
next:
	for _, f := range add {
		for _, g := range list {
			if f == g {
				continue next
			}
		}
		list = append(list, f)
	}
	return list
}

func (e *Engine) run(c *Call, p *Pack, inv *interceptor.Invocation) (out []Finding) {
	c.Inv, c.pack, c.findings = inv, p, nil
	defer func() {
		if r := recover(); r != nil {
			out = append(c.findings, Finding{
				Rule:     "meta.internal-error",
				Decision: Confirm,
				Reason:   fmt.Sprintf("rule pack %s failed on this command (%v); a human should check it", p.Name, r),
				Command:  describe(inv),
			})
		}
	}()
	p.Check(c)
	return c.findings
}
