package interceptor

import (
	"strings"
)

// A launcher is a program that runs the command given as its operands,
// usually after putting something into its environment: a platform's
// variables (railway run, doppler run), a language's project environment
// (uv run, bundle exec), a tool version (mise exec). The command it runs is
// judged like any other, with the launcher recorded in Invocation.Wrappers
// and what it injects in Invocation.Injects.
type launcher struct {
	// sub lists the subcommands that run a command ("run"); empty means
	// the command follows the launcher's own options.
	sub []string
	// spec describes the options between the subcommand and the command.
	spec optSpec
	// injects says what the launcher puts into the command's environment,
	// for messages; empty for launchers that only select a tool version.
	injects string
	// scope names the option that says which environment, profile or file
	// the injected variables come from (railway run -e production).
	scope []string
	// shell lists options whose value is a command string the launcher
	// runs through a shell (doppler run --command STR).
	shell []string
	// joined: the operands are joined into one string run by a shell
	// (watchexec, sg).
	joined bool
	// each: every operand is a command string of its own (concurrently).
	each bool
	// dir names options that set the directory the command runs in.
	dir []string
	// profile: the first operand names the profile the variables come
	// from (aws-vault exec PROFILE).
	profile bool
	// dashdash: the command follows "--" and nothing else (chamber exec
	// SERVICE… -- CMD).
	dashdash bool
}

// The launchers' specs, one variable each: literals of constants, which the
// compiler lays out as static data, so that neither start-up nor a
// lookup builds them. Nothing modifies them.
var (
	launcherRailway = launcher{sub: []string{"run"}, spec: optSpec{short: "se", long: []string{"--service", "--environment"}},
		injects: "the variables of the linked Railway environment", scope: []string{"-e", "--environment"}}
	launcherDoppler = launcher{sub: []string{"run"}, spec: optSpec{short: "pc", long: []string{"--project", "--config", "--token", "--mount",
		"--mount-format", "--mount-template", "--mount-max-reads", "--fallback", "--name-transformer", "--scope",
		"--config-dir", "--api-host", "--dashboard-host", "--command"}},
		injects: "the secrets of the Doppler config", scope: []string{"-c", "--config"}, shell: []string{"--command"}}
	launcherOp = launcher{sub: []string{"run"}, spec: optSpec{long: []string{"--env-file", "--account", "--environment"}},
		injects: "secrets from 1Password", scope: []string{"--env-file"}}
	launcherInfisical = launcher{sub: []string{"run"}, spec: optSpec{long: []string{"--env", "--path", "--token", "--projectId",
		"--tags", "--domain", "--command", "--project-config-dir"}},
		injects: "secrets from Infisical", scope: []string{"--env"}, shell: []string{"--command"}}
	launcherDotenv  = launcher{spec: optSpec{short: "ev"}, injects: "the variables of a dotenv file", scope: []string{"-e"}}
	launcherDotenvx = launcher{sub: []string{"run"}, spec: optSpec{short: "fe", long: []string{"--env-file", "--env", "--env-keys-file", "--convention"}},
		injects: "the variables of a dotenv file", scope: []string{"-f", "--env-file"}}
	launcherEnvCmd = launcher{spec: optSpec{short: "fre", long: []string{"--file", "--rc-file", "--environments"}},
		injects: "the variables of an env file", scope: []string{"-e", "--environments", "-f", "--file"}}
	launcherAwsVault = launcher{sub: []string{"exec"}, spec: optSpec{short: "dt", long: []string{"--duration", "--region", "--mfa-token",
		"--prompt", "--ec2-server", "--ecs-server"}},
		injects: "AWS credentials of the profile", profile: true}
	launcherChamber  = launcher{sub: []string{"exec"}, injects: "secrets from AWS Parameter Store", dashdash: true}
	launcherTeller   = launcher{sub: []string{"run"}, spec: optSpec{short: "c", long: []string{"--config"}}, injects: "secrets from the providers teller reads"}
	launcherSaml2aws = launcher{sub: []string{"exec"}, spec: optSpec{short: "a", long: []string{"--idp-account", "--profile", "--exec-profile"}},
		injects: "AWS credentials", scope: []string{"--profile", "--exec-profile"}}
	launcherSummon = launcher{spec: optSpec{short: "fpD", long: []string{"--provider", "--environment"}}, injects: "secrets from the summon provider",
		scope: []string{"--environment"}}
	launcherDirenv     = launcher{sub: []string{"exec"}, spec: optSpec{operands: 1}, injects: "the variables of the directory's .envrc"}
	launcherEnvdir     = launcher{spec: optSpec{operands: 1}, injects: "the variables of an envdir directory"}
	launcherCrossEnv   = launcher{}
	launcherUv         = launcher{sub: []string{"run"}, spec: optSpec{short: "p", long: []string{"--with", "--with-editable", "--with-requirements", "--python", "--project", "--directory", "--package", "--extra", "--group", "--only-group", "--no-group", "--env-file", "--index", "--default-index", "--index-url", "--extra-index-url", "--find-links", "--config-file", "--cache-dir", "--no-extra"}}, dir: []string{"--directory"}}
	launcherUvx        = launcher{spec: optSpec{short: "p", long: []string{"--from", "--with", "--with-editable", "--with-requirements", "--python", "--index", "--default-index", "--index-url", "--extra-index-url", "--cache-dir"}}}
	launcherPoetry     = launcher{sub: []string{"run"}, spec: optSpec{short: "CP", long: []string{"--directory", "--project"}}, dir: []string{"-C", "--directory"}}
	launcherPipenv     = launcher{sub: []string{"run"}}
	launcherPdm        = launcher{sub: []string{"run"}, spec: optSpec{short: "p", long: []string{"--project"}}}
	launcherRye        = launcher{sub: []string{"run"}}
	launcherPixi       = launcher{sub: []string{"run", "exec"}, spec: optSpec{short: "e", long: []string{"--environment", "--manifest-path"}}}
	launcherBundle     = launcher{sub: []string{"exec"}, spec: optSpec{long: []string{"--gemfile"}}}
	launcherPnpm       = launcher{sub: []string{"exec"}, spec: optSpec{short: "CF", long: []string{"--dir", "--filter"}}, dir: []string{"-C", "--dir"}}
	launcherYarn       = launcher{sub: []string{"exec"}}
	launcherConda      = launcher{sub: []string{"run"}, spec: optSpec{short: "np", long: []string{"--name", "--prefix", "--cwd"}}, dir: []string{"--cwd"}}
	launcherMamba      = launcher{sub: []string{"run"}, spec: optSpec{short: "np", long: []string{"--name", "--prefix", "--cwd"}}, dir: []string{"--cwd"}}
	launcherMicromamba = launcher{sub: []string{"run"}, spec: optSpec{short: "np", long: []string{"--name", "--prefix", "--cwd"}}, dir: []string{"--cwd"}}
	launcherDevbox     = launcher{sub: []string{"run"}, spec: optSpec{short: "c", long: []string{"--config", "--environment"}}}
	launcherAsdf       = launcher{sub: []string{"exec", "env"}}
	launcherRbenv      = launcher{sub: []string{"exec"}}
	launcherPyenv      = launcher{sub: []string{"exec"}}
	launcherNodenv     = launcher{sub: []string{"exec"}}
	launcherGoenv      = launcher{sub: []string{"exec"}}
	launcherVolta      = launcher{sub: []string{"run"}, spec: optSpec{long: []string{"--node", "--npm", "--yarn", "--pnpm", "--env"}}}
	launcherFnm        = launcher{sub: []string{"exec"}, spec: optSpec{long: []string{"--using"}}}
	launcherToolbox    = launcher{sub: []string{"run"}, spec: optSpec{short: "cdr", long: []string{"--container", "--distro", "--release"}}}
	launcherFlox       = launcher{sub: []string{"activate"}, spec: optSpec{short: "dr", long: []string{"--dir", "--remote"}}}
	launcherWatchexec  = launcher{spec: optSpec{short: "ewifsdWEp", long: []string{"--exts", "--watch", "--ignore", "--filter", "--signal",
		"--debounce", "--shell", "--watch-non-recursive", "--env", "--project-origin", "--stop-signal", "--stop-timeout",
		"--delay-run", "--poll", "--emit-events-to", "--on-busy-update", "--filter-file", "--ignore-file", "--workdir", "--color"}},
		joined: true}
	launcherSg           = launcher{spec: optSpec{operands: 1}, joined: true}
	launcherConcurrently = launcher{spec: optSpec{short: "ncplts", long: []string{"--names", "--prefix-colors", "--prefix", "--prefix-length", "--timestamp-format", "--success", "--default-input-target", "--restart-tries", "--restart-after", "--max-processes", "--name-separator", "--passthrough-arguments"}}, each: true}
)

// launcherSpec returns how the program name runs a command, and whether it
// is a launcher. Each entry follows the program's own documentation of its
// options. (A switch, not a map: nothing is built at start-up.)
func launcherSpec(name string) (launcher, bool) {
	switch name {
	case "railway":
		return launcherRailway, true
	case "doppler":
		return launcherDoppler, true
	case "op":
		return launcherOp, true
	case "infisical":
		return launcherInfisical, true
	case "dotenv":
		return launcherDotenv, true
	case "dotenvx":
		return launcherDotenvx, true
	case "env-cmd":
		return launcherEnvCmd, true
	case "aws-vault":
		return launcherAwsVault, true
	case "chamber":
		return launcherChamber, true
	case "teller":
		return launcherTeller, true
	case "saml2aws":
		return launcherSaml2aws, true
	case "summon":
		return launcherSummon, true
	case "direnv":
		return launcherDirenv, true
	case "envdir":
		return launcherEnvdir, true
	case "cross-env":
		return launcherCrossEnv, true
	case "uv":
		return launcherUv, true
	case "uvx":
		return launcherUvx, true
	case "poetry":
		return launcherPoetry, true
	case "pipenv":
		return launcherPipenv, true
	case "pdm":
		return launcherPdm, true
	case "rye":
		return launcherRye, true
	case "pixi":
		return launcherPixi, true
	case "bundle":
		return launcherBundle, true
	case "pnpm":
		return launcherPnpm, true
	case "yarn":
		return launcherYarn, true
	case "conda":
		return launcherConda, true
	case "mamba":
		return launcherMamba, true
	case "micromamba":
		return launcherMicromamba, true
	case "devbox":
		return launcherDevbox, true
	case "asdf":
		return launcherAsdf, true
	case "rbenv":
		return launcherRbenv, true
	case "pyenv":
		return launcherPyenv, true
	case "nodenv":
		return launcherNodenv, true
	case "goenv":
		return launcherGoenv, true
	case "volta":
		return launcherVolta, true
	case "fnm":
		return launcherFnm, true
	case "toolbox":
		return launcherToolbox, true
	case "flox":
		return launcherFlox, true
	case "watchexec":
		return launcherWatchexec, true
	case "sg":
		return launcherSg, true
	case "concurrently":
		return launcherConcurrently, true
	}
	return launcher{}, false
}

// peelLauncher follows a launcher: it returns the command the launcher
// runs and true, or false when name is not a launcher or the launcher
// runs no command here (it may then have followed a command string
// itself, as nested code).
func (w *walker) peelLauncher(name string, args []Word, inv *Invocation, st *state) ([]Word, bool) {
	switch name {
	case "nix":
		return w.peelNix(args, inv)
	case "nix-shell":
		if cmd, ok := longOrShort(args, "--run", ""); ok {
			w.runString("nix-shell --run", cmd, inv.Cwd, *inv, st)
		} else if cmd, ok := longOrShort(args, "--command", ""); ok {
			w.runString("nix-shell --command", cmd, inv.Cwd, *inv, st)
		}
		return nil, false
	case "nodemon":
		if cmd, ok := longOrShort(args, "--exec", "-x"); ok {
			w.runString("nodemon --exec", cmd, inv.Cwd, *inv, st)
		}
		return nil, false
	case "yarn":
		// "yarn node ARGS" runs node in the project's environment.
		if len(args) > 0 && args[0].Value == "node" {
			return args, true
		}
	case "mise", "rtx":
		return w.peelMise(args, inv)
	case "fd", "fdfind":
		w.fdExec(args, *inv, st)
		return nil, false
	case "sg":
		// sg [-] GROUP [-c] COMMAND: COMMAND is run by /bin/sh -c.
		if len(args) > 0 && args[0].Value == "-" {
			args = args[1:]
		}
		if len(args) > 2 && args[1].Value == "-c" {
			args = append([]Word{args[0]}, args[2:]...)
		}
	}
	l, ok := launcherSpec(name)
	if !ok {
		return nil, false
	}
	if len(l.sub) > 0 {
		if len(args) == 0 || !contains(l.sub, args[0].Value) {
			return nil, false
		}
		name += " " + args[0].Value
		args = args[1:]
	}
	if l.dashdash {
		for i, a := range args {
			if a.Value == "--" && i+1 < len(args) {
				inv.Injects = append(inv.Injects, l.describe(name, nil, ""))
				return args[i+1:], true
			}
		}
		return nil, false
	}
	profile := ""
	if l.profile && len(args) > 0 && !strings.HasPrefix(args[0].Value, "-") {
		profile, args = args[0].Value, args[1:]
	}
	i, opts, more := skipOptions(args, l.spec)
	for _, o := range l.shell {
		if cmd, ok := opts[o]; ok {
			w.injecting(func() { w.runString(name+" "+o, Word{Value: cmd}, inv.Cwd, *inv, st) }, l.describe(name, opts, profile))
			return nil, false
		}
	}
	for _, o := range l.dir {
		if d, ok := opts[o]; ok && d != "" {
			inv.Cwd = ResolvePath(inv.Cwd, d)
		}
	}
	// Operands of cross-env and the like may set variables first.
	for more && isAssign(args[i].Value) {
		k, v, _ := strings.Cut(args[i].Value, "=")
		setAssign(inv, k, v)
		i++
		more = i < len(args)
	}
	if !more {
		return nil, false
	}
	switch {
	case l.joined:
		src := joinWords(args[i:])
		w.injecting(func() { w.runString(name, src, inv.Cwd, *inv, st) }, l.describe(name, opts, profile))
		return nil, false
	case l.each:
		w.injecting(func() {
			for _, a := range args[i:] {
				w.runString(name, a, inv.Cwd, *inv, st)
			}
		}, l.describe(name, opts, profile))
		return nil, false
	}
	if d := l.describe(name, opts, profile); d != "" {
		inv.Injects = append(inv.Injects, d)
	}
	return args[i:], true
}

// describe says what the launcher puts into the environment, naming the
// environment, profile or file chosen, and whether that is production.
func (l launcher) describe(name string, opts map[string]string, profile string) string {
	if l.injects == "" {
		return ""
	}
	d := "it runs under `" + name + "` with " + l.injects
	scope := profile
	for _, o := range l.scope {
		if v := opts[o]; v != "" && scope == "" {
			scope = v
		}
	}
	if scope == "" {
		return d + ", which may be production's"
	}
	d += " (" + scope + ")"
	if strings.Contains(strings.ToLower(scope), "prod") {
		d += ": pointed at production"
	}
	return d
}

// injecting runs fn, which analyses code a launcher runs, and records
// what the launcher injects on every invocation fn emitted.
func (w *walker) injecting(fn func(), injects string) {
	start := len(w.a.out)
	fn()
	if injects == "" {
		return
	}
	for i := start; i < len(w.a.out); i++ {
		w.a.out[i].Injects = append(w.a.out[i].Injects, injects)
	}
}

// joinWords joins operands into the command string a launcher hands to a
// shell, unknown when any part is.
func joinWords(ws []Word) Word {
	out := Word{Value: strings.Join(values(ws), " ")}
	for _, x := range ws {
		out.Unknown = out.Unknown || x.Unknown
	}
	return out
}

// peelNix follows "nix develop|shell [INSTALLABLE…] -c|--command CMD…".
// "nix run" runs a package's own program, not a command.
func (w *walker) peelNix(args []Word, inv *Invocation) ([]Word, bool) {
	if len(args) == 0 || (args[0].Value != "develop" && args[0].Value != "shell") {
		return nil, false
	}
	for i, a := range args[1:] {
		if a.Value == "-c" || a.Value == "--command" {
			if rest := args[i+2:]; len(rest) > 0 {
				return rest, true
			}
			return nil, false
		}
	}
	return nil, false
}

// peelMise follows "mise exec|x [TOOL@VERSION…] [--] CMD…".
func (w *walker) peelMise(args []Word, inv *Invocation) ([]Word, bool) {
	if len(args) == 0 || (args[0].Value != "exec" && args[0].Value != "x") {
		return nil, false
	}
	args = args[1:]
	for i, a := range args {
		if a.Value == "--" {
			if i+1 < len(args) {
				return args[i+1:], true
			}
			return nil, false
		}
	}
	i, opts, more := skipOptions(args, optSpec{short: "Cj", long: []string{"--cd", "--jobs", "--command"}})
	for more && strings.Contains(args[i].Value, "@") {
		i++
		more = i < len(args)
	}
	if !more {
		return nil, false
	}
	if d, ok := opts["-C"]; ok && d != "" {
		inv.Cwd = ResolvePath(inv.Cwd, d)
	}
	return args[i:], true
}

// fdExec emits the commands fd runs with -x/--exec and -X/--exec-batch.
// Its placeholders ({}, {/}, {//}, {.}, {/.}) stand for what fd found: a
// pattern under each search path.
func (w *walker) fdExec(args []Word, inv Invocation, st *state) {
	valued := optSpec{short: "etEdSojcg", long: []string{"--extension", "--type", "--exclude", "--max-depth", "--min-depth",
		"--exact-depth", "--size", "--changed-within", "--changed-before", "--owner", "--threads", "--color",
		"--base-directory", "--search-path", "--max-results", "--format", "--path-separator", "--ignore-file", "--batch-size"}}
	var positional []Word
	var cmd []Word
	base := inv.Cwd
	var searchPaths []string
	// filter is a file-name pattern that narrows what fd finds (-e, -g,
	// a pattern); hidden files (.git) are skipped unless -H, -u or -I.
	filter := ""
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "-x" || v == "--exec" || v == "-X" || v == "--exec-batch" {
			for i++; i < len(args) && args[i].Value != ";"; i++ {
				cmd = append(cmd, args[i])
			}
			continue
		}
		if strings.HasPrefix(v, "-") && v != "-" {
			name, val, hasVal := strings.Cut(v, "=")
			if !hasVal && (contains(valued.long, name) || (len(v) == 2 && strings.IndexByte(valued.short, v[1]) >= 0)) && i+1 < len(args) {
				i++
				val = args[i].Value
			}
			switch name {
			case "-e", "--extension":
				filter = "*." + val
			case "-g", "--glob":
				filter = "*"
			case "--base-directory":
				base = ResolvePath(base, val)
			case "--search-path":
				searchPaths = append(searchPaths, val)
			}
			continue
		}
		positional = append(positional, args[i])
	}
	if len(cmd) == 0 {
		return
	}
	if len(positional) > 1 {
		for _, p := range positional[1:] {
			searchPaths = append(searchPaths, p.Value)
		}
	}
	if len(searchPaths) == 0 {
		searchPaths = []string{"."}
	}
	if len(positional) > 0 && filter == "" && positional[0].Value != "." && positional[0].Value != "" && positional[0].Value != "^" {
		filter = fdPatternGlob(positional[0].Value)
	}
	match := Word{Value: ResolvePath(base, searchPaths[0]) + "/**", Glob: true}
	if filter != "" {
		match.Value += "/" + filter
	}
	if strings.Contains(searchPaths[0], UnknownMark) {
		match = Word{Value: UnknownMark, Unknown: true}
	}
	placed := false
	for k := range cmd {
		for _, ph := range []string{"{//}", "{/.}", "{/}", "{.}", "{}"} {
			if strings.Contains(cmd[k].Value, ph) {
				cmd[k].Value = strings.ReplaceAll(cmd[k].Value, ph, match.Value)
				cmd[k].Glob = true
				cmd[k].Unknown = cmd[k].Unknown || match.Unknown
				placed = true
			}
		}
	}
	if !placed {
		cmd = append(cmd, match) // fd appends the path when no placeholder is given
	}
	n := st.nested("fd -x")
	n.cwd = base
	w.run(Invocation{Text: inv.Text, Cwd: base, Home: n.home, Chain: n.chain, Remote: n.remote}, cmd, n)
}

// openLauncher follows, for a program guard has no table for, operands
// shaped like a launcher's: "X run|exec [-OPTS] [--] CMD…" or
// "X … -- CMD…". X may run CMD or may only take it as data; the
// invocations emitted for CMD carry Invocation.Launched, and the rules
// judge them only by what they would destroy, so that a launcher guard does
// not know is never a way around a rule and everyday operands
// ("cargo run -- --release", "go run . -- input.txt") cost nothing.
func (w *walker) openLauncher(inv Invocation, st *state) {
	if !mayLaunch(inv.Name) {
		return
	}
	cmd, how := LaunchedOperands(inv.Args)
	if len(cmd) == 0 || cmd[0].Unknown || strings.HasPrefix(cmd[0].Value, "-") {
		return
	}
	start := len(w.a.out)
	n := st.nested(inv.Name + " " + how)
	n.cwd = inv.Cwd
	w.run(Invocation{Text: inv.Text, Cwd: inv.Cwd, Home: inv.Home, Chain: n.chain, Remote: n.remote}, cmd, n)
	for i := start; i < len(w.a.out); i++ {
		w.a.out[i].Launched = inv.Name
	}
}

// LaunchedOperands returns the words a program may run as a command: those
// after its "run" or "exec" subcommand and the options that follow it, or
// those after "--".
func LaunchedOperands(args []Word) ([]Word, string) {
	if len(args) > 1 && (args[0].Value == "run" || args[0].Value == "exec") {
		for i, a := range args {
			if a.Value == "--" {
				return args[i+1:], args[0].Value + " --"
			}
		}
		for i := 1; i < len(args); i++ {
			v := args[i].Value
			if v == "--" {
				return args[i+1:], args[0].Value + " --"
			}
			if !strings.HasPrefix(v, "-") {
				return args[i:], args[0].Value
			}
		}
		return nil, ""
	}
	for i, a := range args {
		if a.Value == "--" {
			return args[i+1:], "--"
		}
	}
	return nil, ""
}

// mayLaunch reports whether name is a program whose operands after "--"
// or "run" could be a command. Builtins and the everyday tools that take
// "--" to end their options (paths, patterns, text) never run them.
func mayLaunch(name string) bool {
	if name == "" || strings.HasPrefix(name, "__") {
		return false
	}
	if bashBuiltin(name) || name == "[[" {
		return false
	}
	if _, ok := launcherSpec(name); ok {
		return false // followed by its own table
	}
	switch name {
	case "nix", "nix-shell", "nodemon", "mise", "rtx", "fd", "fdfind",
		"git", "grep", "egrep", "fgrep", "rg", "ag", "ack", "ls", "cat", "head", "tail", "wc", "sort", "uniq", "cut",
		"tr", "sed", "awk", "jq", "yq", "touch", "mkdir", "cp", "mv", "ln", "chmod", "chown", "chgrp", "rm", "rmdir",
		"diff", "patch", "tar", "zip", "unzip", "gzip", "stat", "file", "basename", "dirname", "realpath", "readlink",
		"npm", "yarn", "pnpm", "bun", "node", "python", "python3", "ruby", "perl", "go", "make":
		return false
	}
	return true
}

// fdPatternGlob returns a file-name glob that stands for the names fd's
// pattern (a regular expression matched anywhere in the name) can match:
// its longest run of plain characters between stars, which says "some
// names, not all"; a pattern without one matches any name.
func fdPatternGlob(p string) string {
	best, run := "", ""
	for _, r := range p + "\x00" {
		if r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			run += string(r)
			continue
		}
		if len(run) > len(best) {
			best = run
		}
		run = ""
	}
	if best == "" {
		return "*"
	}
	return "*" + best + "*"
}
