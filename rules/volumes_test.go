package rules

import "testing"

func TestVolumesFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"lvremove vg0/data", Confirm, "volumes.lvm-remove"},
		{"sudo lvremove -f -y vg0/data vg0/logs", Confirm, "volumes.lvm-remove"},
		{"lvremove -S 'lv_name=~^tmp'", Confirm, "volumes.lvm-remove"},
		{"vgremove -f vg0", Confirm, "volumes.lvm-remove"},
		{"pvremove -ff /dev/sdb", Confirm, "volumes.lvm-remove"},
		{"lvreduce -L 10G vg0/data", Confirm, "volumes.lvm-remove"},
		{"lvreduce -r -L -5G vg0/data", Confirm, "volumes.lvm-remove"},
		{"lvm lvremove vg0/data", Confirm, "volumes.lvm-remove"},
		{"zfs destroy tank/data", Confirm, "volumes.zfs-destroy"},
		{"zfs destroy -r tank/home", Confirm, "volumes.zfs-destroy"},
		{"zfs destroy -R tank@base", Confirm, "volumes.zfs-destroy"},
		{"zfs destroy tank/data@2024-06-01", Confirm, "volumes.zfs-destroy"},
		{"zfs rollback -r tank/data@before-upgrade", Confirm, "volumes.zfs-destroy"},
		{"zpool destroy -f tank", Confirm, "volumes.zfs-destroy"},
		{"zpool labelclear -f /dev/sdc", Confirm, "volumes.zfs-destroy"},
		{"zpool remove tank mirror-1", Confirm, "volumes.zfs-destroy"},
		{"btrfs subvolume delete /mnt/pool/@home", Confirm, "volumes.btrfs-delete"},
		{"btrfs sub del snapshots/2024-06-01", Confirm, "volumes.btrfs-delete"},
		{"btrfs subvolume delete -R /mnt/pool/@", Confirm, "volumes.btrfs-delete"},
		{"btrfs device remove /dev/sdc /mnt/pool", Confirm, "volumes.btrfs-delete"},
		{"btrfs check --repair /dev/sdb", Confirm, "volumes.btrfs-delete"},
		{"cryptsetup luksErase /dev/sdb2", Confirm, "volumes.erase-header"},
		{"cryptsetup erase -q /dev/sdb2", Confirm, "volumes.erase-header"},
		{"cryptsetup luksKillSlot /dev/sdb2 0", Confirm, "volumes.erase-header"},
		{"cryptsetup luksFormat --type luks2 /dev/sdb2", Confirm, "volumes.erase-header"},
		{"mdadm --zero-superblock /dev/sdb1 /dev/sdc1", Confirm, "volumes.erase-header"},
		{`zfs "$OP" tank/data`, Confirm, "volumes.unknown-subcommand"},
	}, VolumesPack())
}

func TestVolumesAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"lvremove --test vg0/data", Allow, ""},
		{"lvs", Allow, ""},
		{"lvm lvs", Allow, ""},
		{"lvcreate -L 10G -n data vg0", Allow, ""},
		{"lvextend -r -L +5G vg0/data", Allow, ""},
		{"zfs list -t snapshot", Allow, ""},
		{"zfs snapshot tank/data@before-upgrade", Allow, ""},
		{"zfs destroy -n -v tank/data@2024-06-01", Allow, ""},
		{"zfs get compressratio tank", Allow, ""},
		{"zpool status -x", Allow, ""},
		{"zpool list", Allow, ""},
		{"zpool scrub tank", Allow, ""},
		{"zpool remove -n tank mirror-1", Allow, ""},
		{"btrfs subvolume list /mnt/pool", Allow, ""},
		{"btrfs sub snapshot -r /mnt/pool/@ /mnt/pool/snapshots/now", Allow, ""},
		{"btrfs filesystem df /", Allow, ""},
		{"btrfs check /dev/sdb", Allow, ""},
		{"btrfs scrub start /", Allow, ""},
		{"cryptsetup status cryptroot", Allow, ""},
		{"cryptsetup luksDump /dev/sdb2", Allow, ""},
		{"cryptsetup open /dev/sdb2 data", Allow, ""},
		{"mdadm --detail /dev/md0", Allow, ""},
	}, VolumesPack())
}

func TestVolumesReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"lvremove -f vg0/data", "volumes.lvm-remove", []string{"logical volumes vg0/data", "data on them"}},
		{"zfs destroy -r tank/home", "volumes.zfs-destroy", []string{"ZFS dataset tank/home with every dataset and snapshot below it"}},
		{"zfs destroy tank/data@2024-06-01", "volumes.zfs-destroy", []string{"ZFS snapshots tank/data@2024-06-01"}},
		{"zpool destroy tank", "volumes.zfs-destroy", []string{"ZFS pool tank"}},
		{"btrfs sub del snapshots/old", "volumes.btrfs-delete", []string{"/home/u/code/app/snapshots/old"}},
		{"cryptsetup luksErase /dev/sdb2", "volumes.erase-header", []string{"/dev/sdb2", "never be decrypted"}},
	}, VolumesPack())
}
