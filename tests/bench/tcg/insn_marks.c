// SPDX-License-Identifier: GPL-2.0
/*
 * insn_marks: a QEMU TCG plugin for make bench's hook part.
 *
 *   qemu-system-x86_64 ... -plugin insn_marks.so,out=FILE
 *
 * Counts the guest instructions each vCPU executes, and each time the guest
 * executes the marker instruction, xchg %bx,%bx (66 87 db: it changes
 * nothing, and compilers do not emit it), writes one line to FILE:
 *   "MARK SEQ VCPU COUNT0 COUNT1 ..."   (every vCPU's count at that moment)
 * udpflood alt executes it at each slice's start and after the last: the
 * instructions a slice took, all vCPUs together, per datagram sent, are then
 * counted, where the time a slice took under TCG moves by several percent
 * from minute to minute.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

NK_EXPORT int qemu_plugin_version = 1;

#define MAX_VCPUS 64

/* Each vCPU's count is written by that vCPU's thread only. */
static uint64_t counts[MAX_VCPUS];
static unsigned int vcpus_seen;
static FILE *out;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long marks;
static const unsigned char marker[] = { 0x66, 0x87, 0xdb };

static void tb_exec(unsigned int vcpu, void *insns)
{
	if (vcpu >= MAX_VCPUS)
		return;
	__atomic_store_n(&counts[vcpu], counts[vcpu] + (uintptr_t)insns,
			 __ATOMIC_RELAXED);
	if (vcpu >= __atomic_load_n(&vcpus_seen, __ATOMIC_RELAXED))
		__atomic_store_n(&vcpus_seen, vcpu + 1, __ATOMIC_RELAXED);
}

static void mark(unsigned int vcpu, void *unused)
{
	unsigned int i, n = __atomic_load_n(&vcpus_seen, __ATOMIC_RELAXED);

	(void)unused;
	pthread_mutex_lock(&out_lock);
	if (out) {	/* NULL once qemu is exiting (at_exit) */
		fprintf(out, "MARK %llu %u", marks++, vcpu);
		for (i = 0; i < n; i++)
			fprintf(out, " %llu", (unsigned long long)
				__atomic_load_n(&counts[i], __ATOMIC_RELAXED));
		fputc('\n', out);
	}
	pthread_mutex_unlock(&out_lock);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS,
					     (void *)(uintptr_t)n);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (qemu_plugin_insn_size(insn) == sizeof(marker) &&
		    !memcmp(qemu_plugin_insn_data(insn), marker, sizeof(marker)))
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void at_exit(qemu_plugin_id_t id, void *unused)
{
	(void)id;
	(void)unused;
	pthread_mutex_lock(&out_lock);
	fclose(out);
	out = NULL;
	pthread_mutex_unlock(&out_lock);
}

NK_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
				  const struct qemu_info_t *info, int argc,
				  char **argv)
{
	const char *path = NULL;
	int i;

	(void)info;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
	if (!path) {
		fprintf(stderr, "insn_marks: out=FILE, please\n");
		return 1;
	}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return 1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
