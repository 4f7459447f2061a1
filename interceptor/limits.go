package interceptor

// Limits bounds the work of one analysis. Over any limit the analysis stops
// and reports an Invocation whose Unknown says which limit was hit, so that a
// rule can fail closed; it never returns an empty or partial list silently.
type Limits struct {
	// MaxInput is the largest source accepted, in bytes.
	MaxInput int
	// MaxDepth is the deepest nesting of nested code (bash -c, eval,
	// source, functions, substitutions) followed.
	MaxDepth int
	// MaxInvocations is the most simple commands produced.
	MaxInvocations int
	// MaxFields is the most fields one word may expand to (brace explosion).
	MaxFields int
	// MaxSteps bounds the total work: nodes visited and words expanded.
	MaxSteps int
	// MaxExpansion bounds the bytes analysis makes in all: words after
	// parameter expansion, heredoc bodies, files read and the output it
	// computes (printf, cat). Each expansion is estimated before it is
	// made ("x=$x$x" thirty times, "${x//?/$x}").
	MaxExpansion int
	// MaxHeredoc is the largest heredoc body, in bytes, before and after
	// expansion.
	MaxHeredoc int
}

// DefaultLimits returns the limits used when a Context sets none: generous
// for real commands and small enough that pathological input finishes in
// milliseconds.
func DefaultLimits() Limits {
	return Limits{
		MaxInput:       2 << 20,
		MaxDepth:       24,
		MaxInvocations: 4096,
		MaxFields:      4096,
		MaxSteps:       200000,
		MaxExpansion:   16 << 20,
		MaxHeredoc:     1 << 20,
	}
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxInput <= 0 {
		l.MaxInput = d.MaxInput
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxInvocations <= 0 {
		l.MaxInvocations = d.MaxInvocations
	}
	if l.MaxFields <= 0 {
		l.MaxFields = d.MaxFields
	}
	if l.MaxSteps <= 0 {
		l.MaxSteps = d.MaxSteps
	}
	if l.MaxExpansion <= 0 {
		l.MaxExpansion = d.MaxExpansion
	}
	if l.MaxHeredoc <= 0 {
		l.MaxHeredoc = d.MaxHeredoc
	}
	return l
}
