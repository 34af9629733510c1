// SPDX-License-Identifier: GPL-2.0
/*
 * An account's +sip.instance (natkeepd/instance.c), from a stand-in root
 * directory: the machine id when there is one, else the lowest permanent
 * hardware address (two gateways without a machine id differ; one gateway
 * keeps its UUID whatever its interfaces are named), else a constant said
 * to be one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "instance.h"
#include "runner.h"

static char root[64];

static void make_root(void)
{
	snprintf(root, sizeof(root), "/tmp/nk-instance-XXXXXX");
	if (!mkdtemp(root))
		abort();
}

static void remove_root(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		abort();
}

static void put(const char *path, const char *text)
{
	char full[256], dir[256], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", root, path);
	snprintf(dir, sizeof(dir), "%s", full);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	if (!text) {
		mkdir(full, 0755);
		return;
	}
	f = fopen(full, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

/* A hardware interface NAME with ADDRESS (assign type 0: permanent). */
static void nic(const char *name, const char *address, const char *assign_type)
{
	char path[128];

	snprintf(path, sizeof(path), "sys/class/net/%s/device", name);
	put(path, NULL);
	snprintf(path, sizeof(path), "sys/class/net/%s/address", name);
	put(path, address);
	snprintf(path, sizeof(path), "sys/class/net/%s/addr_assign_type", name);
	put(path, assign_type);
}

static void the_machine_id_makes_it(void)
{
	char a[64], b[64], c[64];

	make_root();
	put("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
	nic("eth0", "02:00:00:00:00:01\n", "0\n");
	CHECK(nkd_instance_urn(root, "SP1", a, sizeof(a)));
	CHECK(!strncmp(a, "urn:uuid:", 9) && strlen(a) == 45);
	CHECK(nkd_instance_urn(root, "SP2", b, sizeof(b)));
	CHECK(strcmp(a, b));		/* one per account */
	/* Another address changes nothing while the machine id is there. */
	nic("eth0", "02:00:00:00:00:02\n", "0\n");
	CHECK(nkd_instance_urn(root, "SP1", c, sizeof(c)));
	CHECK_STR(c, a);
	remove_root();
}

static void without_a_machine_id_the_hardware_address_makes_it(void)
{
	char a[64], b[64], c[64];

	make_root();
	nic("eth1", "02:00:00:00:00:09\n", "0\n");
	nic("eth0", "02:00:00:00:00:05\n", "0\n");
	/* Not hardware, or not permanent: left out. */
	put("sys/class/net/lo/address", "00:00:00:00:00:00\n");
	put("sys/class/net/br-lan/address", "02:00:00:00:00:01\n");
	nic("wlan0", "02:00:00:00:00:02\n", "1\n");
	CHECK(nkd_instance_urn(root, "SP1", a, sizeof(a)));
	remove_root();

	/* The same gateway, its interfaces named otherwise. */
	make_root();
	nic("lan1", "02:00:00:00:00:05\n", "0\n");
	nic("wan", "02:00:00:00:00:09\n", "0\n");
	CHECK(nkd_instance_urn(root, "SP1", b, sizeof(b)));
	CHECK_STR(b, a);
	remove_root();

	/* Another gateway. */
	make_root();
	nic("eth0", "02:00:00:00:00:06\n", "0\n");
	CHECK(nkd_instance_urn(root, "SP1", c, sizeof(c)));
	CHECK(strcmp(c, a));
	remove_root();
}

static void with_neither_it_says_so(void)
{
	char a[64];

	make_root();
	put("etc/machine-id", "\n");
	CHECK(!nkd_instance_urn(root, "SP1", a, sizeof(a)));
	CHECK(!strncmp(a, "urn:uuid:", 9));
	remove_root();
}

static const struct test_case cases[] = {
	TEST_CASE(the_machine_id_makes_it),
	TEST_CASE(without_a_machine_id_the_hardware_address_makes_it),
	TEST_CASE(with_neither_it_says_so),
};
TEST_SUITE(instance_suite, cases);
