package rules

import (
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// GitPack returns the rules about git: commands that overwrite or delete
// history on a remote, discard uncommitted work, delete branches, stashes or
// unreachable commits for good, or make git run a command guard cannot see.
//
// Git's own command line is parsed here the way git parses it: the global
// options before the subcommand (-C, -c k=v, --git-dir, --work-tree,
// --no-pager, ...), inline aliases (-c alias.x=...), and each subcommand's
// options with parse-options' rules (combined short flags, --opt=value,
// unique abbreviations of long options, --no-opt, "--", options after
// arguments). Everyday git (status, diff, log, commit, push of a branch,
// checkout of a branch, pull, rebase, stash push/pop) reports nothing.
func GitPack() *Pack {
	return &Pack{
		Name:     "git",
		Commands: []string{"git"},
		Check:    checkGit,
		Rules: []Rule{
			{ID: "git.force-push", Default: Confirm, Summary: "push that overwrites remote history: -f, --force, +refspec, a forcing remote.*.push"},
			{ID: "git.force-push-lease", Default: Confirm, Summary: "push --force-with-lease: overwrites remote history unless someone else pushed since the last fetch"},
			{ID: "git.push-delete", Default: Confirm, Summary: "push that deletes remote branches or tags: --delete, :ref, --prune, --mirror"},
			{ID: "git.reset-hard", Default: Confirm, Summary: "reset --hard: discards every uncommitted change in the work tree"},
			{ID: "git.clean", Default: Confirm, Summary: "clean -f: deletes untracked (and with -x ignored) files for good"},
			{ID: "git.discard-changes", Default: Confirm, Summary: "checkout/restore of paths, checkout -f, switch --discard-changes, worktree remove --force: discards uncommitted changes"},
			{ID: "git.branch-delete", Default: Confirm, Summary: "branch -D: deletes a branch even when its commits are merged nowhere"},
			{ID: "git.branch-overwrite", Default: Confirm, Summary: "branch -M/-C/-f onto an existing branch: moves that branch away from its commits"},
			{ID: "git.stash-drop", Default: Confirm, Summary: "stash drop/clear: deletes stashed work"},
			{ID: "git.reflog-expire", Default: Confirm, Summary: "reflog expire/delete: removes the record that lets lost commits be recovered"},
			{ID: "git.gc-prune", Default: Confirm, Summary: "gc --prune=now, git prune: deletes unreachable commits at once"},
			{ID: "git.rewrite-history", Default: Confirm, Summary: "filter-branch, filter-repo: rewrite every commit of the repository"},
			{ID: "git.update-ref", Default: Confirm, Summary: "update-ref -d or onto an existing ref: deletes or moves a ref with no safety checks"},
			{ID: "git.config-exec", Default: Confirm, Summary: "git configuration or environment that makes git run an arbitrary command (alias.x=!cmd, core.pager, core.sshCommand, GIT_EDITOR...)"},
			{ID: "git.unknown-subcommand", Default: Confirm, Summary: "git subcommand that cannot be known statically"},
		},
	}
}

// gitAliasDepth bounds the expansion of aliases that expand to aliases.
const gitAliasDepth = 8

// gitCmd is one git command line split into git's global options and the
// subcommand with its arguments.
type gitCmd struct {
	// sub is the subcommand ("push"); empty when there is none.
	sub     string
	subWord interceptor.Word
	// args are the arguments after the subcommand.
	args []interceptor.Word
	// chdirs are the values of -C, in order.
	chdirs []string
	// aliasChdirs are the -C options that alias expansion added, which
	// the interceptor did not see.
	aliasChdirs []string
	// gitDir and workTree are --git-dir and --work-tree (or GIT_DIR and
	// GIT_WORK_TREE), "" when not given.
	gitDir, workTree string
	// config holds the inline configuration (-c, --config-env,
	// GIT_CONFIG_KEY_n), in order.
	config []gitSetting
	// alias is the alias chain that produced this command ("pf" -> "push
	// --force"), for messages; empty when no alias was used.
	alias []string
}

// gitSetting is one configuration variable set for one command or written
// to a config file.
type gitSetting struct {
	key   string // as written
	value string
	// known is false when the value cannot be known (--config-env, an
	// unknown word).
	known bool
}

// gitCheck is one git invocation being judged.
type gitCheck struct {
	c   *Call
	inv *interceptor.Invocation
	g   *gitCmd
	// prefix is put before every reason, when the command is judged as
	// the body of an alias being defined.
	prefix string
}

// checkGit is the pack's Check: it reads git's global options, the
// command's environment and inline configuration, expands aliases, and
// judges the subcommand.
func checkGit(c *Call) {
	if c.World == nil {
		c.World = &World{}
	}
	inv := c.Inv
	g, ok := parseGitGlobals(inv.Args, nil)
	if !ok {
		return
	}
	g.config = append(envGitConfig(inv.Assigns), g.config...)
	if v, ok := inv.Assigns["GIT_DIR"]; ok && g.gitDir == "" {
		g.gitDir = v
	}
	if v, ok := inv.Assigns["GIT_WORK_TREE"]; ok && g.workTree == "" {
		g.workTree = v
	}
	k := &gitCheck{c: c, inv: inv, g: g}
	k.checkEnv()
	for _, s := range g.config {
		k.checkSetting(s, true)
	}
	for depth := 0; ; depth++ {
		if g.subWord.Unknown {
			k.report("git.unknown-subcommand", "runs a git subcommand that cannot be known before it runs (git "+g.subWord.String()+")")
			return
		}
		body, isAlias := g.aliasBody()
		if !isAlias {
			body, isAlias = k.fileAlias(g.sub)
		}
		if !isAlias {
			break
		}
		if depth >= gitAliasDepth {
			k.report("git.config-exec", "expands git aliases more than "+strconv.Itoa(gitAliasDepth)+" levels deep ("+strings.Join(g.alias, " -> ")+")")
			return
		}
		if !body.known {
			k.report("git.config-exec", "runs git alias "+g.sub+", whose definition cannot be known before it runs")
			return
		}
		if strings.HasPrefix(body.value, "!") {
			k.report("git.config-exec", "runs the shell command `"+strings.TrimSpace(body.value[1:])+"` through the git alias "+g.sub+" ("+body.key+")")
			return
		}
		g = g.expandAlias(body.value)
		k.g = g
	}
	k.checkSub()
}

// checkSub judges the subcommand of k.g.
func (k *gitCheck) checkSub() {
	k.checkPackProgram()
	switch k.g.sub {
	case "push":
		k.checkPush()
	case "reset":
		k.checkReset()
	case "clean":
		k.checkClean()
	case "checkout":
		k.checkCheckout()
	case "restore":
		k.checkRestore()
	case "switch":
		k.checkSwitch()
	case "branch":
		k.checkBranch()
	case "stash":
		k.checkStash()
	case "reflog":
		k.checkReflog()
	case "gc":
		k.checkGC()
	case "prune":
		k.checkPrune()
	case "filter-branch":
		k.checkFilterBranch()
	case "filter-repo":
		k.checkFilterRepo()
	case "update-ref":
		k.checkUpdateRef()
	case "worktree":
		k.checkWorktree()
	case "config":
		k.checkConfig()
	}
}

// checkPackProgram reports the options that name the program git runs at
// the other end of a transfer (--upload-pack, --receive-pack, --exec):
// for a repository on this machine git runs it here, through the shell.
func (k *gitCheck) checkPackProgram() {
	var opts []string
	switch k.g.sub {
	case "clone":
		opts = []string{"--upload-pack", "-u"}
	case "fetch", "pull":
		opts = []string{"--upload-pack"}
	case "ls-remote":
		opts = []string{"--upload-pack", "--exec"}
	case "push":
		opts = []string{"--receive-pack", "--exec"}
	case "archive":
		opts = []string{"--exec"}
	default:
		return
	}
	args := k.g.args
	for i, a := range args {
		for _, o := range opts {
			val, ok := "", false
			switch {
			case a.Value == o && i+1 < len(args):
				val, ok = args[i+1].String(), true
			case strings.HasPrefix(a.Value, o+"=") && strings.HasPrefix(o, "--"):
				val, ok = a.Value[len(o)+1:], true
			}
			if ok {
				k.report("git.config-exec", "makes git run `"+shown(val)+"` at the other end of the transfer ("+o+"), which for a repository on this machine runs here")
				return
			}
		}
	}
}

// report records a finding, with the alias chain and the prefix of an alias
// definition when there is one. What only destroys local work is not
// reported in a work tree under a temporary directory, which is scratch.
func (k *gitCheck) report(id, reason string) {
	if k.prefix == "" && localOnly(id) && k.scratch() {
		return
	}
	if len(k.g.alias) > 0 {
		reason += " (through git alias " + strings.Join(k.g.alias, " -> ") + ")"
	}
	k.c.Report(id, k.prefix+reason)
}

// localOnly reports whether rule id only ever destroys work in the local
// repository, as opposed to a remote or to what git may be made to run.
func localOnly(id string) bool {
	switch id {
	case "git.force-push", "git.force-push-lease", "git.push-delete",
		"git.config-exec", "git.unknown-subcommand":
		return false
	}
	return true
}

// scratch reports whether the command's work tree is under a temporary
// directory.
func (k *gitCheck) scratch() bool {
	root := k.root()
	if root == "" {
		return false
	}
	home := k.c.World.Home
	for _, t := range k.c.World.TempDirs {
		if root == t || strings.HasPrefix(root, strings.TrimSuffix(t, "/")+"/") {
			// A home that lives in a temporary directory (a throwaway
			// HOME under /tmp) keeps its projects protected.
			if home != "" && strings.HasPrefix(root+"/", home+"/") && strings.HasPrefix(home, strings.TrimSuffix(t, "/")+"/") {
				return false
			}
			return true
		}
	}
	return false
}

// parseGitGlobals splits git's arguments into the global options and the
// subcommand. It reports false when no subcommand runs (git --version, a
// bare git). config is the inline configuration already in effect.
func parseGitGlobals(args []interceptor.Word, config []gitSetting) (*gitCmd, bool) {
	g := &gitCmd{config: config}
	for i := 0; i < len(args); i++ {
		a := args[i].Value
		next := func() (string, bool) {
			if i+1 >= len(args) {
				return "", false
			}
			i++
			return args[i].Value, true
		}
		switch {
		case a == "-C":
			if v, ok := next(); ok {
				g.chdirs = append(g.chdirs, v)
			}
		case a == "-c":
			if v, ok := next(); ok {
				g.config = append(g.config, parseSetting(v, args[i].Unknown))
			}
		case a == "--config-env":
			if v, ok := next(); ok {
				g.config = append(g.config, configEnv(v))
			}
		case strings.HasPrefix(a, "--config-env="):
			g.config = append(g.config, configEnv(strings.TrimPrefix(a, "--config-env=")))
		case a == "--git-dir" || a == "--work-tree" || a == "--namespace" || a == "--super-prefix" || a == "--attr-source":
			if v, ok := next(); ok {
				g.setPathOpt(a, v)
			}
		case strings.HasPrefix(a, "--git-dir=") || strings.HasPrefix(a, "--work-tree="):
			name, v, _ := strings.Cut(a, "=")
			g.setPathOpt(name, v)
		case a == "--help" || a == "-h":
			return nil, false
		case a == "--version" || a == "-v" || a == "--html-path" || a == "--man-path" || a == "--info-path" || a == "--exec-path" || strings.HasPrefix(a, "--list-cmds="):
			return nil, false
		case strings.HasPrefix(a, "-"):
			// -p, -P, --paginate, --no-pager, --bare, --no-replace-objects,
			// --literal-pathspecs, --exec-path=..., and options git rejects.
		default:
			g.sub = a
			g.subWord = args[i]
			g.args = args[i+1:]
			return g, true
		}
	}
	return nil, false
}

// setPathOpt records the value of --git-dir or --work-tree.
func (g *gitCmd) setPathOpt(name, v string) {
	switch name {
	case "--git-dir":
		g.gitDir = v
	case "--work-tree":
		g.workTree = v
	}
}

// parseSetting parses the value of -c: "key=value", or "key" alone, which
// git reads as true.
func parseSetting(s string, unknown bool) gitSetting {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return gitSetting{key: s, value: "true", known: !unknown}
	}
	return gitSetting{key: k, value: v, known: !strings.Contains(v, interceptor.UnknownMark)}
}

// configEnv parses the value of --config-env: "key=ENVVAR". The value comes
// from the environment at run time and is not known.
func configEnv(s string) gitSetting {
	k, _, _ := strings.Cut(s, "=")
	return gitSetting{key: k}
}

// envGitConfig returns the configuration that GIT_CONFIG_COUNT,
// GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n give to one command.
func envGitConfig(assigns map[string]string) []gitSetting {
	var out []gitSetting
	n, err := strconv.Atoi(assigns["GIT_CONFIG_COUNT"])
	if err != nil {
		return nil
	}
	for i := 0; i < n && i < 1000; i++ {
		key, ok := assigns["GIT_CONFIG_KEY_"+strconv.Itoa(i)]
		if !ok {
			continue
		}
		v, ok := assigns["GIT_CONFIG_VALUE_"+strconv.Itoa(i)]
		out = append(out, gitSetting{key: key, value: v, known: ok && !strings.Contains(v, interceptor.UnknownMark)})
	}
	return out
}

// setting returns the last inline value of the configuration variable key
// (given in lower case), as git's last-one-wins rule reads it.
func (g *gitCmd) setting(key string) (gitSetting, bool) {
	for i := len(g.config) - 1; i >= 0; i-- {
		if canonicalKey(g.config[i].key) == key {
			return g.config[i], true
		}
	}
	return gitSetting{}, false
}

// canonicalKey lowers the section and the variable name of a config key,
// leaving a subsection ("remote.Origin.push" -> "remote.Origin.push" with
// section and name lowered) as git compares them.
func canonicalKey(k string) string {
	first := strings.IndexByte(k, '.')
	last := strings.LastIndexByte(k, '.')
	if first < 0 {
		return strings.ToLower(k)
	}
	if first == last {
		return strings.ToLower(k)
	}
	return strings.ToLower(k[:first]) + k[first:last] + strings.ToLower(k[last:])
}

// aliasBody returns the inline definition of the subcommand as an alias.
// Git never lets an alias shadow a builtin, so builtins this pack examines
// are not looked up.
func (g *gitCmd) aliasBody() (gitSetting, bool) {
	if g.sub == "" || isGitBuiltin(g.sub) {
		return gitSetting{}, false
	}
	return g.setting("alias." + strings.ToLower(g.sub))
}

// fileAlias looks the subcommand up as an alias in the git config files
// the command reads: the system, XDG and global files, then the
// repository's own config, the last definition winning. Include files are
// not followed. The key of the setting returned names the file.
func (k *gitCheck) fileAlias(sub string) (gitSetting, bool) {
	if sub == "" || isGitBuiltin(sub) || strings.Contains(sub, interceptor.UnknownMark) {
		return gitSetting{}, false
	}
	var files []string
	files = append(files, "/etc/gitconfig")
	if home := k.c.World.Home; home != "" {
		files = append(files, filepath.Join(home, ".config", "git", "config"), filepath.Join(home, ".gitconfig"))
	}
	if dir := k.commonDir(); dir != "" {
		files = append(files, filepath.Join(dir, "config"))
	}
	want := strings.ToLower(sub)
	var found gitSetting
	ok := false
	for _, f := range files {
		b, err := k.fs().ReadFile(f)
		if err != nil {
			continue
		}
		for _, e := range parseGitConfig(string(b)) {
			if e.section == "alias" && e.sub == "" && e.name == want {
				found, ok = gitSetting{key: "alias." + sub + " in " + f, value: e.value, known: true}, true
			}
		}
	}
	return found, ok
}

// configEntry is one variable of a git config file.
type configEntry struct {
	section, sub, name, value string
}

// parseGitConfig reads the variables of a git config file: [section] and
// [section "sub"] headers, "name = value" lines with quotes, escapes,
// comments and continuation lines. Section and variable names are lowered.
// Malformed lines are skipped.
func parseGitConfig(text string) []configEntry {
	var out []configEntry
	var section, sub string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				continue
			}
			head := line[1:end]
			section, sub = head, ""
			if sp := strings.IndexAny(head, " \t"); sp >= 0 {
				section = head[:sp]
				sub = strings.Trim(strings.TrimSpace(head[sp:]), `"`)
			} else if dot := strings.IndexByte(head, '.'); dot >= 0 {
				// The old [section.sub] syntax.
				section, sub = head[:dot], strings.ToLower(head[dot+1:])
			}
			section = strings.ToLower(section)
			line = strings.TrimSpace(line[end+1:])
			if line == "" || line[0] == '#' || line[0] == ';' {
				continue
			}
		}
		name, raw, hasValue := strings.Cut(line, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if !hasValue {
			out = append(out, configEntry{section: section, sub: sub, name: name, value: "true"})
			continue
		}
		// A value ending in an unquoted backslash continues on the
		// next line.
		for strings.HasSuffix(raw, "\\") && i+1 < len(lines) {
			i++
			raw = raw[:len(raw)-1] + lines[i]
		}
		out = append(out, configEntry{section: section, sub: sub, name: name, value: configValue(raw)})
	}
	return out
}

// configValue unquotes the value part of a config line.
func configValue(raw string) string {
	var b strings.Builder
	inQuote := false
	pendingSpace := ""
	started := false
	for i := 0; i < len(raw); i++ {
		ch := raw[i]
		switch {
		case ch == '"':
			inQuote = !inQuote
			b.WriteString(pendingSpace)
			pendingSpace = ""
			started = true
		case ch == '\\' && i+1 < len(raw):
			i++
			b.WriteString(pendingSpace)
			pendingSpace = ""
			started = true
			switch raw[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			default:
				b.WriteByte(raw[i])
			}
		case !inQuote && (ch == '#' || ch == ';'):
			return b.String()
		case !inQuote && (ch == ' ' || ch == '\t'):
			if started {
				pendingSpace += string(ch)
			}
		default:
			b.WriteString(pendingSpace)
			pendingSpace = ""
			b.WriteByte(ch)
			started = true
		}
	}
	return b.String()
}

// isGitBuiltin reports whether name is a git command that git runs instead
// of any alias of the same name. Only the commands that matter here and the
// everyday ones are listed: an alias of another builtin's name is never
// used by git, and expanding it here could only report too much.
func isGitBuiltin(name string) bool {
	switch name {
	case "push", "reset", "clean", "checkout", "restore", "switch", "branch",
		"stash", "reflog", "gc", "prune", "filter-branch", "update-ref",
		"worktree", "config", "status", "diff", "log", "show", "add",
		"commit", "pull", "fetch", "merge", "rebase", "tag", "remote",
		"init", "clone", "rm", "mv", "blame", "grep", "cherry-pick",
		"revert", "describe", "rev-parse", "ls-files", "help", "am", "apply",
		"archive", "bisect", "bundle", "cat-file", "cherry", "count-objects",
		"diff-tree", "difftool", "for-each-ref", "format-patch", "fsck",
		"hash-object", "ls-remote", "ls-tree", "maintenance", "merge-base",
		"mergetool", "name-rev", "notes", "range-diff", "read-tree", "repack",
		"rerere", "rev-list", "shortlog", "show-branch", "show-ref",
		"sparse-checkout", "submodule", "symbolic-ref", "var", "verify-commit",
		"version", "whatchanged", "write-tree":
		return true
	}
	return false
}

// expandAlias returns the command that running the alias with body gives:
// the body's words, which may hold global options and a subcommand,
// followed by the alias's own arguments.
func (g *gitCmd) expandAlias(body string) *gitCmd {
	words := splitGitCmdline(body)
	args := make([]interceptor.Word, 0, len(words)+len(g.args))
	for _, w := range words {
		args = append(args, interceptor.Word{Value: w})
	}
	args = append(args, g.args...)
	ng, ok := parseGitGlobals(args, g.config)
	if !ok {
		ng = &gitCmd{config: g.config}
	}
	ng.aliasChdirs = append(append([]string(nil), g.aliasChdirs...), ng.chdirs...)
	ng.chdirs = append(append([]string(nil), g.chdirs...), ng.chdirs...)
	if ng.gitDir == "" {
		ng.gitDir = g.gitDir
	}
	if ng.workTree == "" {
		ng.workTree = g.workTree
	}
	ng.alias = append(append([]string(nil), g.alias...), g.sub+"='"+body+"'")
	return ng
}

// splitGitCmdline splits an alias body into words the way git does: on
// blanks, with single and double quotes and backslash escapes.
func splitGitCmdline(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0 && ch == quote:
			quote = 0
		case quote == '\'':
			cur.WriteByte(ch)
		case ch == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case quote == '"':
			cur.WriteByte(ch)
		case ch == '\'' || ch == '"':
			quote = ch
			inWord = true
		case ch == ' ' || ch == '\t' || ch == '\n':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// --- where the command acts

// cwd is the directory git runs in. The interceptor already tracks the
// command line's -C into Invocation.Cwd; the -C options that alias bodies
// add are applied here.
func (k *gitCheck) cwd() string {
	dir := k.inv.Cwd
	for _, c := range k.g.aliasChdirs {
		if dir == "" {
			return ""
		}
		dir = interceptor.ResolvePath(dir, c)
	}
	return dir
}

// root is the top of the work tree the command acts on, or "" when unknown.
func (k *gitCheck) root() string {
	cwd := k.cwd()
	if k.g.workTree != "" {
		return interceptor.ResolvePath(cwd, k.g.workTree)
	}
	if k.g.gitDir != "" {
		// With --git-dir and no --work-tree, git takes the current
		// directory as the top of the work tree.
		return cwd
	}
	if cwd == "" {
		return ""
	}
	if r := k.c.World.ProjectRoot(cwd); r != "" {
		return r
	}
	return cwd
}

// inDir renders "in DIR" for a reason.
func inDir(dir string) string {
	if dir == "" {
		return "in the current repository"
	}
	return "in " + dir
}

// tail renders "(git SUB OPTS...)" for a reason.
func (k *gitCheck) tail(parts ...string) string {
	s := "git " + k.g.sub
	for _, p := range parts {
		if p != "" {
			s += " " + p
		}
	}
	return "(" + s + ")"
}

// fs returns the filesystem rules read the repository through.
func (k *gitCheck) fs() interceptor.FS {
	if k.c.World != nil {
		return k.c.World.pathFS()
	}
	return interceptor.OSFS{}
}

// commonDir returns the directory holding the repository's refs: .git, or
// the common directory of a linked work tree. "" when unknown.
func (k *gitCheck) commonDir() string {
	fsys := k.fs()
	var dir string
	switch {
	case k.g.gitDir != "":
		dir = interceptor.ResolvePath(k.cwd(), k.g.gitDir)
	default:
		cwd := k.cwd()
		if cwd == "" {
			return ""
		}
		r := k.c.World.ProjectRoot(cwd)
		if r == "" {
			return ""
		}
		dir = filepath.Join(r, ".git")
	}
	if dir == "" {
		return ""
	}
	fi, err := fsys.Stat(dir)
	if err != nil {
		return ""
	}
	if !fi.IsDir() {
		// A linked work tree or submodule: ".git" is "gitdir: PATH".
		b, err := fsys.ReadFile(dir)
		if err != nil {
			return ""
		}
		target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
		if !ok {
			return ""
		}
		dir = interceptor.ResolvePath(filepath.Dir(dir), strings.TrimSpace(target))
		if dir == "" {
			return ""
		}
	}
	if b, err := fsys.ReadFile(filepath.Join(dir, "commondir")); err == nil {
		dir = interceptor.ResolvePath(dir, strings.TrimSpace(string(b)))
	}
	return dir
}

// refState says whether a ref exists, as far as the files tell.
type refState int

const (
	refUnknown refState = iota
	refAbsent
	refPresent
)

// ref looks up a full ref name ("refs/heads/main") in the repository.
func (k *gitCheck) ref(full string) refState {
	if strings.Contains(full, interceptor.UnknownMark) {
		return refUnknown
	}
	dir := k.commonDir()
	if dir == "" {
		return refUnknown
	}
	fsys := k.fs()
	if fi, err := fsys.Stat(filepath.Join(dir, filepath.FromSlash(full))); err == nil && !fi.IsDir() {
		return refPresent
	}
	if b, err := fsys.ReadFile(filepath.Join(dir, "packed-refs")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if _, name, ok := strings.Cut(line, " "); ok && strings.TrimSpace(name) == full {
				return refPresent
			}
		}
	}
	return refAbsent
}

// currentBranch returns the branch HEAD points to, "" when detached or
// unknown.
func (k *gitCheck) currentBranch() string {
	dir := k.commonDir()
	if dir == "" {
		return ""
	}
	// In a linked work tree HEAD is in the private git dir, not the
	// common one; only the main work tree is read here.
	b, err := k.fs().ReadFile(filepath.Join(dir, "HEAD"))
	if err != nil {
		return ""
	}
	name, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "ref: refs/heads/")
	if !ok {
		return ""
	}
	return name
}

// --- option parsing

// argKind says whether an option takes a value.
type argKind int

const (
	noArg   argKind = iota
	needArg         // --opt V, --opt=V, -oV, -o V
	optArg          // --opt=V or --opt; -oV or -o
)

// optSpec is one option of a git subcommand. long is its long name without
// dashes ("" when short only), short its letter (0 when long only).
type optSpec struct {
	long  string
	short byte
	arg   argKind
}

// name is how parsed options refer to the option: the long name, or the
// letter of a short-only option.
func (s optSpec) name() string {
	if s.long != "" {
		return s.long
	}
	return string(s.short)
}

// gitOpt is one option as parsed.
type gitOpt struct {
	name     string // optSpec.name(), or the text of an unknown option
	value    string
	hasValue bool
	neg      bool   // --no-NAME
	raw      string // as written, for messages
}

// gitArgs are a subcommand's arguments as parse-options reads them.
type gitArgs struct {
	opts []gitOpt
	pos  []interceptor.Word
	// dashdash is the number of positional arguments before "--", -1 when
	// there is no "--".
	dashdash int
}

// parseGitOpts parses args against spec as git's parse-options does:
// options may follow arguments, "--" ends options, short options combine
// ("-xfd"), and a long option may be abbreviated to a unique prefix (an
// ambiguous prefix, which git rejects, is read as every option it could
// mean). With stopAtArg, the first argument ends the options.
func parseGitOpts(args []interceptor.Word, spec []optSpec, stopAtArg bool) gitArgs {
	p := gitArgs{dashdash: -1}
	for i := 0; i < len(args); i++ {
		a := args[i].Value
		switch {
		case a == "--":
			p.dashdash = len(p.pos)
			p.pos = append(p.pos, args[i+1:]...)
			return p
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			matches := matchLong(name, spec)
			if len(matches) == 0 {
				p.opts = append(p.opts, gitOpt{name: "--" + name, value: val, hasValue: hasVal, raw: a})
				continue
			}
			for _, m := range matches {
				o := gitOpt{name: m.spec.name(), neg: m.neg, raw: a, value: val, hasValue: hasVal}
				if m.spec.arg == needArg && !hasVal && !m.neg && len(matches) == 1 && i+1 < len(args) {
					i++
					o.value, o.hasValue = args[i].Value, true
				}
				p.opts = append(p.opts, o)
			}
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				s, ok := findShort(a[j], spec)
				if !ok {
					p.opts = append(p.opts, gitOpt{name: "-" + string(a[j]), raw: a})
					continue
				}
				o := gitOpt{name: s.name(), raw: a}
				if s.arg != noArg {
					if j+1 < len(a) {
						o.value, o.hasValue = a[j+1:], true
					} else if s.arg == needArg && i+1 < len(args) {
						i++
						o.value, o.hasValue = args[i].Value, true
					}
					p.opts = append(p.opts, o)
					break
				}
				p.opts = append(p.opts, o)
			}
		default:
			if stopAtArg {
				p.pos = append(p.pos, args[i:]...)
				return p
			}
			p.pos = append(p.pos, args[i])
		}
	}
	return p
}

type longMatch struct {
	spec optSpec
	neg  bool
}

// matchLong resolves a long option name against spec: an exact match (or
// the exact negation --no-NAME) wins, otherwise every option the name is a
// prefix of.
func matchLong(name string, spec []optSpec) []longMatch {
	if name == "" {
		return nil
	}
	for _, s := range spec {
		if s.long != "" && s.long == name {
			return []longMatch{{spec: s}}
		}
	}
	if rest, ok := strings.CutPrefix(name, "no-"); ok {
		for _, s := range spec {
			if s.long != "" && s.long == rest {
				return []longMatch{{spec: s, neg: true}}
			}
		}
	}
	var out []longMatch
	for _, s := range spec {
		if s.long == "" {
			continue
		}
		if strings.HasPrefix(s.long, name) {
			out = append(out, longMatch{spec: s})
		}
	}
	if len(out) == 0 {
		if rest, ok := strings.CutPrefix(name, "no-"); ok && rest != "" {
			for _, s := range spec {
				if s.long != "" && strings.HasPrefix(s.long, rest) {
					out = append(out, longMatch{spec: s, neg: true})
				}
			}
		}
	}
	return out
}

// findShort finds the option with the short letter ch.
func findShort(ch byte, spec []optSpec) (optSpec, bool) {
	for _, s := range spec {
		if s.short == ch {
			return s, true
		}
	}
	return optSpec{}, false
}

// flag reports whether any of the named options is set: given, and not
// negated by a later --no-NAME, as git's last-one-wins rule reads it.
func (p *gitArgs) flag(names ...string) bool {
	for _, n := range names {
		on := false
		for _, o := range p.opts {
			if o.name == n {
				on = !o.neg
			}
		}
		if on {
			return true
		}
	}
	return false
}

// count counts the named options, a negation resetting the count, as
// OPT_COUNTUP (-f -f) does.
func (p *gitArgs) count(name string) int {
	n := 0
	for _, o := range p.opts {
		if o.name == name {
			if o.neg {
				n = 0
			} else {
				n++
			}
		}
	}
	return n
}

// value returns the value of the last named option, and whether the option
// is given (and not negated).
func (p *gitArgs) value(name string) (gitOpt, bool) {
	var last gitOpt
	found := false
	for _, o := range p.opts {
		if o.name == name {
			last, found = o, !o.neg
		}
	}
	return last, found
}

// raws returns the named options as written, once each, for messages.
func (p *gitArgs) raws(names ...string) string {
	var out []string
	seen := map[string]bool{}
	for _, o := range p.opts {
		for _, n := range names {
			if o.name == n && !o.neg && !seen[o.raw] {
				seen[o.raw] = true
				out = append(out, o.raw)
			}
		}
	}
	return strings.Join(out, " ")
}

// wordList renders words for messages, at most four of them.
func wordList(ws []interceptor.Word) string {
	const max = 4
	var parts []string
	for i, w := range ws {
		if i == max {
			parts = append(parts, "and "+strconv.Itoa(len(ws)-max)+" more")
			break
		}
		parts = append(parts, w.String())
	}
	return strings.Join(parts, ", ")
}

// --- push

// pushSpec lists the options of git push.
func pushSpec() []optSpec {
	return []optSpec{
		{long: "all"}, {long: "branches"}, {long: "mirror"}, {long: "delete", short: 'd'},
		{long: "tags"}, {long: "follow-tags"}, {long: "dry-run", short: 'n'}, {long: "porcelain"},
		{long: "force", short: 'f'}, {long: "force-with-lease", arg: optArg}, {long: "force-if-includes"},
		{long: "repo", arg: needArg}, {long: "prune"}, {long: "verify"}, {long: "thin"},
		{long: "receive-pack", arg: needArg}, {long: "exec", arg: needArg},
		{long: "set-upstream", short: 'u'}, {long: "progress"}, {long: "recurse-submodules", arg: needArg},
		{long: "atomic"}, {long: "push-option", short: 'o', arg: needArg}, {long: "ipv4", short: '4'},
		{long: "ipv6", short: '6'}, {long: "signed", arg: optArg}, {long: "quiet", short: 'q'},
		{long: "verbose", short: 'v'},
	}
}

// refspec is one <refspec> of git push.
type refspec struct {
	force    bool
	src, dst string
	word     interceptor.Word
}

// parseRefspec reads "[+]<src>[:<dst>]". An unknown leading part cannot be
// read as a force or a deletion.
func parseRefspec(w interceptor.Word) refspec {
	v := w.Value
	r := refspec{word: w}
	if strings.HasPrefix(v, "+") {
		r.force = true
		v = v[1:]
	}
	if src, dst, ok := strings.Cut(v, ":"); ok {
		r.src, r.dst = src, dst
	} else {
		r.src, r.dst = v, v
	}
	return r
}

// shortRef strips refs/heads/ from a ref for messages.
func shortRef(s string) string {
	s = strings.TrimPrefix(s, "refs/heads/")
	return strings.ReplaceAll(s, interceptor.UnknownMark, "…")
}

// checkPush reports pushes that overwrite (-f, --force, +refspec,
// --force-with-lease) or delete (--delete, :ref, --prune, --mirror) remote
// refs. A dry run reports nothing. A refspec whose start is unknown
// ("$(git branch --show-current)") is taken as a plain push.
func (k *gitCheck) checkPush() {
	p := parseGitOpts(k.g.args, pushSpec(), false)
	if p.flag("dry-run") {
		return
	}
	var remote string
	refs := p.pos
	if len(refs) > 0 {
		remote = refs[0].String()
		refs = refs[1:]
	} else if o, ok := p.value("repo"); ok {
		remote = o.value
	}
	remoteName := remote
	if remoteName == "" {
		remoteName = "its upstream remote"
	}

	var specs []refspec
	for i := 0; i < len(refs); i++ {
		// "tag <name>" means refs/tags/<name>:refs/tags/<name>.
		if refs[i].Value == "tag" && i+1 < len(refs) {
			t := "refs/tags/" + refs[i+1].Value
			specs = append(specs, refspec{src: t, dst: t, word: refs[i+1]})
			i++
			continue
		}
		specs = append(specs, parseRefspec(refs[i]))
	}
	// The refspecs git uses when none is given may force too.
	if len(specs) == 0 && remote != "" {
		if s, ok := k.g.setting("remote." + remote + ".push"); ok {
			if !s.known {
				k.report("git.force-push", "pushes to "+remote+" with a remote."+remote+".push refspec that cannot be known before it runs; it may force-push or delete")
			} else {
				specs = append(specs, parseRefspec(interceptor.Word{Value: s.value}))
			}
		}
	}
	mirror := p.flag("mirror")
	if remote != "" {
		if s, ok := k.g.setting("remote." + remote + ".mirror"); ok && (!s.known || gitBool(s.value)) {
			mirror = true
		}
	}
	if mirror {
		k.report("git.push-delete", "mirrors every local ref to "+remoteName+", force-overwriting remote branches and tags and deleting every one that does not exist locally "+k.tail("--mirror"))
	}
	deleting := p.flag("delete")
	if deleting && len(specs) > 0 {
		var names []string
		for _, s := range specs {
			names = append(names, shortRef(s.src))
		}
		k.report("git.push-delete", "deletes "+plural(len(names), "branch", "branches")+" "+strings.Join(names, ", ")+" on "+remoteName+" "+k.tail(p.raws("delete")))
	}
	if !deleting {
		var deleted []string
		for _, s := range specs {
			// src is empty only after a literal ":" (":branch").
			if s.src == "" && s.dst != "" {
				deleted = append(deleted, shortRef(s.dst))
			}
		}
		if len(deleted) > 0 {
			k.report("git.push-delete", "deletes "+plural(len(deleted), "branch", "branches")+" "+strings.Join(deleted, ", ")+" on "+remoteName+" (git push "+remote+" :"+deleted[0]+")")
		}
	}
	if p.flag("prune") {
		k.report("git.push-delete", "deletes every branch on "+remoteName+" that has no local counterpart "+k.tail("--prune"))
	}

	force := p.flag("force")
	var forced []string
	for _, s := range specs {
		if s.force || force && !deleting && s.src != "" {
			forced = append(forced, shortRef(s.dst))
		}
	}
	what := ""
	switch {
	case len(forced) > 0:
		what = "to " + remoteName + " " + strings.Join(forced, ", ") + ", overwriting " + possessive(len(forced)) + " history"
	case force && deleting:
		// --force with --delete changes nothing the deletion did not.
	case force && p.flag("all", "branches"):
		what = "every local branch to " + remoteName + ", overwriting the history of the remote branches"
	case force && p.flag("tags"):
		what = "every tag to " + remoteName + ", moving tags that already exist there"
	case force && len(specs) == 0:
		to := "its upstream"
		if remote != "" {
			to = remote
		}
		what = k.currentOf() + " to " + to + ", overwriting the remote branch's history"
	}
	if what != "" {
		how := p.raws("force")
		if how == "" {
			how = remote
			for _, s := range specs {
				if s.force {
					how += " " + s.word.String()
				}
			}
		}
		k.report("git.force-push", "force-pushes "+what+" "+k.tail(how))
		return
	}
	if o, ok := p.value("force-with-lease"); ok && !deleting && !k.leaseOnFeatureBranches(specs) {
		target := k.currentOf() + " to " + remoteName
		if len(specs) > 0 {
			var names []string
			for _, s := range specs {
				names = append(names, shortRef(s.dst))
			}
			target = "to " + remoteName + " " + strings.Join(names, ", ")
		}
		k.report("git.force-push-lease", "force-pushes "+target+" with a lease: overwrites the remote history unless someone else pushed since the last fetch "+k.tail(o.raw))
	}
}

// currentOf names the branch a push without refspecs sends: "the current
// branch of /home/u/code/app".
func (k *gitCheck) currentOf() string {
	if root := k.root(); root != "" {
		return "the current branch of " + root
	}
	return "the current branch"
}

// plural picks the singular or plural noun for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// possessive returns "its" or "their" for n things.
func possessive(n int) string {
	if n == 1 {
		return "its"
	}
	return "their"
}

// gitBool reads a config boolean as git does; an unknown spelling is true,
// which is what matters when true is the dangerous value.
func gitBool(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "no", "off", "0", "":
		return false
	}
	return true
}

// --- reset

// resetSpec lists the options of git reset.
func resetSpec() []optSpec {
	return []optSpec{
		{long: "hard"}, {long: "soft"}, {long: "mixed"}, {long: "merge"}, {long: "keep"},
		{long: "quiet", short: 'q'}, {long: "refresh"}, {long: "patch", short: 'p'},
		{long: "recurse-submodules", arg: optArg}, {long: "intent-to-add", short: 'N'},
		{long: "pathspec-from-file", arg: needArg}, {long: "pathspec-file-nul"},
	}
}

// checkReset reports reset --hard (the last mode option wins, as in git).
func (k *gitCheck) checkReset() {
	p := parseGitOpts(k.g.args, resetSpec(), false)
	mode := ""
	for _, o := range p.opts {
		switch o.name {
		case "hard", "soft", "mixed", "merge", "keep":
			if !o.neg {
				mode = o.name
			}
		}
	}
	root := k.root()
	if mode == "merge" {
		// --merge resets the index: a staged change whose file was not
		// edited since is reverted in the working tree too, and lost.
		k.report("git.reset-hard", "discards the staged changes "+inDir(root)+" "+k.tail(p.raws("merge")))
		return
	}
	if mode != "hard" {
		return
	}
	raw := p.raws("hard")
	if len(p.pos) > 0 && p.dashdash != 0 {
		target := p.pos[0].String()
		k.report("git.reset-hard", "moves the current branch to "+target+" and discards all uncommitted changes "+inDir(root)+" "+k.tail(raw, target))
		return
	}
	k.report("git.reset-hard", "discards all uncommitted changes "+inDir(root)+" "+k.tail(raw))
}

// --- clean

// cleanSpec lists the options of git clean.
func cleanSpec() []optSpec {
	return []optSpec{
		{long: "quiet", short: 'q'}, {long: "dry-run", short: 'n'}, {long: "force", short: 'f'},
		{long: "interactive", short: 'i'}, {short: 'd'}, {short: 'x'}, {short: 'X'},
		{long: "exclude", short: 'e', arg: needArg},
	}
}

// checkClean reports a clean that deletes: -f in any spelling, or no -f
// with clean.requireForce=false, or -i fed from stdin; -n wins over all.
func (k *gitCheck) checkClean() {
	p := parseGitOpts(k.g.args, cleanSpec(), false)
	if p.flag("dry-run") {
		return
	}
	force := p.count("force")
	requireForce := true
	if s, ok := k.g.setting("clean.requireforce"); ok && s.known && !gitBool(s.value) {
		requireForce = false
	}
	interactive := p.flag("interactive")
	fed := interactive && k.inv.Stdin != nil
	if force == 0 && requireForce && !fed {
		return
	}
	what := "untracked files"
	if p.flag("d") {
		what = "untracked files and directories"
	}
	switch {
	case p.flag("X"):
		what = "ignored files (build output, .env files, local config)"
	case p.flag("x"):
		what += ", including ignored files such as .env files and local config,"
	}
	if force >= 2 {
		what += " and nested git repositories"
	}
	where := inDir(k.cwd())
	if len(p.pos) > 0 {
		where = "under " + wordList(p.pos) + " " + where
	}
	how := p.raws("force", "d", "x", "X", "interactive")
	if force == 0 && !fed {
		how = "with clean.requireForce=false"
	}
	verb := "deletes "
	if fed {
		verb = "deletes, answering its interactive prompt from stdin, "
	}
	k.report("git.clean", verb+what+" "+where+" "+k.tail(how))
}

// --- checkout, restore, switch

// checkoutSpec lists the options of git checkout.
func checkoutSpec() []optSpec {
	return []optSpec{
		{long: "quiet", short: 'q'}, {long: "progress"}, {long: "force", short: 'f'},
		{long: "merge", short: 'm'}, {long: "ours", short: '2'}, {long: "theirs", short: '3'},
		{short: 'b', arg: needArg}, {short: 'B', arg: needArg}, {long: "orphan", arg: needArg},
		{long: "track", short: 't', arg: optArg}, {long: "guess"}, {short: 'l'}, {long: "detach"},
		{long: "conflict", arg: needArg}, {long: "patch", short: 'p'},
		{long: "ignore-skip-worktree-bits"}, {long: "ignore-other-worktrees"},
		{long: "overwrite-ignore"}, {long: "recurse-submodules", arg: optArg}, {long: "overlay"},
		{long: "pathspec-from-file", arg: needArg}, {long: "pathspec-file-nul"},
	}
}

// checkCheckout reports a checkout of paths (after "--", a tree-ish and
// paths, or one argument that is a path) and checkout -f. A checkout of a
// branch, or creating one with -b/-B/--orphan, reports nothing.
func (k *gitCheck) checkCheckout() {
	p := parseGitOpts(k.g.args, checkoutSpec(), false)
	creating := false
	for _, o := range p.opts {
		if o.name == "b" || o.name == "B" || o.name == "orphan" {
			creating = true
		}
	}
	var tree string
	var paths []interceptor.Word
	switch {
	case p.dashdash >= 0:
		if p.dashdash > 0 {
			tree = p.pos[0].String()
		}
		paths = p.pos[p.dashdash:]
	case creating:
		// The argument is the start point of the new branch.
	case len(p.pos) >= 2:
		tree = p.pos[0].String()
		paths = p.pos[1:]
	case len(p.pos) == 1 && k.looksLikePath(p.pos[0]):
		paths = p.pos
	}
	fromFile, hasFile := p.value("pathspec-from-file")
	if len(paths) > 0 || hasFile {
		if p.flag("patch") && k.inv.Stdin == nil {
			// Interactive: each hunk is asked about on a terminal.
			return
		}
		if !hasFile && !k.wholesale(paths) {
			// Named files, as an agent reverts its own edit: not wholesale.
			return
		}
		what := wordList(paths)
		if hasFile {
			what = joinNonEmpty(what, "the paths listed in "+fromFile.value)
		}
		if tree != "" {
			k.report("git.discard-changes", "overwrites "+what+" "+inDir(k.cwd())+" with the version from "+tree+", discarding uncommitted changes "+k.tail(tree, "--", wordList(paths)))
			return
		}
		k.report("git.discard-changes", "discards uncommitted changes to "+what+" "+inDir(k.cwd())+" "+k.tail("--", wordList(paths)))
		return
	}
	if p.flag("force") {
		target := "the same branch"
		if len(p.pos) > 0 {
			target = p.pos[0].String()
		}
		for _, o := range p.opts {
			if o.name == "b" || o.name == "B" || o.name == "orphan" {
				target = "new branch " + o.value
			}
		}
		k.report("git.discard-changes", "checks out "+target+", discarding all uncommitted changes "+inDir(k.root())+" "+k.tail(p.raws("force")))
	}
}

// joinNonEmpty joins two descriptions with "and", dropping an empty first.
func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + " and " + b
}

// looksLikePath reports whether the only argument of git checkout names
// paths rather than a branch: ".", a directory spelled with "/", a pattern
// (no ref name holds * ? or [), pathspec magic, or an existing file or
// directory of the work tree that no local branch is named after. An
// argument whose value is unknown is taken as a branch, the everyday case
// (git checkout "$BRANCH").
func (k *gitCheck) looksLikePath(w interceptor.Word) bool {
	v := w.Value
	if w.Unknown {
		return false
	}
	switch {
	case v == "." || v == ".." || v == ":/" || v == "*":
		return true
	case strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.HasSuffix(v, "/"):
		return true
	case strings.HasPrefix(v, ":("):
		return true
	case w.Glob || strings.ContainsAny(v, "*?["):
		return true
	}
	switch v {
	case "-", "HEAD", "@", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD":
		return false
	}
	if strings.HasPrefix(v, "@{") || strings.HasPrefix(v, "-") {
		return false
	}
	full := interceptor.ResolvePath(k.cwd(), v)
	if full == "" {
		return false
	}
	if _, err := k.fs().Stat(full); err != nil {
		return false
	}
	return k.ref("refs/heads/"+v) == refAbsent
}

// wholesale reports whether pathspecs discard work-tree changes wholesale:
// ".", a directory, a glob or pathspec magic, the root, or a path that
// cannot be known. Naming existing files one by one is not wholesale.
func (k *gitCheck) wholesale(paths []interceptor.Word) bool {
	if len(paths) > 8 {
		return true
	}
	for _, w := range paths {
		v := w.Value
		if w.Unknown || w.Glob || v == "" || v == "." || v == ".." || strings.HasSuffix(v, "/") ||
			strings.HasPrefix(v, ":") || strings.ContainsAny(v, "*?[") {
			return true
		}
		full := interceptor.ResolvePath(k.cwd(), v)
		if full == "" {
			return true
		}
		if fi, err := k.fs().Stat(full); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

// restoreSpec lists the options of git restore.
func restoreSpec() []optSpec {
	return []optSpec{
		{long: "source", short: 's', arg: needArg}, {long: "patch", short: 'p'},
		{long: "worktree", short: 'W'}, {long: "staged", short: 'S'}, {long: "quiet", short: 'q'},
		{long: "progress"}, {long: "ours", short: '2'}, {long: "theirs", short: '3'},
		{long: "merge", short: 'm'}, {long: "conflict", arg: needArg}, {long: "ignore-unmerged"},
		{long: "ignore-skip-worktree-bits"}, {long: "recurse-submodules", arg: optArg},
		{long: "overlay"}, {long: "pathspec-from-file", arg: needArg}, {long: "pathspec-file-nul"},
	}
}

// checkRestore reports a restore of paths in the work tree: without
// --staged, or with --worktree. Restoring only the index reports nothing.
func (k *gitCheck) checkRestore() {
	p := parseGitOpts(k.g.args, restoreSpec(), false)
	worktree := p.flag("worktree") || !p.flag("staged")
	fromFile, hasFile := p.value("pathspec-from-file")
	if !worktree || len(p.pos) == 0 && !hasFile {
		return
	}
	if p.flag("patch") && k.inv.Stdin == nil {
		return
	}
	if !hasFile && !k.wholesale(p.pos) {
		return // named files, not wholesale
	}
	what := wordList(p.pos)
	if hasFile {
		what = joinNonEmpty(what, "the paths listed in "+fromFile.value)
	}
	also := ""
	if p.flag("staged") {
		also = " and the index"
	}
	if src, ok := p.value("source"); ok {
		k.report("git.discard-changes", "overwrites "+what+" "+inDir(k.cwd())+also+" with the version from "+src.value+", discarding uncommitted changes "+k.tail(src.raw, wordList(p.pos)))
		return
	}
	k.report("git.discard-changes", "discards uncommitted changes to "+what+" "+inDir(k.cwd())+also+" "+k.tail(wordList(p.pos)))
}

// switchSpec lists the options of git switch.
func switchSpec() []optSpec {
	return []optSpec{
		{long: "create", short: 'c', arg: needArg}, {long: "force-create", short: 'C', arg: needArg},
		{long: "detach", short: 'd'}, {long: "guess"}, {long: "discard-changes"},
		{long: "force", short: 'f'}, {long: "merge", short: 'm'}, {long: "conflict", arg: needArg},
		{long: "quiet", short: 'q'}, {long: "progress"}, {long: "track", short: 't', arg: optArg},
		{long: "orphan", arg: needArg}, {long: "ignore-other-worktrees"},
		{long: "recurse-submodules", arg: optArg},
	}
}

// checkSwitch reports switch --discard-changes and its alias -f/--force.
func (k *gitCheck) checkSwitch() {
	p := parseGitOpts(k.g.args, switchSpec(), false)
	if !p.flag("discard-changes") && !p.flag("force") {
		return
	}
	target := "another branch"
	if o, ok := p.value("create"); ok {
		target = "new branch " + o.value
	} else if o, ok := p.value("force-create"); ok {
		target = "branch " + o.value
	} else if len(p.pos) > 0 {
		target = p.pos[0].String()
	}
	k.report("git.discard-changes", "switches to "+target+", discarding all uncommitted changes "+inDir(k.root())+" "+k.tail(p.raws("discard-changes", "force")))
}

// --- branch

// branchSpec lists the options of git branch.
func branchSpec() []optSpec {
	return []optSpec{
		{long: "delete", short: 'd'}, {short: 'D'}, {long: "force", short: 'f'},
		{long: "move", short: 'm'}, {short: 'M'}, {long: "copy", short: 'c'}, {short: 'C'},
		{long: "remotes", short: 'r'}, {long: "all", short: 'a'}, {long: "list", short: 'l'},
		{long: "verbose", short: 'v'}, {long: "quiet", short: 'q'}, {long: "track", short: 't', arg: optArg},
		{long: "set-upstream-to", short: 'u', arg: needArg}, {long: "unset-upstream"},
		{long: "color", arg: optArg}, {long: "column", arg: optArg}, {long: "sort", arg: needArg},
		{long: "points-at", arg: needArg}, {long: "contains", arg: optArg},
		{long: "merged", arg: optArg}, {long: "edit-description"}, {long: "abbrev", arg: optArg},
		{long: "ignore-case", short: 'i'}, {long: "omit-empty"}, {long: "format", arg: needArg},
		{long: "show-current"}, {long: "create-reflog"}, {long: "recurse-submodules"},
	}
}

// checkBranch reports branch -D (or -d with -f) and a forced rename, copy
// or reset onto an existing branch. Remote-tracking branches (-r) are left
// alone: the next fetch brings them back.
func (k *gitCheck) checkBranch() {
	p := parseGitOpts(k.g.args, branchSpec(), false)
	if p.flag("remotes") {
		// Remote-tracking refs come back with the next fetch.
		return
	}
	force := p.flag("force")
	names := p.pos
	switch {
	case p.flag("D") || p.flag("delete") && force:
		if len(names) == 0 || k.deletedBranchesKept(names) {
			return
		}
		k.report("git.branch-delete", "force-deletes "+plural(len(names), "branch", "branches")+" "+wordList(names)+", with any commits not merged into another branch "+k.tail(p.raws("D", "delete", "force")))
	case p.flag("M") || p.flag("move") && force:
		k.branchOntoExisting(names, "renames", p.raws("M", "move", "force"))
	case p.flag("C") || p.flag("copy") && force:
		k.branchOntoExisting(names, "copies", p.raws("C", "copy", "force"))
	case force && !p.flag("delete", "move", "copy", "list", "all", "show-current", "edit-description", "unset-upstream") && len(names) > 0:
		if _, ok := p.value("set-upstream-to"); ok {
			return
		}
		name := names[0]
		if k.existingBranch(name) == refAbsent {
			return
		}
		start := "HEAD"
		if len(names) > 1 {
			start = names[1].String()
		}
		k.report("git.branch-overwrite", "moves existing branch "+name.String()+" to "+start+", away from its current commits "+k.tail(p.raws("force"), name.String(), start))
	}
}

// branchOntoExisting reports a forced rename or copy when its target branch
// exists, or when that cannot be told.
func (k *gitCheck) branchOntoExisting(names []interceptor.Word, verb, how string) {
	var from string
	var to interceptor.Word
	switch len(names) {
	case 1:
		from, to = "the current branch", names[0]
		if cur := k.currentBranch(); cur != "" {
			if cur == to.Value {
				// git branch -M main on main: nothing is overwritten.
				return
			}
			from = cur
		}
	case 2:
		from, to = names[0].String(), names[1]
		if names[0].Value == to.Value && !to.Unknown {
			return
		}
	default:
		return
	}
	if k.existingBranch(to) == refAbsent {
		return
	}
	k.report("git.branch-overwrite", verb+" "+from+" to "+to.String()+", overwriting the existing branch "+to.String()+" and losing track of its commits "+k.tail(how))
}

// existingBranch looks up the local branch named by w.
func (k *gitCheck) existingBranch(w interceptor.Word) refState {
	if w.Unknown {
		return refUnknown
	}
	return k.ref("refs/heads/" + w.Value)
}

// --- stash, reflog, gc, prune

// checkStash reports stash drop and stash clear. Any other first argument
// (an option, a message) is a stash push or a harmless subcommand.
func (k *gitCheck) checkStash() {
	args := k.g.args
	for len(args) > 0 && (args[0].Value == "-q" || args[0].Value == "--quiet") {
		args = args[1:]
	}
	if len(args) == 0 {
		return
	}
	switch args[0].Value {
	case "drop":
		p := parseGitOpts(args[1:], []optSpec{{long: "quiet", short: 'q'}}, false)
		entry := "the latest stash entry (stash@{0})"
		if len(p.pos) > 0 {
			entry = "stash entry " + p.pos[0].String()
		}
		k.report("git.stash-drop", "permanently deletes "+entry+" and the work saved in it "+k.tail("drop"))
	case "clear":
		k.report("git.stash-drop", "permanently deletes every stash entry and the work saved in them "+k.tail("clear"))
	}
}

// checkReflog reports reflog expire and reflog delete, unless a dry run.
func (k *gitCheck) checkReflog() {
	if len(k.g.args) == 0 {
		return
	}
	sub := k.g.args[0].Value
	if sub != "expire" && sub != "delete" {
		return
	}
	p := parseGitOpts(k.g.args[1:], []optSpec{
		{long: "expire", arg: needArg}, {long: "expire-unreachable", arg: needArg},
		{long: "rewrite"}, {long: "updateref"}, {long: "stale-fix"}, {long: "dry-run", short: 'n'},
		{long: "verbose"}, {long: "all"}, {long: "single-worktree"},
	}, false)
	if p.flag("dry-run") {
		return
	}
	how := sub
	if o, ok := p.value("expire"); ok {
		how += " " + o.raw
	}
	if sub == "delete" {
		how += " " + wordList(p.pos)
	}
	k.report("git.reflog-expire", "removes reflog entries, the record that lets commits lost to a reset, rebase or branch deletion be recovered "+k.tail(how))
}

// pruneNow reports whether an expiry date given to gc or prune deletes
// unreachable objects sooner than git's default grace period.
func pruneNow(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "never", "false", "2.weeks.ago", "2.weeks", "2 weeks ago":
		return false
	}
	return true
}

// checkGC reports gc with a --prune date sooner than the default, or
// with inline gc.pruneExpire/gc.reflogExpire settings that are.
func (k *gitCheck) checkGC() {
	p := parseGitOpts(k.g.args, []optSpec{
		{long: "prune", arg: optArg}, {long: "aggressive"}, {long: "auto"}, {long: "quiet", short: 'q'},
		{long: "force"}, {long: "keep-largest-pack"}, {long: "cruft"}, {long: "max-cruft-size", arg: needArg},
		{long: "detach"}, {long: "expire-to", arg: needArg},
	}, false)
	if o, ok := p.value("prune"); ok && o.hasValue && pruneNow(o.value) {
		k.report("git.gc-prune", "permanently deletes unreachable commits and objects at once, so work lost to a reset, rebase or branch deletion can no longer be recovered "+k.tail(o.raw))
		return
	}
	for _, key := range []string{"gc.pruneexpire", "gc.reflogexpire", "gc.reflogexpireunreachable"} {
		if s, ok := k.g.setting(key); ok && (!s.known || pruneNow(s.value)) {
			k.report("git.gc-prune", "expires reflogs or unreachable objects at once ("+s.key+"="+s.value+"), so lost work can no longer be recovered "+k.tail())
			return
		}
	}
}

// checkPrune reports git prune, unless a dry run or given a grace period.
func (k *gitCheck) checkPrune() {
	p := parseGitOpts(k.g.args, []optSpec{
		{long: "dry-run", short: 'n'}, {long: "verbose", short: 'v'}, {long: "progress"},
		{long: "expire", arg: needArg},
	}, false)
	if p.flag("dry-run") {
		return
	}
	if o, ok := p.value("expire"); ok && !pruneNow(o.value) {
		return
	}
	k.report("git.gc-prune", "permanently deletes every unreachable object, so commits lost to a reset, rebase or branch deletion can no longer be recovered "+k.tail(p.raws("expire")))
}

// --- history rewriting and refs

// checkFilterBranch reports filter-branch, naming the shell filters it
// would run on every commit.
func (k *gitCheck) checkFilterBranch() {
	var filters []string
	args := k.g.args
	for i := 0; i+1 < len(args); i++ {
		switch args[i].Value {
		case "--env-filter", "--tree-filter", "--index-filter", "--parent-filter",
			"--msg-filter", "--commit-filter", "--tag-name-filter":
			filters = append(filters, "`"+args[i+1].String()+"`")
			i++
		}
	}
	reason := "rewrites every commit of the history it is given " + inDir(k.root()) + ", replacing their ids"
	if len(filters) > 0 {
		reason += ", and runs " + strings.Join(filters, ", ") + " as shell code on each one"
	}
	k.report("git.rewrite-history", reason+" "+k.tail())
}

// checkFilterRepo reports filter-repo, except its read-only --analyze and
// --dry-run (which filters a copy of the fast-export stream and leaves the
// repository as it was).
func (k *gitCheck) checkFilterRepo() {
	for _, a := range k.g.args {
		if a.Value == "--analyze" || a.Value == "--dry-run" || a.Value == "--help" || a.Value == "-h" || a.Value == "--version" {
			return
		}
	}
	k.report("git.rewrite-history", "rewrites the whole history of the repository "+inDir(k.root())+", replacing every commit id and removing the origin remote "+k.tail())
}

// checkUpdateRef reports update-ref -d, an update-ref that moves an
// existing ref, and update-ref --stdin whose input deletes or updates a
// ref or cannot be known.
func (k *gitCheck) checkUpdateRef() {
	p := parseGitOpts(k.g.args, []optSpec{
		{short: 'd'}, {short: 'm', arg: needArg}, {long: "no-deref"}, {long: "stdin"},
		{short: 'z'}, {long: "create-reflog"}, {long: "batch-updates"},
	}, false)
	if p.flag("stdin") {
		in := k.inv.Stdin
		if in == nil || !in.Known {
			k.report("git.update-ref", "applies ref updates read from stdin, which may delete or move branches with no safety checks "+k.tail("--stdin"))
			return
		}
		for _, line := range strings.Split(strings.ReplaceAll(in.Data, "\x00", "\n"), "\n") {
			verb, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
			if verb == "delete" || verb == "update" {
				ref, _, _ := strings.Cut(rest, " ")
				k.report("git.update-ref", verb+"s "+ref+" with no safety checks "+k.tail("--stdin"))
				return
			}
		}
		return
	}
	if len(p.pos) == 0 {
		return
	}
	ref := p.pos[0]
	if p.flag("d") {
		k.report("git.update-ref", "deletes "+ref.String()+" with none of the checks of git branch -d, dropping its commits from every branch "+k.tail("-d", ref.String()))
		return
	}
	if len(p.pos) < 2 {
		return
	}
	name := ref.Value
	if !strings.HasPrefix(name, "refs/") {
		return
	}
	if ref.Unknown || k.ref(name) != refAbsent {
		k.report("git.update-ref", "moves "+ref.String()+" to "+p.pos[1].String()+", away from its current commit "+k.tail(ref.String(), p.pos[1].String()))
	}
}

// checkWorktree reports worktree remove --force, which deletes a work
// tree with its uncommitted changes.
func (k *gitCheck) checkWorktree() {
	if len(k.g.args) == 0 || k.g.args[0].Value != "remove" {
		return
	}
	p := parseGitOpts(k.g.args[1:], []optSpec{{long: "force", short: 'f'}}, false)
	if p.count("force") == 0 || len(p.pos) == 0 {
		return
	}
	dir := p.pos[0].String()
	if full := interceptor.ResolvePath(k.cwd(), p.pos[0].Value); full != "" {
		dir = full
	}
	k.report("git.discard-changes", "deletes the work tree "+dir+" with its uncommitted changes and untracked files "+k.tail("remove", p.raws("force")))
}

// --- configuration that runs commands

// checkEnv judges the GIT_* variables given to the command that make git
// run a program.
func (k *gitCheck) checkEnv() {
	if _, ok := k.inv.Assigns["GIT_CONFIG_PARAMETERS"]; ok {
		k.report("git.config-exec", "sets git configuration through GIT_CONFIG_PARAMETERS, which guard does not read; it can make git run any command")
	}
	for _, name := range []string{"GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_PAGER", "GIT_SSH_COMMAND", "GIT_SSH", "GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "GIT_PROXY_COMMAND"} {
		v, ok := k.inv.Assigns[name]
		if !ok || safeGitCommand(v) {
			continue
		}
		k.report("git.config-exec", "makes git run `"+shown(v)+"` as "+name)
	}
}

// shown renders a value with unknown parts as "…".
func shown(v string) string {
	return strings.ReplaceAll(v, interceptor.UnknownMark, "…")
}

// execKey reports whether configuration variable key (canonical form)
// names a command git runs, and whether a boolean value is also allowed.
func execKey(key string) (isExec, boolOK bool) {
	switch key {
	case "core.pager", "core.editor", "sequence.editor", "core.sshcommand", "core.askpass",
		"core.gitproxy", "diff.external", "gpg.program", "uploadpack.packobjectshook",
		"interactive.difffilter", "web.browser", "sendemail.smtpserver":
		return true, false
	case "core.fsmonitor":
		return true, true
	}
	section, rest, _ := strings.Cut(key, ".")
	last := rest
	if i := strings.LastIndexByte(rest, '.'); i >= 0 {
		last = rest[i+1:]
	}
	switch section {
	case "pager":
		return true, true
	case "diff":
		return last == "textconv" || last == "command", false
	case "merge":
		return last == "driver", false
	case "filter":
		return last == "clean" || last == "smudge" || last == "process", false
	case "gpg":
		return last == "program", false
	case "browser", "man", "difftool", "mergetool":
		return last == "cmd" || last == "path", false
	case "remote":
		return last == "uploadpack" || last == "receivepack", false
	}
	return false, false
}

// checkSetting judges one configuration variable set inline (-c) or
// written to a config file (git config).
func (k *gitCheck) checkSetting(s gitSetting, inline bool) {
	key := canonicalKey(s.key)
	val := shown(s.value)
	how := "-c " + s.key + "=" + val
	if !inline {
		how = "git config " + s.key + " " + val
	}
	if !s.known {
		val = "…"
	}
	if name, ok := strings.CutPrefix(key, "alias."); ok && !inline {
		switch {
		case !s.known:
			k.report("git.config-exec", "defines git alias "+name+" with a definition that cannot be known before it runs ("+how+")")
		case strings.HasPrefix(s.value, "!"):
			k.report("git.config-exec", "defines git alias "+name+" that runs the shell command `"+strings.TrimSpace(val[1:])+"` ("+how+")")
		default:
			k.checkAliasBody(name, s.value)
		}
		return
	}
	if isExec, boolOK := execKey(key); isExec {
		if s.known && (safeGitCommand(s.value) || boolOK && isGitBoolWord(s.value)) {
			return
		}
		if inline {
			k.report("git.config-exec", "makes git run `"+val+"` as "+s.key+" ("+how+")")
		} else {
			k.report("git.config-exec", "sets "+s.key+" to `"+val+"`, a command git will run later ("+how+")")
		}
		return
	}
	if key == "credential.helper" || strings.HasPrefix(key, "credential.") && strings.HasSuffix(key, ".helper") {
		if s.known && !strings.HasPrefix(s.value, "!") && !strings.Contains(s.value, "/") {
			return
		}
		k.report("git.config-exec", "makes git run `"+val+"` as a credential helper ("+how+")")
		return
	}
	if inline {
		// The effect on one command is judged with that command (push,
		// clean, gc).
		return
	}
	switch {
	case strings.HasPrefix(key, "remote.") && strings.HasSuffix(key, ".push") && (!s.known || strings.HasPrefix(s.value, "+") || strings.HasPrefix(s.value, ":")):
		k.report("git.force-push", "makes every later push to that remote force-push or delete ("+how+")")
	case strings.HasPrefix(key, "remote.") && strings.HasSuffix(key, ".mirror") && (!s.known || gitBool(s.value)):
		k.report("git.push-delete", "makes every later push to that remote mirror all refs, deleting remote branches that do not exist locally ("+how+")")
	case key == "clean.requireforce" && s.known && !gitBool(s.value):
		k.report("git.clean", "lets every later git clean delete untracked files without -f ("+how+")")
	case (key == "gc.pruneexpire" || key == "gc.reflogexpire" || key == "gc.reflogexpireunreachable") && (!s.known || pruneNow(s.value)):
		k.report("git.gc-prune", "makes every later git gc delete unreachable commits or reflog entries at once ("+how+")")
	}
}

// checkAliasBody judges the git command an alias being defined would run,
// as if it ran now.
func (k *gitCheck) checkAliasBody(name, body string) {
	words := splitGitCmdline(body)
	args := make([]interceptor.Word, len(words))
	for i, w := range words {
		args[i] = interceptor.Word{Value: w}
	}
	g, ok := parseGitGlobals(args, nil)
	if !ok {
		return
	}
	sub := &gitCheck{c: k.c, inv: k.inv, g: g, prefix: "defines git alias " + name + " for `git " + body + "`, which "}
	for _, s := range g.config {
		sub.checkSetting(s, true)
	}
	sub.checkSub()
}

// isGitBoolWord reports whether v is one of git's boolean spellings.
func isGitBoolWord(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "false", "yes", "no", "on", "off", "1", "0":
		return true
	}
	return false
}

// safeGitCommand reports whether a command git would run from its
// configuration or environment is one that only shows or edits text: a
// pager or editor such as cat, less, vim or code, or true, with plain
// arguments and no shell syntax.
func safeGitCommand(v string) bool {
	if strings.Contains(v, interceptor.UnknownMark) {
		return false
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return true
	}
	if strings.ContainsAny(v, ";|&$`<>()\n\\'\"*?{}") {
		return false
	}
	fields := strings.Fields(v)
	switch path.Base(fields[0]) {
	case "cat", "less", "more", "most", "true", "false", ":", "vi", "vim", "nvim", "nano",
		"emacs", "emacsclient", "code", "code-insiders", "subl", "mate", "zed", "delta",
		"diff-so-fancy", "bat", "ssh", "plink":
	default:
		return false
	}
	return true
}

// --- git config

// checkConfig judges a value written by git config (or git config set):
// aliases, commands git will run, and settings that make later pushes,
// cleans or gcs destructive. Reading, listing and unsetting report nothing.
func (k *gitCheck) checkConfig() {
	args := k.g.args
	if len(args) > 0 {
		switch args[0].Value {
		case "set":
			args = args[1:]
		case "get", "list", "unset", "rename-section", "remove-section", "edit", "get-color", "get-colorbool":
			return
		}
	}
	p := parseGitOpts(args, []optSpec{
		{long: "global"}, {long: "system"}, {long: "local"}, {long: "worktree"},
		{long: "file", short: 'f', arg: needArg}, {long: "blob", arg: needArg},
		{long: "type", arg: needArg}, {long: "default", arg: needArg}, {long: "value", arg: needArg},
		{long: "comment", arg: needArg}, {long: "add"}, {long: "replace-all"}, {long: "append"},
		{long: "all"}, {long: "fixed-value"}, {long: "bool"}, {long: "int"}, {long: "bool-or-int"},
		{long: "path"}, {long: "expiry-date"}, {long: "null", short: 'z'}, {long: "show-origin"},
		{long: "show-scope"}, {long: "includes"}, {long: "name-only"},
		{long: "get"}, {long: "get-all"}, {long: "get-regexp"}, {long: "get-urlmatch"},
		{long: "unset"}, {long: "unset-all"}, {long: "list", short: 'l'}, {long: "edit", short: 'e'},
		{long: "rename-section"}, {long: "remove-section"}, {long: "get-color"}, {long: "get-colorbool"},
	}, false)
	if p.flag("get", "get-all", "get-regexp", "get-urlmatch", "unset", "unset-all", "list", "edit",
		"rename-section", "remove-section", "get-color", "get-colorbool") {
		return
	}
	if len(p.pos) < 2 {
		return
	}
	val := p.pos[1]
	k.checkSetting(gitSetting{key: p.pos[0].Value, value: val.Value, known: !val.Unknown}, false)
}
