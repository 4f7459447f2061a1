package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// RegistryPack returns the rules about package registries: commands that
// take a published package away from everyone who depends on it (npm,
// pnpm and yarn unpublish, NuGet delete), or mark it unusable (cargo yank,
// gem yank) or deprecated (npm deprecate). Unpublishing on npm is for good:
// the version number can never be published again.
//
// Publishing (npm publish, cargo publish, gem push), installing and running
// scripts report nothing. npm's unique abbreviations of its commands
// ("npm unpub", "npm depr") are understood; cargo yank --undo and npm
// deprecate with an empty message, which undo a yank or a deprecation,
// report nothing.
func RegistryPack() *Pack {
	return &Pack{
		Name:     "registry",
		Commands: []string{"npm", "pnpm", "yarn", "cargo", "gem", "dotnet", "nuget"},
		Check:    regCheck,
		Rules: []Rule{
			{ID: "registry.unpublish", Default: Confirm, Summary: "npm/pnpm/yarn unpublish, dotnet nuget delete: removes published package versions from the registry"},
			{ID: "registry.yank", Default: Confirm, Summary: "cargo yank, gem yank: withdraws a published version so that nothing new can depend on it"},
			{ID: "registry.deprecate", Default: Confirm, Summary: "npm deprecate: marks published versions deprecated for everyone who installs them"},
			{ID: "registry.unknown-subcommand", Default: Confirm, Summary: "package manager subcommand that cannot be known statically"},
		},
	}
}

// regNpmSpec is how npm, pnpm and yarn spell the options this pack may meet.
func regNpmSpec() cliSpec {
	return cliSpec{
		short: "wC",
		long: []string{"--registry", "--otp", "--workspace", "--tag", "--access", "--userconfig",
			"--prefix", "--cache", "--loglevel", "--scope", "--filter", "--dir", "--cwd"},
	}
}

// regCheck dispatches on the package manager.
func regCheck(c *Call) {
	switch c.Inv.Name {
	case "npm", "pnpm", "yarn":
		regNpm(c)
	case "cargo":
		regCargo(c)
	case "gem":
		regGem(c)
	case "dotnet", "nuget":
		regNuget(c)
	}
}

// regUnknown reports a subcommand word that cannot be known.
func regUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("registry.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
	return true
}

// regAbbrev reports whether s is full or an abbreviation of at least min
// letters of it, as npm accepts unique abbreviations of its commands.
func regAbbrev(s, full string, min int) bool {
	return len(s) >= min && strings.HasPrefix(full, s)
}

// regSplitSpec splits an npm package spec into name and version range:
// "left-pad@1.0.0", "@scope/pkg@^2".
func regSplitSpec(spec string) (name, version string) {
	if at := strings.LastIndexByte(spec, '@'); at > 0 {
		return spec[:at], spec[at+1:]
	}
	return spec, ""
}

// regNpm judges npm, pnpm and yarn unpublish and deprecate.
func regNpm(c *Call) {
	a := cliParse(c.Inv.Args, regNpmSpec())
	cmd, rest := a.op(0), 1
	if regUnknown(c, cmd) {
		return
	}
	if c.Inv.Name == "yarn" && cmd.Value == "npm" {
		cmd, rest = a.op(1), 2
	}
	dir := cliWhere(c.Inv.Cwd)
	if d := a.str("-C", "--prefix", "--dir", "--cwd"); d != "" {
		dir = cliWhere(interceptor.ResolvePath(c.Inv.Cwd, d))
	}
	pkgs := a.ops(rest)
	switch {
	case regAbbrev(cmd.Value, "unpublish", 3):
		if len(pkgs) == 0 {
			c.Report("registry.unpublish", "unpublishes the package"+dir+" from the npm registry: whoever installs it breaks, and its version numbers can never be published again")
			return
		}
		for _, p := range pkgs {
			name, ver := regSplitSpec(p)
			what, nums := "every version of "+name, "its version numbers"
			if ver != "" {
				what, nums = "version "+ver+" of "+name, "that version number"
			}
			c.Report("registry.unpublish", "unpublishes "+what+" from the npm registry: whoever installs it breaks, and "+nums+" can never be published again")
		}
	case regAbbrev(cmd.Value, "deprecate", 3):
		if len(a.operands) > rest+1 {
			msg := a.op(len(a.operands) - 1)
			if !msg.Unknown && msg.Value == "" {
				return // an empty message un-deprecates
			}
		}
		target := cliJoin(a.ops(rest)[:min(1, len(pkgs))], "the package"+dir)
		c.Report("registry.deprecate", "marks "+target+" deprecated on the npm registry: every install of it prints the warning")
	}
}

// regCargo judges cargo yank.
func regCargo(c *Call) {
	args := c.Inv.Args
	if len(args) > 0 && strings.HasPrefix(args[0].Value, "+") {
		args = args[1:] // rustup toolchain: cargo +nightly ...
	}
	a := cliParse(args, cliSpec{short: "Z", long: []string{"--version", "--vers", "--registry", "--index", "--token", "--config", "--color"}})
	if regUnknown(c, a.op(0)) || a.op(0).Value != "yank" || a.on("--undo") {
		return
	}
	crate := cliJoin(a.ops(1), "the crate"+cliWhere(c.Inv.Cwd))
	name, ver := regSplitSpec(crate)
	if v := a.str("--version", "--vers"); v != "" {
		ver = v
	}
	what := "version " + ver + " of " + name
	if ver == "" {
		what = name + " (the version given)"
	}
	registry := "crates.io"
	if r := a.str("--registry", "--index"); r != "" {
		registry = "the registry " + r
	}
	c.Report("registry.yank", "yanks "+what+" on "+registry+": no new project or lockfile update can depend on it any more")
}

// regGem judges gem yank.
func regGem(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "vk", long: []string{"--version", "--platform", "--key", "--otp", "--host"}})
	if regUnknown(c, a.op(0)) || a.op(0).Value != "yank" {
		return
	}
	gem := cliJoin(a.ops(1), "named on its input")
	what := "gem " + gem
	if v := a.str("-v", "--version"); v != "" {
		what = "version " + v + " of the gem " + gem
	}
	c.Report("registry.yank", "yanks "+what+" from rubygems.org: it can no longer be installed, and that version number can never be pushed again")
}

// regNuget judges "dotnet nuget delete" and "nuget delete".
func regNuget(c *Call) {
	ops := cliParse(c.Inv.Args, cliSpec{short: "sk", long: []string{"--source", "--api-key", "-Source", "-ApiKey", "--symbol-source", "--symbol-api-key"}}).operands
	if c.Inv.Name == "dotnet" {
		if len(ops) == 0 || ops[0].Value != "nuget" {
			return
		}
		ops = ops[1:]
	}
	if len(ops) == 0 || !strings.EqualFold(ops[0].Value, "delete") {
		return
	}
	var rest []string
	for _, w := range ops[1:] {
		rest = append(rest, w.String())
	}
	what := "the NuGet package named on its input"
	if len(rest) >= 2 {
		what = "version " + rest[1] + " of the NuGet package " + rest[0]
	} else if len(rest) == 1 {
		what = "the NuGet package " + rest[0]
	}
	c.Report("registry.unpublish", "deletes (on nuget.org, unlists) "+what+" from its package source: whoever restores it breaks")
}
