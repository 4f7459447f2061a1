package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// A dry run or a help request destroys nothing: "mkfs.ext4 -n DEV" prints
// what it would do, "sfdisk --no-act DEV" does everything but write,
// "terraform destroy --help" prints usage. The packs that judge these
// destroyers ask the two functions below before they report, so the
// exemption lives in one place and reads the options precisely: a word that
// may be an option's value ("-L -n", "-m --help") is not taken for the flag,
// and a filesystem whose -n means something else (mkfs.vfat -n LABEL) is not
// taken for a dry run.

// askHelp reports whether args ask the tool for help instead of acting:
// "help" as the first operand, or -h, -help or --help in a place where it
// cannot be the value of the option before it (the word before it is an
// operand, or an option written with its value attached). The words after
// "--" are operands and never count.
func askHelp(args []interceptor.Word) bool {
	for k, a := range args {
		if a.Unknown {
			return false
		}
		v := a.Value
		if v == "--" {
			return false
		}
		switch v {
		case "-h", "-help", "--help":
			if k == 0 {
				return true
			}
			prev := args[k-1].Value
			if !strings.HasPrefix(prev, "-") || strings.Contains(prev, "=") {
				return true
			}
		}
	}
	return len(args) > 0 && args[0].Value == "help" && !args[0].Unknown
}

// mkfsDryRun reports whether a mkfs-family command only shows what it would
// do. mke2fs (mkfs.ext2/3/4, and plain mkfs, whose default is ext2) and
// mkntfs take -n; mkfs.xfs takes -N; mkntfs also --no-action. Other
// formatters have no dry run (mkfs.vfat's -n sets the volume name).
func mkfsDryRun(name string, args []interceptor.Word) bool {
	fs := strings.TrimPrefix(name, "mkfs.")
	if name == "mkfs" {
		fs = "ext2"
		for k, a := range args {
			if a.Value == "-t" && k+1 < len(args) {
				fs = args[k+1].Value
			} else if t, ok := strings.CutPrefix(a.Value, "-t"); ok && t != "" {
				fs = t
			} else if t, ok := strings.CutPrefix(a.Value, "--type="); ok {
				fs = t
			}
		}
	}
	switch fs {
	case "mke2fs", "ext2", "ext3", "ext4":
		// mke2fs's options that take a value: a cluster ends at one.
		return shortFlagSet(args, 'n', "bCdeEfgGiIJlLmMNoOrtTUz", "")
	case "mkntfs", "ntfs":
		return shortFlagSet(args, 'n', "cCHLpsSz", "--no-action")
	case "xfs":
		return shortFlagSet(args, 'N', "bdilLmnprs", "")
	}
	return false
}

// shortFlagSet reports whether the flag letter is set among args, read the
// getopt way: a cluster ("-qn") sets each letter until one that takes a
// value (in withValue), which takes the rest of the word or the next word.
// long, when not empty, is a long spelling of the same flag. Reading stops
// at "--" and at a word that cannot be known.
func shortFlagSet(args []interceptor.Word, flag byte, withValue, long string) bool {
	for k := 0; k < len(args); k++ {
		a := args[k]
		if a.Unknown {
			return false
		}
		v := a.Value
		if v == "--" {
			return false
		}
		if long != "" && v == long {
			return true
		}
		if len(v) < 2 || v[0] != '-' || v[1] == '-' {
			continue
		}
		for i := 1; i < len(v); i++ {
			if v[i] == flag {
				return true
			}
			if strings.IndexByte(withValue, v[i]) >= 0 {
				if i == len(v)-1 {
					k++ // the value is the next word
				}
				break
			}
		}
	}
	return false
}
