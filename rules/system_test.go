package rules

import (
	"strings"
	"testing"
)

func TestSystemFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// raw writes onto disks
		{"dd if=/dev/urandom of=/dev/nvme0n1", Confirm, "system.disk-write"},
		{"dd if=/dev/zero of=/dev/sda bs=1M", Confirm, "system.disk-write"},
		{"sudo dd if=ubuntu.iso of=/dev/sdb bs=4M status=progress", Confirm, "system.disk-write"},
		{"dd if=disk.img of=/dev/mmcblk0", Confirm, "system.disk-write"},
		{"dd if=/dev/zero of=/dev/mapper/vg0-root", Confirm, "system.disk-write"},
		{"dd if=/dev/zero of=/dev/disk2", Confirm, "system.disk-write"},
		{"dd if=/dev/zero of=/dev/xvda1", Confirm, "system.disk-write"},
		{"dd if=/dev/zero of=/dev/sd?", Confirm, "system.disk-write"},
		{"cd /dev && dd if=/dev/zero of=sda", Confirm, "system.disk-write"},
		{"cat image.iso > /dev/sdb", Confirm, "system.disk-write"},
		{"echo garbage >/dev/vda", Confirm, "system.disk-write"},
		{"> /dev/nvme0n1p1", Confirm, "system.disk-write"},
		{"cat disk.img | sudo tee /dev/sdc >/dev/null", Confirm, "system.disk-write"},
		{"cp ubuntu.iso /dev/sdb", Confirm, "system.disk-write"},
		{"shred -n 1 /dev/sda", Confirm, "system.disk-write"},
		{"blkdiscard /dev/nvme0n1", Confirm, "system.disk-write"},
		{"badblocks -wsv /dev/sdb", Confirm, "system.disk-write"},
		{"ssh box 'dd if=/dev/zero of=/dev/sda'", Confirm, "system.disk-write"},
		// formatting
		{"mkfs.xfs /dev/sdb", Confirm, "system.format"},
		{"mkfs.ext4 -F /dev/sdb1", Confirm, "system.format"},
		{"mkfs -t ext4 /dev/sdb1", Confirm, "system.format"},
		{"mkfs.vfat -F 32 /dev/mmcblk0p1", Confirm, "system.format"},
		{"mkfs.ext4 disk.img", Confirm, "system.format"},
		{"mke2fs /dev/loop0", Confirm, "system.format"},
		{"mkswap /dev/sda2", Confirm, "system.format"},
		{"wipefs -a /dev/sda", Confirm, "system.format"},
		{"wipefs --all --force /dev/nvme0n1", Confirm, "system.format"},
		{"cryptsetup luksFormat /dev/sdb1", Confirm, "system.format"},
		{"diskutil eraseDisk APFS Blank disk2", Confirm, "system.format"},
		// partitioning
		{"fdisk /dev/sda", Confirm, "system.partition"},
		{"sfdisk /dev/sda < layout.txt", Confirm, "system.partition"},
		{"sfdisk --delete /dev/sda 2", Confirm, "system.partition"},
		{"parted /dev/sda", Confirm, "system.partition"},
		{"parted -s /dev/sda mklabel gpt", Confirm, "system.partition"},
		{"sgdisk --zap-all /dev/nvme0n1", Confirm, "system.partition"},
		{"sgdisk -n 1:0:+512M -t 1:ef00 /dev/sda", Confirm, "system.partition"},
		{"gdisk /dev/sdb", Confirm, "system.partition"},
		// power
		{"shutdown -h now", Confirm, "system.power"},
		{"sudo shutdown -r +1", Confirm, "system.power"},
		{"reboot", Confirm, "system.power"},
		{"sudo halt", Confirm, "system.power"},
		{"poweroff", Confirm, "system.power"},
		{"systemctl poweroff", Confirm, "system.power"},
		{"sudo systemctl reboot", Confirm, "system.power"},
		{"systemctl halt", Confirm, "system.power"},
		{"systemctl isolate rescue.target", Confirm, "system.power"},
		{"init 0", Confirm, "system.power"},
		{"sudo init 6", Confirm, "system.power"},
		{"telinit 1", Confirm, "system.power"},
		{"ssh prod sudo reboot", Confirm, "system.power"},
		// crontab
		{"crontab -r", Confirm, "system.crontab-wipe"},
		{"crontab -ir", Confirm, "system.crontab-wipe"},
		{"crontab -u deploy -r", Confirm, "system.crontab-wipe"},
		{"crontab /dev/null", Confirm, "system.crontab-wipe"},
		{"echo '' | crontab -", Confirm, "system.crontab-wipe"},
		{"printf '' | crontab -", Confirm, "system.crontab-wipe"},
		{"crontab - < /dev/null", Confirm, "system.crontab-wipe"},
		{"crontab - <<EOF\nEOF", Confirm, "system.crontab-wipe"},
		// kill everything
		{"kill -9 -1", Confirm, "system.kill-all"},
		{"pkill -9 -u root", Confirm, "system.kill-all"},
		{"killall -u alice", Confirm, "system.kill-all"},
		{"pkill -KILL --euid=1000", Confirm, "system.kill-all"},
		{"pkill -f .", Confirm, "system.kill-all"},
		{"pkill -f 'node server.js'", Allow, ""},
		{"pkill node", Allow, ""},
		{"killall python3", Allow, ""},
		{"pkill -u $USER -f 'vite'", Allow, ""},
		{"kill -KILL -1", Confirm, "system.kill-all"},
		{"kill -SIGKILL -1", Confirm, "system.kill-all"},
		{"kill -s KILL -1", Confirm, "system.kill-all"},
		{"kill -- -1", Confirm, "system.kill-all"},
		{"sudo kill -15 -1", Confirm, "system.kill-all"},
		{"killall5 -9", Confirm, "system.kill-all"},
		// permissions of the system tree
		{"chmod -R 777 /", Confirm, "system.perm-root"},
		{"sudo chown -R u:u /", Confirm, "system.perm-root"},
		{"chown -R nobody /usr", Confirm, "system.perm-root"},
		{"chmod -Rf 755 /etc", Confirm, "system.perm-root"},
		{"chmod --recursive a+w /var", Confirm, "system.perm-root"},
		{"chmod 000 /", Confirm, "system.perm-root"},
		{"chgrp -R staff /", Confirm, "system.perm-root"},
		{"chmod -R 777 /*", Confirm, "system.perm-root"},
		{"cd / && chmod -R 777 .", Confirm, "system.perm-root"},
	}, SystemPack())
}

func TestSystemAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"df -h", Allow, ""},
		{"lsblk", Allow, ""},
		{"dd if=/dev/zero of=test.img bs=1M count=10", Allow, ""},
		{"dd if=/dev/sda of=backup.img bs=4M", Allow, ""},
		{"dd if=/dev/urandom of=/dev/null bs=1M count=100", Allow, ""},
		{"dd if=/dev/zero of=out.img", Allow, ""},
		{"echo hi > /dev/null", Allow, ""},
		{"make 2>/dev/null", Allow, ""},
		{"echo done > /dev/stderr", Allow, ""},
		{"echo hi | tee /dev/tty", Allow, ""},
		{"npm test 2>&1 | tee test.log", Allow, ""},
		{"cp build/app /tmp/app", Allow, ""},
		{"cat /dev/sda | head -c 512 > mbr.bin", Allow, ""},
		{"mkswap /swapfile", Allow, ""},
		{"mkfs.ext4 --help", Allow, ""},
		{"wipefs /dev/sda", Allow, ""},
		{"wipefs -n -a /dev/sda", Allow, ""},
		{"fdisk -l", Allow, ""},
		{"sudo fdisk -l /dev/sda", Allow, ""},
		{"sfdisk -d /dev/sda > table.txt", Allow, ""},
		{"parted -l", Allow, ""},
		{"parted -s /dev/sda unit MB print", Allow, ""},
		{"sgdisk -p /dev/sda", Allow, ""},
		{"fdisk disk.img", Allow, ""},
		{"diskutil list", Allow, ""},
		{"shutdown -c", Allow, ""},
		{"systemctl status api", Allow, ""},
		{"systemctl restart nginx", Allow, ""},
		{"systemctl --user start app.service", Allow, ""},
		{"crontab -l", Allow, ""},
		{"crontab -l > cron.bak", Allow, ""},
		{"crontab mycron.txt", Allow, ""},
		{"echo '0 * * * * make backup' | crontab -", Allow, ""},
		{"pkill -f vite", Allow, ""},
		{"kill 1234", Allow, ""},
		{"kill -9 1234", Allow, ""},
		{"kill -1", Allow, ""},
		{"kill -0 -1", Allow, ""},
		{"kill -l", Allow, ""},
		{"killall node", Allow, ""},
		{"chmod 755 scripts/build.sh", Allow, ""},
		{"chmod -R u+w build/", Allow, ""},
		{"chown -R u:u /home/u/code/app/dist", Allow, ""},
		{"chmod -R 755 /usr/local/share/app", Allow, ""},
		{"echo 'reboot' > notes.txt", Allow, ""},
		{"grep -rn 'mkfs' docs/", Allow, ""},
		{"init", Allow, ""},
		{"git init", Allow, ""},
	}, SystemPack())
}

// TestSystemReasons checks that reasons name the device and the host.
func TestSystemReasons(t *testing.T) {
	cases := []struct{ src, want string }{
		{"dd if=/dev/urandom of=/dev/nvme0n1", "/dev/nvme0n1"},
		{"mkfs.xfs /dev/sdb", "/dev/sdb"},
		{"wipefs -a /dev/sda", "/dev/sda"},
		{"ssh prod sudo reboot", "on ssh prod"},
		{"kill -9 -1", "SIGKILL"},
	}
	for _, c := range cases {
		v := judgeWith(t, c.src, SystemPack())
		if len(v.Findings) == 0 || !strings.Contains(v.Findings[0].Reason, c.want) {
			t.Errorf("%q: findings %+v do not say %q", c.src, v.Findings, c.want)
		}
	}
}
