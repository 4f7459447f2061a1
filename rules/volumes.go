package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// VolumesPack returns the rules about volume managers and storage pools:
// the commands that remove a logical volume, a pool or a dataset with the
// filesystems and data on it, or erase what makes a device readable. The
// system pack judges raw writes, formatting and partitioning.
//
//   - LVM: lvremove, vgremove, pvremove, lvreduce (and "lvm lvremove").
//   - ZFS: zfs destroy (unless -n), zfs rollback (-r destroys the later
//     snapshots), zpool destroy, labelclear and remove.
//   - btrfs: subvolume delete (in any abbreviation btrfs accepts: "btrfs
//     sub del"), device remove, check --repair.
//   - cryptsetup erase/luksErase (every key slot, the data can never be
//     decrypted), luksKillSlot, luksFormat; mdadm --zero-superblock.
//
// Listing, creating, snapshotting and extending report nothing.
func VolumesPack() *Pack {
	return &Pack{
		Name:     "volumes",
		Commands: []string{"lvremove", "vgremove", "pvremove", "lvreduce", "lvm", "zfs", "zpool", "btrfs", "cryptsetup", "mdadm"},
		Check:    volCheck,
		Rules: []Rule{
			{ID: "volumes.lvm-remove", Default: Confirm, Summary: "lvremove, vgremove, pvremove, lvreduce: removes or shrinks LVM volumes with the filesystems on them"},
			{ID: "volumes.zfs-destroy", Default: Confirm, Summary: "zfs destroy/rollback, zpool destroy/labelclear/remove: destroys ZFS datasets, snapshots or pools"},
			{ID: "volumes.btrfs-delete", Default: Confirm, Summary: "btrfs subvolume delete, device remove, check --repair"},
			{ID: "volumes.erase-header", Default: Confirm, Summary: "cryptsetup erase/luksErase/luksKillSlot/luksFormat, mdadm --zero-superblock: makes a device's data unreadable"},
			{ID: "volumes.unknown-subcommand", Default: Confirm, Summary: "volume manager subcommand that cannot be known statically"},
		},
	}
}

// volCheck dispatches on the tool.
func volCheck(c *Call) {
	toolLaunched(c)
	switch c.Inv.Name {
	case "lvremove", "vgremove", "pvremove", "lvreduce":
		volLVM(c, c.Inv.Name, c.Inv.Args)
	case "lvm":
		a := cliParse(c.Inv.Args, cliSpec{stop: true})
		if len(a.rest) == 0 || volUnknown(c, a.rest[0]) {
			return
		}
		volLVM(c, a.rest[0].Value, a.rest[1:])
	case "zfs":
		volZfs(c)
	case "zpool":
		volZpool(c)
	case "btrfs":
		volBtrfs(c)
	case "cryptsetup":
		volCrypt(c)
	case "mdadm":
		volMdadm(c)
	}
}

// volUnknown reports a subcommand word that cannot be known.
func volUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("volumes.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
	return true
}

// volNames renders the operands of a volume command.
func volNames(a cliArgs, from int) string {
	return cliList(a.ops(from))
}

// volLVM judges lvremove, vgremove, pvremove and lvreduce.
func volLVM(c *Call, cmd string, args []interceptor.Word) {
	a := cliParse(args, cliSpec{short: "LlS", long: []string{"--size", "--extents", "--select", "--config", "--commandprofile", "--driverloaded", "--reportformat"}})
	if a.on("-t", "--test") {
		return
	}
	names := volNames(a, 0)
	if names == "" {
		names = "named on its input"
		if sel := a.str("-S", "--select"); sel != "" {
			names = "selected by " + sel
		}
	}
	var reason string
	switch cmd {
	case "lvremove":
		reason = "removes the LVM logical volumes " + names + " with the filesystems and data on them"
	case "vgremove":
		reason = "removes the LVM volume groups " + names + " with every logical volume and all the data in them"
	case "pvremove":
		reason = "wipes the LVM label of the physical volumes " + names + ": the volume group data on them can no longer be found"
	case "lvreduce":
		reason = "shrinks the LVM logical volumes " + names + " to " + volSize(a)
		if a.on("-r", "--resizefs") {
			reason += " (shrinking the filesystem first)"
		} else {
			reason += ": data past the new end of the volume is lost, and a filesystem not shrunk first is damaged"
		}
	default:
		return
	}
	c.Report("volumes.lvm-remove", reason)
}

// volSize names the size an lvreduce shrinks to.
func volSize(a cliArgs) string {
	if v := a.str("-L", "--size", "-l", "--extents"); v != "" {
		return v
	}
	return "the size given"
}

// volZfs judges zfs destroy and rollback.
func volZfs(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{})
	cmd := a.op(0)
	if volUnknown(c, cmd) {
		return
	}
	names := volNames(a, 1)
	if names == "" {
		names = "named on its input"
	}
	switch cmd.Value {
	case "destroy":
		if a.on("-n") {
			return
		}
		what := "the ZFS dataset " + names
		if strings.Contains(names, "@") {
			what = "the ZFS snapshots " + names
		}
		switch {
		case a.on("-R"):
			what += " with every descendant and every clone of its snapshots, anywhere in the pool"
		case a.on("-r"):
			what += " with every dataset and snapshot below it"
		}
		c.Report("volumes.zfs-destroy", "destroys "+what+" and the data in them")
	case "rollback":
		what := "rolls the ZFS dataset back to the snapshot " + names + ": every change since it is lost"
		if a.on("-r", "-R") {
			what += ", and every later snapshot is destroyed"
		}
		c.Report("volumes.zfs-destroy", what)
	}
}

// volZpool judges zpool destroy, labelclear and remove.
func volZpool(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{})
	cmd := a.op(0)
	if volUnknown(c, cmd) {
		return
	}
	names := volNames(a, 1)
	if names == "" {
		names = "named on its input"
	}
	switch cmd.Value {
	case "destroy":
		c.Report("volumes.zfs-destroy", "destroys the ZFS pool "+names+" with every dataset, snapshot and file in it")
	case "labelclear":
		c.Report("volumes.zfs-destroy", "clears the ZFS label of the device "+names+": the pool it belonged to can no longer use it")
	case "remove":
		if a.on("-n") || a.on("-s") {
			return // a dry run, or stopping a removal
		}
		c.Report("volumes.zfs-destroy", "removes the device "+volNames(a, 2)+" from the ZFS pool "+a.op(1).String()+" (its data is moved to the other devices first when the pool allows it)")
	}
}

// volAbbrev reports whether s abbreviates full to at least min letters, as
// btrfs accepts.
func volAbbrev(s, full string, min int) bool {
	return len(s) >= min && strings.HasPrefix(full, s)
}

// volBtrfs judges btrfs subvolume delete, device remove and check
// --repair.
func volBtrfs(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "cs", long: []string{"--subvolid", "--commit-after", "--commit-each"}})
	group, verb := a.op(0), a.op(1)
	if volUnknown(c, group) {
		return
	}
	paths := func(from int) string {
		var out []string
		for _, w := range a.operands[min(from, len(a.operands)):] {
			if w.Unknown {
				out = append(out, w.String())
				continue
			}
			out = append(out, interceptor.ResolvePath(c.Inv.Cwd, w.Value))
		}
		if len(out) == 0 {
			return "named on its input"
		}
		return cliList(out)
	}
	switch {
	case volAbbrev(group.Value, "subvolume", 2):
		if volUnknown(c, verb) || !volAbbrev(verb.Value, "delete", 1) {
			return
		}
		what := "the btrfs subvolumes " + paths(2)
		if a.on("-R", "--recursive") {
			what += " with every subvolume below them"
		}
		c.Report("volumes.btrfs-delete", "deletes "+what+" and every file in them")
	case volAbbrev(group.Value, "device", 2):
		if volUnknown(c, verb) || !volAbbrev(verb.Value, "remove", 1) && !volAbbrev(verb.Value, "delete", 1) {
			return
		}
		c.Report("volumes.btrfs-delete", "removes the devices "+volNames(a, 2)+" from the btrfs filesystem (its data is moved off them first, which fails if it does not fit)")
	case volAbbrev(group.Value, "check", 2):
		if a.on("--repair") {
			c.Report("volumes.btrfs-delete", "runs btrfs check --repair on "+volNames(a, 1)+", which its documentation warns can make the damage worse")
		}
	}
}

// volCrypt judges cryptsetup.
func volCrypt(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "cshdSqb", long: []string{"--cipher", "--key-size", "--hash", "--key-file",
		"--key-slot", "--type", "--header", "--pbkdf", "--iter-time", "--label", "--sector-size", "--uuid"}})
	cmd := a.op(0)
	if volUnknown(c, cmd) {
		return
	}
	dev := cliJoin(a.ops(1)[:min(1, len(a.ops(1)))], "named on its input")
	switch cmd.Value {
	case "erase", "luksErase":
		c.Report("volumes.erase-header", "erases every key slot of the encrypted device "+dev+": its data can never be decrypted again")
	case "luksKillSlot":
		c.Report("volumes.erase-header", "removes key slot "+cliJoin(a.ops(2), "given")+" of the encrypted device "+dev+" (with the last slot, its data can never be decrypted)")
	case "luksFormat":
		c.Report("volumes.erase-header", "formats "+dev+" as a new LUKS device: whatever it held can no longer be read")
	}
}

// volMdadm judges mdadm --zero-superblock.
func volMdadm(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "lncC", long: []string{"--level", "--raid-devices", "--chunk", "--config", "--metadata", "--name", "--homehost"}})
	if a.on("--zero-superblock") {
		c.Report("volumes.erase-header", "erases the RAID superblock of "+volNames(a, 0)+": the array they belong to can no longer be assembled from them")
	}
}
