package oneliner

import "testing"

// TestKebab: AWS API parameter names become the aws CLI's option names.
func TestKebab(t *testing.T) {
	for in, want := range map[string]string{
		"Bucket":                "bucket",
		"DBInstanceIdentifier":  "db-instance-identifier",
		"SkipFinalSnapshot":     "skip-final-snapshot",
		"InstanceIds":           "instance-ids",
		"BackupRetentionPeriod": "backup-retention-period",
		"SSEKMSKeyId":           "ssekms-key-id",
		"MaxKeys":               "max-keys",
	} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
}
