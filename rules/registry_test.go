package rules

import "testing"

func TestRegistryFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// corpus/block.txt
		{"npm unpublish left-pad@1.0.0", Confirm, "registry.unpublish"},
		// npm and kin
		{"npm unpublish left-pad --force", Confirm, "registry.unpublish"},
		{"npm unpublish", Confirm, "registry.unpublish"},
		{"npm unpublish @acme/ui@2.0.1 --otp 123456", Confirm, "registry.unpublish"},
		{"npm --registry https://npm.acme.dev unpublish ui@1.0.0", Confirm, "registry.unpublish"},
		{"npm -w packages/ui unpublish ui@1.0.0", Confirm, "registry.unpublish"},
		{"npm unpub left-pad@1.0.0", Confirm, "registry.unpublish"},
		{"cd packages/ui && npm unpublish --force", Confirm, "registry.unpublish"},
		{"pnpm unpublish ui@1.0.0", Confirm, "registry.unpublish"},
		{"yarn npm unpublish ui@1.0.0", Confirm, "registry.unpublish"},
		{"yarn unpublish ui@1.0.0", Confirm, "registry.unpublish"},
		{`npm deprecate left-pad@"<2" "use string.padStart"`, Confirm, "registry.deprecate"},
		{"pnpm deprecate ui 'moved to @acme/ui'", Confirm, "registry.deprecate"},
		{"cargo yank --version 1.0.0 mycrate", Confirm, "registry.yank"},
		{"cargo yank mycrate@1.0.0", Confirm, "registry.yank"},
		{"cargo +stable yank --vers 0.3.1", Confirm, "registry.yank"},
		{"gem yank mygem -v 1.2.3", Confirm, "registry.yank"},
		{"dotnet nuget delete Acme.Core 1.0.0 --source https://api.nuget.org/v3/index.json", Confirm, "registry.unpublish"},
		{"nuget delete Acme.Core 1.0.0 -Source https://api.nuget.org/v3/index.json", Confirm, "registry.unpublish"},
		{`npm "$CMD" left-pad`, Confirm, "registry.unknown-subcommand"},
		{"sudo npm unpublish left-pad@1.0.0", Confirm, "registry.unpublish"},
	}, RegistryPack())
}

func TestRegistryAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// corpus/allow.txt
		{"npm ci", Allow, ""},
		{"npm run lint", Allow, ""},
		{"npm run test -- --watch=false", Allow, ""},
		{"npx vitest run", Allow, ""},
		{"yarn install", Allow, ""},
		{"pnpm add zod", Allow, ""},
		{"cargo clippy -- -D warnings", Allow, ""},
		{"cd frontend && npm run build", Allow, ""},
		{"test -d node_modules || npm install", Allow, ""},
		{"nohup npm run dev > dev.log 2>&1 &", Allow, ""},
		// everyday work, and words that only look like an unpublish
		{"npm publish", Allow, ""},
		{"npm publish --access public --tag next", Allow, ""},
		{"npm install unpublish", Allow, ""},
		{"npm run unpublish-docs", Allow, ""},
		{"npm un left-pad", Allow, ""},
		{"npm uninstall left-pad", Allow, ""},
		{"npm update", Allow, ""},
		{"npm --tag unpublish publish", Allow, ""},
		{`npm deprecate left-pad@1.0.0 ""`, Allow, ""},
		{"npm view left-pad versions", Allow, ""},
		{"pnpm publish -r", Allow, ""},
		{"yarn npm publish", Allow, ""},
		{"yarn remove left-pad", Allow, ""},
		{"cargo publish --dry-run", Allow, ""},
		{"cargo publish", Allow, ""},
		{"cargo yank --undo --version 1.0.0 mycrate", Allow, ""},
		{"cargo build --release", Allow, ""},
		{"gem push mygem-1.2.3.gem", Allow, ""},
		{"gem install rails", Allow, ""},
		{"dotnet nuget push pkg.nupkg", Allow, ""},
		{"dotnet build", Allow, ""},
		{"echo npm unpublish left-pad", Allow, ""},
	}, RegistryPack())
}

func TestRegistryReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"npm unpublish left-pad@1.0.0", "registry.unpublish", []string{"version 1.0.0 of left-pad", "never be published again"}},
		{"npm unpublish @acme/ui --force", "registry.unpublish", []string{"every version of @acme/ui"}},
		{"cd packages/ui && npm unpublish --force", "registry.unpublish", []string{"the package in /home/u/code/app/packages/ui"}},
		{"cargo yank --version 1.0.0 mycrate", "registry.yank", []string{"version 1.0.0 of mycrate on crates.io"}},
		{"gem yank mygem -v 1.2.3", "registry.yank", []string{"version 1.2.3 of the gem mygem"}},
		{`npm deprecate left-pad@"<2" "use padStart"`, "registry.deprecate", []string{"left-pad@<2 deprecated"}},
	}, RegistryPack())
}
