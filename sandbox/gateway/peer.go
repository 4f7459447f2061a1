package gateway

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/internal/display"
)

// Which program sent a request: the process of the agent's tree that holds
// the client's end of the loopback connection, found through /proc (the
// socket's inode in /proc/net/tcp, then the descriptor that names it). It
// is told to the human who approves and written in the audit log; it
// decides nothing.

// maxPeerTree bounds the processes searched.
const maxPeerTree = 4096

// PeerOf describes the process at the other end of the loopback connection
// from remote to local (the gateway's own address), searching the tree of
// processes under root (guard wrap's own process; 0 searches every
// process): "python3 /home/u/agent.py (process 812)", or "" when it
// cannot be found.
func PeerOf(remote, local string, root int) string {
	rport, lport, ok := ports(remote, local)
	if !ok {
		return ""
	}
	inode := socketInode(rport, lport)
	if inode == "" {
		return ""
	}
	pid := socketOwner("socket:["+inode+"]", root)
	if pid == 0 {
		return ""
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(data) == 0 {
		return fmt.Sprintf("process %d", pid)
	}
	argv := strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
	shown := display.Line(env.Redact(strings.Join(argv, " ")))
	if r := []rune(shown); len(r) > 100 {
		shown = string(r[:99]) + "…"
	}
	return fmt.Sprintf("%s (process %d)", shown, pid)
}

// ports returns the port numbers of two host:port addresses.
func ports(remote, local string) (r, l uint64, ok bool) {
	_, rp, err1 := net.SplitHostPort(remote)
	_, lp, err2 := net.SplitHostPort(local)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	r, err1 = strconv.ParseUint(rp, 10, 16)
	l, err2 = strconv.ParseUint(lp, 10, 16)
	return r, l, err1 == nil && err2 == nil
}

// socketInode returns the inode of the client's socket: the one whose
// local port is the client's and whose remote port is the gateway's, on
// loopback (IPv4, or IPv4 mapped into IPv6).
func socketInode(clientPort, gatewayPort uint64) string {
	want := fmt.Sprintf(":%04X", clientPort)
	peer := fmt.Sprintf(":%04X", gatewayPort)
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			fields := strings.Fields(s.Text())
			if len(fields) < 10 || !strings.HasSuffix(fields[1], want) || !strings.HasSuffix(fields[2], peer) {
				continue
			}
			if loopbackHex(strings.TrimSuffix(fields[1], want)) && loopbackHex(strings.TrimSuffix(fields[2], peer)) {
				f.Close()
				return fields[9]
			}
		}
		f.Close()
	}
	return ""
}

// loopbackHex reports whether an address of /proc/net/tcp{,6} (hex, in
// host order per 32-bit word) is 127.0.0.1, alone or mapped into IPv6.
func loopbackHex(a string) bool {
	return a == "0100007F" || a == "0000000000000000FFFF00000100007F"
}

// socketOwner returns a process under root (root included; every process
// when root is 0) with a descriptor naming link, or 0.
func socketOwner(link string, root int) int {
	for _, pid := range tree(root) {
		dir := "/proc/" + strconv.Itoa(pid) + "/fd"
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if l, err := os.Readlink(dir + "/" + e.Name()); err == nil && l == link {
				return pid
			}
		}
	}
	return 0
}

// tree lists root and its descendants, children before their parents'
// later siblings; every process when root is 0. Children are read from
// /proc/PID/task/TID/children.
func tree(root int) []int {
	if root == 0 {
		var all []int
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if pid, err := strconv.Atoi(e.Name()); err == nil {
				all = append(all, pid)
			}
		}
		return all
	}
	out := []int{}
	queue := []int{root}
	seen := map[int]bool{}
	for len(queue) > 0 && len(out) < maxPeerTree {
		pid := queue[0]
		queue = queue[1:]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		out = append(out, pid)
		tasks, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
		for _, t := range tasks {
			data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + t.Name() + "/children")
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(data)) {
				if c, err := strconv.Atoi(f); err == nil {
					queue = append(queue, c)
				}
			}
		}
	}
	return out
}
