// SPDX-License-Identifier: GPL-2.0
/* An account's +sip.instance (see instance.h). */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sofia-sip/su_md5.h>

#include "instance.h"

/* The first line of root/path into buf ("" if none); false if none. */
static bool read_line(const char *root, const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(full, sizeof(full), "%s/%s", root, path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] != '\0';
}

/*
 * The lowest permanent address (addr_assign_type 0) of a network device
 * that is hardware (has a device link): the same at every boot, whatever
 * the interfaces are named or brought up in.
 */
static bool hardware_address(const char *root, char *out, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX + 320], value[64];
	struct dirent *e;
	DIR *d;

	out[0] = '\0';
	snprintf(dir, sizeof(dir), "%s/sys/class/net", root);
	d = opendir(dir);
	if (!d)
		return false;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/device", dir, e->d_name);
		if (access(path, F_OK))
			continue;
		snprintf(path, sizeof(path), "sys/class/net/%s/addr_assign_type", e->d_name);
		if (read_line(root, path, value, sizeof(value)) && strcmp(value, "0"))
			continue;
		snprintf(path, sizeof(path), "sys/class/net/%s/address", e->d_name);
		if (!read_line(root, path, value, sizeof(value)) ||
		    !strcmp(value, "00:00:00:00:00:00"))
			continue;
		if (!out[0] || strcmp(value, out) < 0)
			snprintf(out, len, "%s", value);
	}
	closedir(d);
	return out[0] != '\0';
}

bool nkd_instance_urn(const char *root, const char *account, char *out, size_t len)
{
	char seed[80] = "natkeep";
	unsigned char d[16];
	bool found = true;
	su_md5_t md5;

	if (!read_line(root, "etc/machine-id", seed, sizeof(seed)) &&
	    !hardware_address(root, seed, sizeof(seed))) {
		snprintf(seed, sizeof(seed), "natkeep");
		found = false;
	}
	su_md5_init(&md5);
	su_md5_strupdate(&md5, seed);
	su_md5_strupdate(&md5, account);
	su_md5_digest(&md5, d);
	d[6] = (d[6] & 0x0f) | 0x30;	/* version 3: name-based */
	d[8] = (d[8] & 0x3f) | 0x80;
	snprintf(out, len,
		 "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3], d[4], d[5], d[6],
		 d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
	return found;
}
