// SPDX-License-Identifier: GPL-2.0
/*
 * natkeep: keep-alives for SIP signalling sockets behind NAT, sent from the
 * kernel on high-resolution timers and driven over generic netlink.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "cpu_time.h"
#include "flow.h"
#include "hook.h"
#include "netlink.h"
#include "timer.h"
#include "version.h"

static int __init nk_mod_init(void)
{
	int err;

	nk_cpu_time_init();
	err = nk_timer_queues_init();
	if (err)
		goto err_timers;
	err = nk_hook_init();
	if (err)
		goto err_hook;
	err = nk_flow_init();
	if (err)
		goto err_flow;
	err = nk_netlink_init();
	if (err)
		goto err_netlink;
	pr_info("version " NATKEEP_VERSION " loaded\n");
	return 0;

err_netlink:
	nk_flow_uninit();
err_flow:
	nk_hook_uninit();
err_hook:
	nk_timer_queues_uninit();
err_timers:
	nk_cpu_time_uninit();
	return err;
}

static void __exit nk_mod_exit(void)
{
	/* No new requests first, then every namespace's flows go. */
	nk_netlink_uninit();
	nk_flow_uninit();
	nk_hook_uninit();
	nk_timer_queues_uninit();
	nk_cpu_time_uninit();
	pr_info("unloaded\n");
}

module_init(nk_mod_init);
module_exit(nk_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel keep-alives for SIP signalling sockets behind NAT");
MODULE_AUTHOR("natkeep developers");
MODULE_VERSION(NATKEEP_VERSION);
MODULE_ALIAS_GENL_FAMILY(NATKEEP_GENL_NAME);
