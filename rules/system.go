package rules

import (
	"path"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// SystemPack returns the rules about the machine itself rather than files:
// writing raw bytes onto disks, formatting and partitioning them, powering
// the machine off, wiping the crontab, signalling every process, and
// changing the owner or mode of the whole system tree. None of these is
// part of everyday coding work; each is a single command that the agent
// cannot undo.
//
// Disks are recognised by their device names (/dev/sd*, /dev/nvme*,
// /dev/vd*, /dev/xvd*, /dev/hd*, /dev/mmcblk*, /dev/disk*, /dev/mapper/*,
// /dev/md*, /dev/loop*, ...); /dev/null, /dev/zero, terminals and the like
// are not disks. Reading a disk (dd if=/dev/sda of=disk.img) and listing
// partitions (fdisk -l) report nothing.
func SystemPack() *Pack {
	return &Pack{
		Name:  "system",
		Check: checkSystem,
		// Every invocation: a redirection into a disk can hang off any
		// command.
		Commands: nil,
		Rules: []Rule{
			{ID: "system.disk-write", Default: Confirm, Summary: "writes raw data onto a disk or partition device (dd of=/dev/sda, > /dev/nvme0n1, tee, cp, shred, blkdiscard)"},
			{ID: "system.format", Default: Confirm, Summary: "creates a filesystem or swap area, or erases filesystem signatures (mkfs*, mke2fs, mkswap on a device, wipefs -a, diskutil eraseDisk)"},
			{ID: "system.partition", Default: Confirm, Summary: "edits a disk's partition table (fdisk, sfdisk, parted, gdisk, sgdisk on a device)"},
			{ID: "system.power", Default: Confirm, Summary: "shuts down, halts or reboots the machine (shutdown, reboot, poweroff, systemctl reboot, init 0)"},
			{ID: "system.crontab-wipe", Default: Confirm, Summary: "removes every cron job of a user (crontab -r, crontab /dev/null, an empty crontab on stdin)"},
			{ID: "system.kill-all", Default: Confirm, Summary: "sends a signal to every process the user may signal (kill -9 -1, killall5)"},
			{ID: "system.perm-root", Default: Confirm, Summary: "recursively changes the owner or mode of / or a system directory, or the mode of / itself"},
		},
	}
}

// checkSystem judges one invocation.
func checkSystem(c *Call) {
	s := &sysCheck{c: c, inv: c.Inv}
	s.redirects()
	name := c.Inv.Name
	switch {
	case name == "dd":
		s.dd()
	case name == "tee":
		s.tee()
	case name == "cp" || name == "install" || name == "ddrescue" || name == "pv":
		s.copyOnto()
	case name == "shred" || name == "blkdiscard":
		s.wipeDevice()
	case name == "badblocks":
		if s.flag("-w") {
			s.wipeDevice()
		}
	case name == "mkfs" || strings.HasPrefix(name, "mkfs.") || name == "mke2fs" ||
		name == "mkdosfs" || name == "mkntfs" || name == "mkexfatfs" || name == "newfs" ||
		strings.HasPrefix(name, "newfs_"):
		s.mkfs()
	case name == "mkswap":
		s.mkswap()
	case name == "wipefs":
		s.wipefs()
	case name == "cryptsetup":
		s.cryptsetup()
	case name == "nvme":
		s.nvme()
	case name == "diskutil":
		s.diskutil()
	case name == "fdisk" || name == "sfdisk" || name == "cfdisk" || name == "gdisk" ||
		name == "cgdisk" || name == "sgdisk" || name == "parted":
		s.partition()
	case name == "shutdown" || name == "reboot" || name == "halt" || name == "poweroff":
		s.power()
	case name == "systemctl" || name == "loginctl":
		s.systemctl()
	case name == "init" || name == "telinit":
		s.initLevel()
	case name == "crontab":
		s.crontab()
	case name == "kill":
		s.kill()
	case name == "killall5":
		s.report("system.kill-all", "killall5 sends a signal to every process on the machine except the kernel's and its own session")
	case name == "pkill" || name == "killall":
		s.pkill()
	case name == "chmod" || name == "chown" || name == "chgrp":
		s.perms()
	}
}

// sysCheck is one invocation being judged.
type sysCheck struct {
	c   *Call
	inv *interceptor.Invocation
}

// report reports rule id, adding the host when the command runs remotely.
func (s *sysCheck) report(id, reason string) {
	if s.inv.Remote != "" {
		reason += " (on " + s.inv.Remote + ")"
	}
	s.c.Report(id, reason)
}

// operands returns the arguments that are not options, skipping the values
// of the space-separated options in valued. Everything after "--" is an
// operand.
func (s *sysCheck) operands(valued string) []interceptor.Word {
	var out []interceptor.Word
	args := s.inv.Args
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			return append(out, args[i+1:]...)
		case strings.HasPrefix(v, "-") && len(v) > 1:
			if !strings.Contains(v, "=") && migIn(v, valued) {
				i++
			}
		default:
			out = append(out, args[i])
		}
	}
	return out
}

// flag reports whether any of the space-separated options is given: long
// options alone or with "=value", short ones also inside a cluster ("-af").
func (s *sysCheck) flag(opts string) bool {
	for _, a := range s.inv.Args {
		v := a.Value
		if v == "--" {
			return false
		}
		if strings.HasPrefix(v, "--") {
			name, _, _ := strings.Cut(v, "=")
			if migIn(name, opts) {
				return true
			}
			continue
		}
		if len(v) < 2 || v[0] != '-' {
			continue
		}
		for _, o := range strings.Fields(opts) {
			if len(o) == 2 && o[0] == '-' && strings.IndexByte(v[1:], o[1]) >= 0 {
				return true
			}
		}
	}
	return false
}

// device classifies a word that names a file: the cleaned device path and
// whether it is a disk, or, when the word cannot be known, whether it is
// at least known to be under /dev.
func (s *sysCheck) device(w interceptor.Word) (string, bool) {
	if IsPipeWord(w) {
		return "", false // a process substitution (scratch.go)
	}
	if w.Unknown || strings.Contains(w.Value, interceptor.UnknownMark) {
		if strings.HasPrefix(w.Value, "/dev/") {
			return w.String(), true
		}
		return "", false
	}
	p := s.inv.Resolve(w.Value)
	if p == "" && strings.HasPrefix(w.Value, "/") {
		p = path.Clean(w.Value)
	}
	return p, sysIsDisk(p)
}

// sysIsDisk reports whether p names a disk, partition or other block
// device that holds data (a glob such as /dev/sd? counts).
func sysIsDisk(p string) bool {
	rest, ok := strings.CutPrefix(p, "/dev/")
	if !ok || rest == "" {
		return false
	}
	for _, pre := range []string{"sd", "hd", "vd", "xvd", "nvme", "mmcblk", "disk", "rdisk",
		"mapper/", "md", "loop", "dm-", "nbd", "zd", "root", "sr", "ubd", "rbd", "bcache", "zram"} {
		if strings.HasPrefix(rest, pre) {
			return true
		}
	}
	return false
}

// redirects reports a redirection that writes into a disk.
func (s *sysCheck) redirects() {
	for _, r := range s.inv.Redirects {
		if !r.Writes() || r.Target.Unknown {
			continue
		}
		if p, disk := s.device(r.Target); disk {
			s.report("system.disk-write", "redirects output ("+r.Op+") straight onto the disk device "+p+", overwriting the filesystem and everything on it")
		}
	}
}

// dd: of= a disk.
func (s *sysCheck) dd() {
	for _, a := range s.inv.Args {
		v, ok := strings.CutPrefix(a.Value, "of=")
		if !ok {
			continue
		}
		w := interceptor.Word{Value: v, Unknown: a.Unknown, Glob: a.Glob}
		if p, disk := s.device(w); disk {
			s.report("system.disk-write", "dd writes raw data onto the disk device "+p+", overwriting its partition table, filesystems and data")
		}
	}
}

// tee: any file operand that is a disk.
func (s *sysCheck) tee() {
	for _, w := range s.operands("") {
		if p, disk := s.device(w); disk {
			s.report("system.disk-write", "tee writes its input onto the disk device "+p+", overwriting the filesystem and everything on it")
		}
	}
}

// copyOnto: cp, install, ddrescue, pv whose destination is a disk.
func (s *sysCheck) copyOnto() {
	ops := s.operands("-t --target-directory -S --suffix -m --mode -o --owner -g --group -l --log")
	if s.inv.Name == "pv" {
		return // pv writes to stdout; its redirection is checked
	}
	if len(ops) < 2 {
		return
	}
	dst := ops[len(ops)-1]
	if p, disk := s.device(dst); disk {
		s.report("system.disk-write", s.inv.Name+" copies data onto the disk device "+p+", overwriting its partition table, filesystems and data")
	}
}

// wipeDevice: shred, blkdiscard, badblocks -w on a disk.
func (s *sysCheck) wipeDevice() {
	for _, w := range s.operands("-n --iterations -s --size -o --offset -l --length -p --step -b -c -e -i -o -t") {
		if p, disk := s.device(w); disk {
			what := map[string]string{
				"shred":      "shred overwrites the whole disk device " + p + " with random data",
				"blkdiscard": "blkdiscard discards every block of the disk device " + p + ": its data is gone",
				"badblocks":  "badblocks -w overwrites every block of the disk device " + p + " with test patterns",
			}[s.inv.Name]
			s.report("system.disk-write", what)
			return
		}
	}
}

// onlyInfo reports whether the arguments ask only for help or a version.
func (s *sysCheck) onlyInfo() bool {
	if len(s.inv.Args) == 0 {
		return true
	}
	for _, a := range s.inv.Args {
		switch a.Value {
		case "-h", "--help", "-V", "--version":
		default:
			return false
		}
	}
	return true
}

// mkfs formats whatever it is given: a device loses its data, an image file
// its content. Option syntax differs between filesystems, so the target is
// the first word that names a disk, else the last word that is not an
// option.
func (s *sysCheck) mkfs() {
	if s.onlyInfo() || mkfsDryRun(s.inv.Name, s.inv.Args) {
		return
	}
	target := "its target"
	for _, w := range s.inv.Args {
		if p, disk := s.device(w); disk {
			s.report("system.format", s.inv.Name+" creates a new filesystem on the disk device "+p+", erasing everything on it")
			return
		}
		if !strings.HasPrefix(w.Value, "-") {
			target = w.String()
		}
	}
	s.report("system.format", s.inv.Name+" creates a new filesystem on "+target+", erasing what it held")
}

// mkswap: only a device is worth a question; a swap file is routine.
func (s *sysCheck) mkswap() {
	for _, w := range s.operands("-p --pagesize -L --label -U --uuid -o --offset -s --size -e --endianness") {
		if p, disk := s.device(w); disk {
			s.report("system.format", "mkswap turns the disk device "+p+" into swap space, erasing everything on it")
			return
		}
	}
}

// wipefs: erasing signatures (-a, -o) on a device; listing is fine.
func (s *sysCheck) wipefs() {
	if s.flag("-n --no-act") || !s.flag("-a --all -o --offset") {
		return
	}
	for _, w := range s.operands("-o --offset -t --types -O --output -b --backup") {
		if p, disk := s.device(w); disk {
			s.report("system.format", "wipefs erases the filesystem and partition-table signatures of the disk device "+p+": its filesystems can no longer be found")
			return
		}
		if w.Unknown {
			s.report("system.format", "wipefs erases filesystem signatures from a device computed at run time ("+w.String()+")")
			return
		}
	}
}

// cryptsetup luksFormat / erase on a device.
func (s *sysCheck) cryptsetup() {
	ops := s.operands("-c --cipher -s --key-size -h --hash -d --key-file --type -S --key-slot")
	if len(ops) < 2 {
		return
	}
	switch ops[0].Value {
	case "luksFormat", "erase", "luksErase", "reencrypt":
		p, _ := s.device(ops[1])
		s.report("system.format", "cryptsetup "+ops[0].Value+" overwrites the encryption header of "+p+": its data can no longer be read")
	}
}

// nvme format / sanitize.
func (s *sysCheck) nvme() {
	ops := s.operands("-n --namespace-id -l --lbaf -s --ses -a --sanact")
	if len(ops) > 0 && (ops[0].Value == "format" || ops[0].Value == "sanitize") {
		target := "the drive"
		if len(ops) > 1 {
			target = ops[1].String()
		}
		s.report("system.format", "nvme "+ops[0].Value+" erases every block of "+target)
	}
}

// diskutil (macOS) verbs that erase or repartition.
func (s *sysCheck) diskutil() {
	ops := s.operands("")
	if len(ops) == 0 {
		return
	}
	verb := ops[0].Value
	if (verb == "apfs" || verb == "ap" || verb == "coreStorage" || verb == "cs") && len(ops) > 1 {
		verb = ops[1].Value
	}
	switch strings.ToLower(verb) {
	case "erasedisk", "erasevolume", "reformat", "zerodisk", "randomdisk", "secureerase",
		"deletecontainer", "deletevolume", "deletelvg", "deletelv":
		s.report("system.format", "diskutil "+verb+" erases a disk or volume: "+strings.Join(sysWordStrings(ops[1:]), " "))
	case "partitiondisk", "erasepartition", "splitpartition", "mergepartitions", "resizevolume", "eject":
		if strings.ToLower(verb) != "eject" {
			s.report("system.partition", "diskutil "+verb+" rewrites a disk's partitions: "+strings.Join(sysWordStrings(ops[1:]), " "))
		}
	}
}

// sysWordStrings renders words for messages.
func sysWordStrings(ws []interceptor.Word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}

// partition: the partitioning tools on a disk, except when they only list.
func (s *sysCheck) partition() {
	name := s.inv.Name
	switch name {
	case "fdisk":
		if s.flag("-l --list -x --list-details") {
			return
		}
	case "sfdisk":
		if shortFlagSet(s.inv.Args, 'n', "NXYOwW", "--no-act") {
			return // dryrun.go: everything but the write
		}
		if s.flag("-l --list -d --dump -J --json -s --show-size -V --verify -g --show-geometry -F --list-free -r --reorder-dry-run --help --version") && !s.flag("--delete --reorder --relocate -N --partno --part-type --part-label --part-uuid --part-attrs --disk-id -A --activate") {
			return
		}
	case "gdisk":
		if s.flag("-l") {
			return
		}
	case "sgdisk":
		if s.flag("-P --pretend") || !s.sgdiskWrites() {
			return
		}
	case "parted":
		if s.flag("-l --list -h --help -v --version") {
			return
		}
	}
	// The disk is the first word naming one; for parted, the words after
	// it are the script.
	args := s.inv.Args
	for k, w := range args {
		p, disk := s.device(w)
		if !disk {
			continue
		}
		if name == "parted" && sysPartedReadOnly(args[k+1:]) {
			return
		}
		s.report("system.partition", name+" rewrites the partition table of the disk device "+p+": the partitions and the data on them can be lost")
		return
	}
}

// sgdiskWrites reports whether sgdisk is given an option that changes the
// disk (anything but printing, verifying, listing types and backing up to a
// file).
func (s *sysCheck) sgdiskWrites() bool {
	for _, a := range s.inv.Args {
		v := a.Value
		if !strings.HasPrefix(v, "-") || v == "-" {
			continue
		}
		name, _, _ := strings.Cut(v, "=")
		switch name {
		case "-p", "--print", "-i", "--info", "-v", "--verify", "-L", "--list-types",
			"-O", "--print-mbr", "-b", "--backup", "-h", "--help", "-V", "--version", "-D", "--display-alignment":
		default:
			return true
		}
	}
	return false
}

// sysPartedReadOnly reports whether a parted script only prints. An empty
// script is an interactive session, which can do anything.
func sysPartedReadOnly(script []interceptor.Word) bool {
	if len(script) == 0 {
		return false
	}
	for _, w := range script {
		switch w.Value {
		case "mklabel", "mktable", "mkpart", "mkpartfs", "rm", "resizepart", "resize",
			"rescue", "name", "set", "toggle", "disk_set", "disk_toggle", "move", "cp", "mkfs", "type":
			return false
		}
		if w.Unknown {
			return false
		}
	}
	return true
}

// power: shutdown, reboot, halt, poweroff.
func (s *sysCheck) power() {
	if s.onlyInfo() && len(s.inv.Args) > 0 {
		return
	}
	name := s.inv.Name
	if name == "shutdown" && s.flag("-c -k --help") {
		return // cancels a pending shutdown, or only warns users
	}
	if name != "shutdown" && s.flag("-w --wtmp-only --help") {
		return
	}
	what := map[string]string{
		"shutdown": "shuts the machine down",
		"reboot":   "reboots the machine",
		"halt":     "halts the machine",
		"poweroff": "powers the machine off",
	}[name]
	if name == "shutdown" && s.flag("-r --reboot") {
		what = "reboots the machine"
	}
	s.report("system.power", name+" "+what+": every running program, session and unsaved piece of work on it stops")
}

// systemctl / loginctl verbs that stop the machine.
func (s *sysCheck) systemctl() {
	ops := s.operands("-H --host -M --machine -t --type -s --signal -p --property --root -n --lines -o --output --when --message")
	if len(ops) == 0 {
		return
	}
	verb := ops[0].Value
	switch verb {
	case "poweroff", "reboot", "halt", "kexec", "soft-reboot", "rescue", "emergency":
		s.report("system.power", s.inv.Name+" "+verb+" stops the running system: every program and session on it stops")
	case "isolate", "start":
		for _, w := range ops[1:] {
			switch strings.TrimSuffix(w.Value, ".target") {
			case "poweroff", "reboot", "halt", "kexec", "rescue", "emergency", "runlevel0", "runlevel6", "runlevel1":
				s.report("system.power", s.inv.Name+" "+verb+" "+w.Value+" stops the running system: every program and session on it stops")
				return
			}
		}
	}
}

// initLevel: init/telinit to a halting, rebooting or single-user runlevel.
func (s *sysCheck) initLevel() {
	ops := s.operands("")
	if len(ops) != 1 {
		return
	}
	switch ops[0].Value {
	case "0":
		s.report("system.power", s.inv.Name+" 0 halts the machine")
	case "6":
		s.report("system.power", s.inv.Name+" 6 reboots the machine")
	case "1", "s", "S":
		s.report("system.power", s.inv.Name+" "+ops[0].Value+" drops the machine to single-user mode, stopping every service")
	}
}

// crontab -r, or a crontab installed from an empty source.
func (s *sysCheck) crontab() {
	if s.flag("-r --remove") {
		s.report("system.crontab-wipe", "crontab -r deletes every cron job of the user"+s.crontabUser())
		return
	}
	if s.flag("-l --list -e --edit -T --test -V --version -h --help") {
		return
	}
	ops := s.operands("-u --user -c -s")
	if len(ops) == 0 || ops[0].Value == "-" {
		if s.stdinEmpty() {
			s.report("system.crontab-wipe", "crontab installs an empty crontab from its input, deleting every cron job of the user"+s.crontabUser())
		}
		return
	}
	f := ops[0]
	if f.Unknown {
		return
	}
	p := s.inv.Resolve(f.Value)
	if p == "/dev/null" || s.emptyFile(p) {
		s.report("system.crontab-wipe", "crontab installs the empty file "+f.Value+", deleting every cron job of the user"+s.crontabUser())
	}
}

// crontabUser names the user whose crontab is changed, when given.
func (s *sysCheck) crontabUser() string {
	args := s.inv.Args
	for i, a := range args {
		if a.Value == "-u" && i+1 < len(args) {
			return " " + args[i+1].String()
		}
		if v, ok := strings.CutPrefix(a.Value, "-u"); ok && v != "" {
			return " " + v
		}
	}
	return ""
}

// stdinEmpty reports whether the command reads nothing but blank lines on
// stdin.
func (s *sysCheck) stdinEmpty() bool {
	for _, r := range s.inv.Redirects {
		if r.Op == "<" && r.Target.Value == "/dev/null" {
			return true
		}
	}
	in := s.inv.Stdin
	return in != nil && in.Known && strings.TrimSpace(in.Data) == ""
}

// emptyFile reports whether p is an existing, empty regular file.
func (s *sysCheck) emptyFile(p string) bool {
	if p == "" || s.inv.Remote != "" {
		return false
	}
	fi, err := s.c.World.pathFS().Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Size() == 0
}

// kill with pid -1: every process the user may signal.
func (s *sysCheck) kill() {
	args := s.inv.Args
	signal := "TERM"
	i := 0
	if i < len(args) {
		v := args[i].Value
		switch {
		case v == "-l" || v == "-L" || v == "--list" || v == "--table":
			return
		case v == "-s" || v == "-n" || v == "--signal":
			if i+1 < len(args) {
				signal = args[i+1].Value
			}
			i += 2
		case strings.HasPrefix(v, "--signal="):
			signal = v[len("--signal="):]
			i++
		case v == "--":
		case strings.HasPrefix(v, "-") && len(v) > 1:
			signal = v[1:]
			i++
		}
	}
	sig := strings.TrimPrefix(strings.ToUpper(signal), "SIG")
	if sig == "0" || sig == "" {
		return // only tests whether the processes exist
	}
	for ; i < len(args); i++ {
		if args[i].Value == "--" {
			continue
		}
		if args[i].Value == "-1" {
			s.report("system.kill-all", "kill -"+sig+" -1 sends SIG"+sysSignalName(sig)+" to every process the user may signal: the desktop session, editors, shells and the agent itself")
			return
		}
	}
}

// pkill reads pkill and killall: a signal to every process of a user (-u
// with no name) or to processes matched by a pattern that matches any name
// is a signal to everything that user runs. Naming the processes
// ("pkill -f 'node server.js'", "killall python3") is everyday work.
func (s *sysCheck) pkill() {
	args := s.inv.Args
	valued := map[string]bool{"-u": true, "-U": true, "-g": true, "-G": true, "-P": true, "-s": true, "-t": true,
		"-F": true, "--euid": true, "--uid": true, "--user": true, "--signal": true, "--older-than": true,
		"--younger-than": true, "-o": true, "-y": true, "--session": true, "--terminal": true, "--parent": true}
	user := ""
	var names []string
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case valued[v] && i+1 < len(args):
			if v == "-u" || v == "-U" || v == "--euid" || v == "--uid" || v == "--user" {
				user = args[i+1].String()
			}
			i++
		case strings.HasPrefix(v, "--user=") || strings.HasPrefix(v, "--euid=") || strings.HasPrefix(v, "--uid="):
			_, user, _ = strings.Cut(v, "=")
		case strings.HasPrefix(v, "-") && len(v) > 1 && v != "--":
		default:
			if v != "--" {
				names = append(names, v)
			}
		}
	}
	all := len(names) == 0 && user != ""
	for _, n := range names {
		switch n {
		case ".", ".*", "^", "$", "^.*$", "":
			all = true
		}
	}
	if !all {
		return
	}
	who := "every process the user may signal"
	if user != "" {
		who = "every process of user " + user
	}
	s.report("system.kill-all", s.inv.Name+" signals "+who+": shells, editors, services and the agent itself")
}

// sysSignalName turns a signal number into its name for messages.
func sysSignalName(sig string) string {
	switch sig {
	case "9":
		return "KILL"
	case "15":
		return "TERM"
	case "1":
		return "HUP"
	case "2":
		return "INT"
	case "3":
		return "QUIT"
	}
	return sig
}

// sysSystemDirs are the directories whose recursive owner or mode change
// breaks the system.
func sysSystemDirs() []string {
	return []string{"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64",
		"/libx32", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/usr", "/var",
		"/usr/bin", "/usr/lib", "/usr/lib64", "/usr/libexec", "/usr/local", "/usr/sbin", "/usr/share",
		"/var/lib", "/var/log", "/System", "/Library", "/Applications", "/Users", "/private",
		"/private/etc", "/private/var"}
}

// perms: chmod/chown/chgrp -R of / or a system directory, chmod of /.
func (s *sysCheck) perms() {
	recursive := s.flag("-R --recursive")
	ops := s.operands("--reference --from")
	ref := false
	for _, a := range s.inv.Args {
		if strings.HasPrefix(a.Value, "--reference") {
			ref = true
		}
	}
	if !ref {
		if len(ops) == 0 {
			return
		}
		ops = ops[1:] // the mode or owner
	}
	// chmod takes modes such as -w that look like options.
	for _, w := range ops {
		p := s.permTarget(w)
		if p == "" {
			continue
		}
		if p == "/" && !recursive {
			s.report("system.perm-root", s.inv.Name+" changes the "+sysPermWhat(s.inv.Name)+" of / itself, which breaks logins, sudo and services")
			return
		}
		if !recursive {
			continue
		}
		for _, d := range sysSystemDirs() {
			if p == d {
				s.report("system.perm-root", s.inv.Name+" -R changes the "+sysPermWhat(s.inv.Name)+" of every file under "+p+", which breaks the system (sudo, ssh and services check them)")
				return
			}
		}
	}
}

// permTarget resolves a chmod/chown operand; a glob stands for the
// directory it lists when that is /.
func (s *sysCheck) permTarget(w interceptor.Word) string {
	if w.Unknown {
		return ""
	}
	v := w.Value
	if w.Glob {
		i := strings.IndexAny(v, "*?[")
		dir := v[:i]
		if p := s.inv.Resolve(dir); p == "/" || dir == "/" {
			return "/"
		}
		return ""
	}
	return s.inv.Resolve(v)
}

// sysPermWhat names what a permission command changes.
func sysPermWhat(name string) string {
	switch name {
	case "chmod":
		return "mode"
	case "chgrp":
		return "group"
	}
	return "owner"
}
