// SPDX-License-Identifier: GPL-2.0
/*
 * The size of this host's XSAVE area as ptrace's NT_X86_XSTATE regset has
 * it. UML 6.1 hard-codes 2696 bytes (AVX-512) and its PTRACE_SETREGSET
 * fails with EFAULT on hosts with a larger area (AMX: 11008), which kills
 * init at boot ("ptrace set fp regs failed, errno = 14"): such a host
 * cannot run the KUnit tier, and run.sh says so and skips it.
 */
#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	static char buf[1 << 16];
	struct iovec iov = { buf, sizeof(buf) };
	pid_t pid = fork();
	int ok;

	if (pid < 0)
		return 1;
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	ok = ptrace(PTRACE_GETREGSET, pid, NT_X86_XSTATE, &iov) == 0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!ok)
		return 1;
	printf("%zu\n", iov.iov_len);
	return 0;
}
