// SPDX-License-Identifier: GPL-2.0
/* Malformed SIP, counted from nta's statistics (see malformed.h). */
#include <sofia-sip/nta_tag.h>

#include "log.h"
#include "malformed.h"

static uint64_t bad_messages(nta_agent_t *agent)
{
	usize_t n = 0;

	if (agent)
		nta_agent_get_stats(agent, NTATAG_S_BAD_MESSAGE_REF(n), TAG_END());
	return n;
}

static void look(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_malformed *m = (struct nkd_malformed *)arg;
	static const char *const where[] = { "the SIP socket", "the local UA's proxy" };

	(void)magic;
	(void)t;
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t n = bad_messages(m->agents[i]);

		if (n > m->seen[i]) {
			nkd_notice("%s: %llu malformed SIP messages dropped on %s in the last "
				   "%d s (%llu so far)", m->name,
				   (unsigned long long)(n - m->seen[i]), where[i],
				   NKD_MALFORMED_PERIOD_MS / 1000,
				   (unsigned long long)(m->total + n - m->seen[i]));
			m->total += n - m->seen[i];
		}
		m->seen[i] = n;
	}
}

int nkd_malformed_start(struct nkd_malformed *m, su_root_t *root, const char *name)
{
	m->name = name;
	m->timer = su_timer_create(su_root_task(root), NKD_MALFORMED_PERIOD_MS);
	if (!m->timer)
		return -1;
	return su_timer_set_for_ever(m->timer, look, (su_timer_arg_t *)m);
}

void nkd_malformed_watch(struct nkd_malformed *m, unsigned int i, nta_agent_t *agent)
{
	/* What the old agent dropped since the last look still counts. */
	if (m->timer)
		look(NULL, NULL, (su_timer_arg_t *)m);
	m->agents[i] = agent;
	m->seen[i] = bad_messages(agent);
}

void nkd_malformed_stop(struct nkd_malformed *m)
{
	if (m->timer)
		su_timer_destroy(m->timer);
	m->timer = NULL;
	m->agents[0] = m->agents[1] = NULL;
}
