package rules

import "testing"

// TestDryRunAndHelp: a dry run or a help request of a destroyer destroys
// nothing (dryrun.go); the same command without it, or with a word that only
// looks like the flag, is judged as before.
func TestDryRunAndHelp(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// mkfs dry runs
		{"mkfs.ext4 -n /dev/sdb1", Allow, ""},
		{"sudo mke2fs -n -t ext4 /dev/sdb", Allow, ""},
		{"mkfs.ext4 -qn /dev/sdb1", Allow, ""},
		{"mkfs -n /dev/sdb1", Allow, ""},
		{"mkfs -t ext4 -n /dev/sdb1", Allow, ""},
		{"mkfs.xfs -N /dev/sdb1", Allow, ""},
		{"mkntfs --no-action /dev/sdb1", Allow, ""},
		{"mkfs.ext4 /dev/sdb1", Deny, "fs.format"},
		{"mkfs.ext4 -L -n /dev/sdb1", Deny, "fs.format"},
		{"mkfs.ext4 -Ln /dev/sdb1", Deny, "fs.format"},
		{"mkfs.ext4 -F /dev/sdb1", Deny, "fs.format"},
		{"mkfs.ext4 -- -n /dev/sdb1", Deny, "fs.format"},
		{"mkfs.vfat -n DATA /dev/sdb1", Deny, "fs.format"},
		{"mkfs -t vfat -n DATA /dev/sdb1", Deny, "fs.format"},
		{"mkfs.xfs -n size=4096 /dev/sdb1", Deny, "fs.format"},
		{"mkfs.ext4 -n disk.img", Allow, ""},
		{"mkfs.ext4 disk.img", Confirm, "system.format"},
		// sfdisk does everything but the write
		{"sfdisk --no-act /dev/sdb < layout", Allow, ""},
		{"sfdisk -n /dev/sdb < layout", Allow, ""},
		{"sfdisk -n --delete /dev/sdb 2", Allow, ""},
		{"sfdisk /dev/sdb < layout", Confirm, "system.partition"},
		{"sfdisk -N 2 /dev/sdb < layout", Confirm, "system.partition"},
		// git filter-repo
		{"git filter-repo --dry-run", Allow, ""},
		{"git filter-repo --path secrets/ --invert-paths --dry-run", Allow, ""},
		{"git filter-repo --path secrets/ --invert-paths", Confirm, "git.rewrite-history"},
		// help requests of infrastructure destroyers
		{"terraform destroy --help", Allow, ""},
		{"terraform destroy -h", Allow, ""},
		{"terraform destroy -help", Allow, ""},
		{"terraform -chdir=infra destroy -help", Allow, ""},
		{"terraform help destroy", Allow, ""},
		{"tofu destroy -target=aws_db_instance.main --help", Allow, ""},
		{"pulumi destroy --help", Allow, ""},
		{"cdk destroy -h", Allow, ""},
		{"npx cdk destroy --help", Allow, ""},
		{"serverless remove --help", Allow, ""},
		{"terraform destroy", Confirm, "iac.destroy"},
		{"terraform destroy -var -h", Confirm, "iac.destroy"},
		{"pulumi destroy -m --help --yes", Confirm, "iac.destroy"},
		{"terraform destroy -- --help", Confirm, "iac.destroy"},
		{"pulumi destroy --yes", Confirm, "iac.destroy"},
	}, FSPack(), SystemPack(), GitPack(), IaCPack())
}
