/* noseccomp ERRNO PROG ARGS...: runs PROG on a machine without seccomp
 * filters, as a kernel built without them or a container whose own seccomp
 * profile forbids them: seccomp(2) and prctl(PR_SET_SECCOMP) fail with
 * ERRNO (a number: 38 ENOSYS, 1 EPERM), every other call is allowed. The
 * end-to-end tests of guard's degraded routes compile it with cc. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: noseccomp ERRNO PROG ARGS...\n");
		return 2;
	}
	unsigned int e = (unsigned int)atoi(argv[1]) & SECCOMP_RET_DATA;
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | e),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_SECCOMP, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | e),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof insns / sizeof insns[0], .filter = insns};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("noseccomp: install the filter");
		return 3;
	}
	execv(argv[2], argv + 2);
	perror("noseccomp: exec");
	return 127;
}
