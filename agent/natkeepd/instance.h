/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An account's +sip.instance (RFC 5626 4.1): a UUID of its own for each
 * gateway and account, the same across restarts and reboots. It is drawn
 * from /etc/machine-id, else (OpenWrt and other images without one) from
 * the gateway's lowest permanent hardware address: a constant would be
 * the same on every such gateway.
 */
#ifndef NKD_INSTANCE_H
#define NKD_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * "urn:uuid:..." for account into out. root is the file system's root
 * ("/", or a directory standing in for it). False when neither a machine
 * id nor a hardware address was found (the UUID is then the same on every
 * gateway without them).
 */
bool nkd_instance_urn(const char *root, const char *account, char *out, size_t len);

#endif
