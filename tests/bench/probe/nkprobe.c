// SPDX-License-Identifier: GPL-2.0
/*
 * nkprobe: the reference clock of make bench's send lateness.
 *
 * Under qemu without KVM the timer interrupt itself is late by up to
 * milliseconds, so a sender's lateness is mostly the emulator's. For each
 * channel (a sender, known by its UDP source port, and the grid it sends
 * on: start + k * period) a hard irq hrtimer expires on the same grid and
 * CPU and records its own lateness per tick k; a LOCAL_OUT hook, in every
 * network namespace, records when each of the sender's packets reached the
 * IP layer. Per tick, sender minus reference is what the sender adds.
 *
 * A channel of port 0 has no sender: its reference raises a HI tasklet
 * that only takes the time. HI is the first softirq to run at the
 * interrupt's exit, and the stack sends only from softirq or process
 * context, so that is the earliest any sender could reach the IP layer on
 * that tick: the floor.
 *
 * insmod nkprobe.ko period_ns=P ticks=T cpu=C ports=P0,P1 starts=S0,S1
 * cat /proc/nkprobe     one line per tick: "k ref0 late0 ctx0 ref1 ..."
 *
 * For burstiness it also counts, in bins of bin_ns from bins_start_ns, the
 * UDP packets whose source port is in bin_ports_lo..bin_ports_hi:
 * insmod nkprobe.ko bins=N bin_ns=B bins_start_ns=S bin_ports_lo=L bin_ports_hi=H
 * cat /proc/nkprobe_bins  one count per line
 */
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/ip.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/udp.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#define NKP_MAX_CHANNELS 8
#define NKP_MAX_TICKS 1000000
#define NKP_NONE S64_MIN

static ulong period_ns = 20000000;
module_param(period_ns, ulong, 0444);
MODULE_PARM_DESC(period_ns, "Grid period (ns)");
static uint ticks = 1500;
module_param(ticks, uint, 0444);
MODULE_PARM_DESC(ticks, "Ticks per channel");
static int cpu;
module_param(cpu, int, 0444);
MODULE_PARM_DESC(cpu, "CPU of the reference timers (the senders' CPU)");
static ushort ports[NKP_MAX_CHANNELS];
static int nports;
module_param_array(ports, ushort, &nports, 0444);
MODULE_PARM_DESC(ports, "UDP source port of each channel's sender");
static unsigned long long starts[NKP_MAX_CHANNELS];
static int nstarts;
module_param_array(starts, ullong, &nstarts, 0444);
MODULE_PARM_DESC(starts, "CLOCK_MONOTONIC ns of each channel's tick 0");

static uint bins;
module_param(bins, uint, 0444);
MODULE_PARM_DESC(bins, "Bins of the packet count (0: none)");
static ulong bin_ns = 10000000;
module_param(bin_ns, ulong, 0444);
MODULE_PARM_DESC(bin_ns, "Width of a bin (ns)");
static unsigned long long bins_start_ns;
module_param(bins_start_ns, ullong, 0444);
MODULE_PARM_DESC(bins_start_ns, "CLOCK_MONOTONIC ns where bin 0 begins");
static ushort bin_ports_lo, bin_ports_hi;
module_param(bin_ports_lo, ushort, 0444);
MODULE_PARM_DESC(bin_ports_lo, "Lowest source port counted");
module_param(bin_ports_hi, ushort, 0444);
MODULE_PARM_DESC(bin_ports_hi, "Highest source port counted");

static atomic_t *bin_counts;

struct nkp_sample {
	s64 late;	/* ns after the tick, NKP_NONE if none */
	u8 ctx;		/* p(rocess), s(oftirq), k(softirqd), h(ardirq) */
};

struct nkp_channel {
	struct hrtimer ref;
	struct tasklet_struct floor;	/* port 0 only */
	ktime_t start;
	u16 port;
	u32 next_tick;
	s64 *ref_late;
	struct nkp_sample *sent;
	atomic_t dups;		/* a second packet in one tick */
	atomic_t off_cpu;	/* a packet sent on another CPU */
};

static struct nkp_channel channels[NKP_MAX_CHANNELS];

static ktime_t nkp_tick_time(const struct nkp_channel *ch, u32 k)
{
	return ktime_add_ns(ch->start, (u64)k * period_ns);
}

static enum hrtimer_restart nkp_ref_expired(struct hrtimer *timer)
{
	struct nkp_channel *ch = container_of(timer, struct nkp_channel, ref);
	ktime_t now = ktime_get();
	u32 k = ch->next_tick++;

	ch->ref_late[k] = ktime_to_ns(ktime_sub(now, nkp_tick_time(ch, k)));
	if (!ch->port)
		tasklet_hi_schedule(&ch->floor);
	if (ch->next_tick >= ticks)
		return HRTIMER_NORESTART;
	hrtimer_set_expires(timer, nkp_tick_time(ch, ch->next_tick));
	return HRTIMER_RESTART;
}

static u8 nkp_context(void)
{
	if (in_hardirq())
		return 'h';
	/* ksoftirqd itself is not exported; its name is stable ABI enough. */
	if ((current->flags & PF_KTHREAD) &&
	    !strncmp(current->comm, "ksoftirqd/", 10))
		return 'k';
	if (in_serving_softirq())
		return 's';
	return 'p';
}

static void nkp_record(struct nkp_channel *ch, ktime_t now)
{
	struct nkp_sample *s;
	u64 since, k;

	if (ktime_before(now, ch->start))
		return;
	since = ktime_to_ns(ktime_sub(now, ch->start));
	k = div64_u64(since, period_ns);
	if (k >= ticks)
		return;
	if (smp_processor_id() != cpu)
		atomic_inc(&ch->off_cpu);
	s = &ch->sent[k];
	if (s->late != NKP_NONE) {
		atomic_inc(&ch->dups);
		return;
	}
	s->late = since - k * period_ns;
	s->ctx = nkp_context();
}

static void nkp_floor_run(struct tasklet_struct *t)
{
	struct nkp_channel *ch = from_tasklet(ch, t, floor);

	nkp_record(ch, ktime_get());
}

static unsigned int nkp_local_out(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	ktime_t now = ktime_get();
	const struct iphdr *iph = ip_hdr(skb);
	struct udphdr _uh;
	const struct udphdr *uh;
	u16 sport;
	int i;

	if (iph->protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, skb_network_offset(skb) + iph->ihl * 4,
				sizeof(_uh), &_uh);
	if (!uh)
		return NF_ACCEPT;
	sport = ntohs(uh->source);
	if (bins && sport >= bin_ports_lo && sport <= bin_ports_hi &&
	    ktime_to_ns(now) >= bins_start_ns) {
		u64 bin = div64_u64(ktime_to_ns(now) - bins_start_ns, bin_ns);

		if (bin < bins)
			atomic_inc(&bin_counts[bin]);
	}
	for (i = 0; i < nports; i++)
		if (channels[i].port && channels[i].port == sport)
			nkp_record(&channels[i], now);
	return NF_ACCEPT;
}

static const struct nf_hook_ops nkp_ops = {
	.hook = nkp_local_out,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_LOCAL_OUT,
	.priority = NF_IP_PRI_FIRST,
};

static int __net_init nkp_net_init(struct net *net)
{
	return nf_register_net_hook(net, &nkp_ops);
}

static void __net_exit nkp_net_exit(struct net *net)
{
	nf_unregister_net_hook(net, &nkp_ops);
}

static struct pernet_operations nkp_net_ops = {
	.init = nkp_net_init,
	.exit = nkp_net_exit,
};

static void *nkp_seq_start(struct seq_file *m, loff_t *pos)
{
	int i;

	if (*pos == 0) {
		seq_printf(m, "# period_ns %lu ticks %u cpu %d channels %d\n",
			   period_ns, ticks, cpu, nports);
		for (i = 0; i < nports; i++)
			seq_printf(m, "# channel %d port %u start %lld dups %d off_cpu %d\n",
				   i, channels[i].port,
				   ktime_to_ns(channels[i].start),
				   atomic_read(&channels[i].dups),
				   atomic_read(&channels[i].off_cpu));
	}
	return *pos < ticks ? pos : NULL;
}

static void *nkp_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return *pos < ticks ? pos : NULL;
}

static void nkp_seq_stop(struct seq_file *m, void *v)
{
}

static void nkp_seq_value(struct seq_file *m, s64 v)
{
	if (v == NKP_NONE)
		seq_puts(m, " -");
	else
		seq_printf(m, " %lld", v);
}

static int nkp_seq_show(struct seq_file *m, void *v)
{
	u32 k = *(loff_t *)v;
	int i;

	seq_printf(m, "%u", k);
	for (i = 0; i < nports; i++) {
		const struct nkp_sample *s = &channels[i].sent[k];

		nkp_seq_value(m, k < channels[i].next_tick ?
			      channels[i].ref_late[k] : NKP_NONE);
		nkp_seq_value(m, s->late);
		seq_printf(m, " %c", s->late == NKP_NONE ? '-' : s->ctx);
	}
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations nkp_seq_ops = {
	.start = nkp_seq_start,
	.next = nkp_seq_next,
	.stop = nkp_seq_stop,
	.show = nkp_seq_show,
};

static int nkp_bins_show(struct seq_file *m, void *v)
{
	uint i;

	for (i = 0; i < bins; i++)
		seq_printf(m, "%d\n", atomic_read(&bin_counts[i]));
	return 0;
}

static void nkp_start_on_cpu(void *unused)
{
	int i;

	for (i = 0; i < nports; i++)
		hrtimer_start(&channels[i].ref, channels[i].start,
			      HRTIMER_MODE_ABS_PINNED_HARD);
}

static void nkp_free(void)
{
	int i;

	vfree(bin_counts);
	for (i = 0; i < nports; i++) {
		vfree(channels[i].ref_late);
		vfree(channels[i].sent);
	}
}

static int __init nkp_init(void)
{
	u32 k;
	int i, err;

	if (nports != nstarts || !ticks || ticks > NKP_MAX_TICKS ||
	    !period_ns || cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu) ||
	    (!nports && !bins) || bins > NKP_MAX_TICKS || !bin_ns) {
		pr_err("nkprobe: need ports= and starts= of equal length (or bins=), ticks and bins up to %u, period_ns and bin_ns > 0, an online cpu\n",
		       NKP_MAX_TICKS);
		return -EINVAL;
	}
	if (bins) {
		bin_counts = vzalloc(array_size(bins, sizeof(*bin_counts)));
		if (!bin_counts)
			return -ENOMEM;
	}
	for (i = 0; i < nports; i++) {
		struct nkp_channel *ch = &channels[i];

		ch->port = ports[i];
		ch->start = ns_to_ktime(starts[i]);
		ch->ref_late = vmalloc(array_size(ticks, sizeof(s64)));
		ch->sent = vmalloc(array_size(ticks, sizeof(*ch->sent)));
		if (!ch->ref_late || !ch->sent) {
			nkp_free();
			return -ENOMEM;
		}
		for (k = 0; k < ticks; k++)
			ch->sent[k].late = NKP_NONE;
		hrtimer_init(&ch->ref, CLOCK_MONOTONIC,
			     HRTIMER_MODE_ABS_PINNED_HARD);
		ch->ref.function = nkp_ref_expired;
		tasklet_setup(&ch->floor, nkp_floor_run);
	}
	if (!proc_create_seq("nkprobe", 0444, NULL, &nkp_seq_ops))
		goto err_proc;
	if (!proc_create_single("nkprobe_bins", 0444, NULL, nkp_bins_show))
		goto err_bins;
	err = register_pernet_subsys(&nkp_net_ops);
	if (err) {
		remove_proc_entry("nkprobe_bins", NULL);
		remove_proc_entry("nkprobe", NULL);
		nkp_free();
		return err;
	}
	smp_call_function_single(cpu, nkp_start_on_cpu, NULL, 1);
	return 0;

err_bins:
	remove_proc_entry("nkprobe", NULL);
err_proc:
	nkp_free();
	return -ENOMEM;
}

static void __exit nkp_exit(void)
{
	int i;

	for (i = 0; i < nports; i++) {
		hrtimer_cancel(&channels[i].ref);
		tasklet_kill(&channels[i].floor);
	}
	unregister_pernet_subsys(&nkp_net_ops);
	remove_proc_entry("nkprobe_bins", NULL);
	remove_proc_entry("nkprobe", NULL);
	nkp_free();
}

module_init(nkp_init);
module_exit(nkp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("make bench: reference hrtimer and send timestamps");
