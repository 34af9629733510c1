// SPDX-License-Identifier: GPL-2.0
/*
 * The state file a natkeepd leaves to the next one (see handover.h):
 *
 *   natkeepd-state 1
 *   account INDEX PORT KEY...
 *   ka ADDR:PORT
 *   ua CONTACT ADDR:PORT EXPIRES-AT
 *   reg ROLE HOST ADDR:PORT PRIORITY WEIGHT CALL-ID FROM-TAG CSEQ LOCAL MAPPING CONTACT
 *   end
 *
 * "ka", "ua" and "reg" belong to the account line above them (EXPIRES-AT:
 * CLOCK_MONOTONIC milliseconds, the same for every process of a boot); MAPPING is "-"
 * when none was learned. No field holds a blank (hosts, Call-IDs, tags and
 * Contacts as natkeepd makes them have none), so blanks separate them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "handover.h"
#include "log.h"

#define HANDOVER_MAGIC	"natkeepd-state 1"
#define LINE_MAX_LEN	4096

static void format_ep(const struct nk_endpoint *ep, char *buf, size_t len)
{
	nk_endpoint_format(ep->family, &ep->addr, ep->port, buf, len);
}

void nkd_handover_write(FILE *f, const struct nkd_saved_account *accounts)
{
	char a[NK_ENDPOINT_STRLEN], l[NK_ENDPOINT_STRLEN], m[NK_ENDPOINT_STRLEN];

	fprintf(f, "%s\n", HANDOVER_MAGIC);
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		const struct nkd_saved_account *s = &accounts[i];

		if (!s->present)
			continue;
		fprintf(f, "account %d %u %s\n", i, s->port, s->key);
		if (s->has_ka_target) {
			format_ep(&s->ka_target, a, sizeof(a));
			fprintf(f, "ka %s\n", a);
		}
		if (s->has_ua) {
			format_ep(&s->ua_ep, a, sizeof(a));
			fprintf(f, "ua %s %s %lld\n", s->ua_contact, a, (long long)s->ua_expires_at);
		}
		for (unsigned int j = 0; j < s->n_regs; j++) {
			const struct nkd_saved_reg *r = &s->regs[j];

			format_ep(&r->target.ep, a, sizeof(a));
			format_ep(&r->local, l, sizeof(l));
			if (r->has_mapping)
				format_ep(&r->mapping, m, sizeof(m));
			else
				snprintf(m, sizeof(m), "-");
			fprintf(f, "reg %s %s %s %u %u %s %s %u %s %s %s\n",
				nkd_role_name(r->role), r->target.host, a, r->target.priority,
				r->target.weight, r->call_id, r->from_tag, r->cseq, l, m,
				r->contact);
		}
	}
	fprintf(f, "end\n");
}

/* Copies token into buf (size len); false if it does not fit or is missing. */
static bool take(const char *token, char *buf, size_t len)
{
	if (!token || !token[0] || strlen(token) >= len)
		return false;
	memcpy(buf, token, strlen(token) + 1);
	return true;
}

static bool take_uint(const char *token, unsigned long max, unsigned long *out)
{
	char *end;

	if (!token || token[0] < '0' || token[0] > '9')
		return false;
	errno = 0;
	*out = strtoul(token, &end, 10);
	return !errno && !*end && *out <= max;
}

static bool take_ep(const char *token, struct nk_endpoint *ep)
{
	char err[64];

	return token && !nk_endpoint_parse(token, ep, err, sizeof(err));
}

static bool take_role(const char *token, enum nkd_role *role)
{
	if (!token)
		return false;
	if (!strcmp(token, nkd_role_name(NKD_ROLE_PRIMARY)))
		*role = NKD_ROLE_PRIMARY;
	else if (!strcmp(token, nkd_role_name(NKD_ROLE_SECONDARY)))
		*role = NKD_ROLE_SECONDARY;
	else
		return false;
	return true;
}

static bool read_reg(char **save, struct nkd_saved_reg *r)
{
	unsigned long prio, weight, cseq;
	const char *mapping;

	memset(r, 0, sizeof(*r));
	if (!take_role(strtok_r(NULL, " ", save), &r->role) ||
	    !take(strtok_r(NULL, " ", save), r->target.host, sizeof(r->target.host)) ||
	    !take_ep(strtok_r(NULL, " ", save), &r->target.ep) ||
	    !take_uint(strtok_r(NULL, " ", save), UINT16_MAX, &prio) ||
	    !take_uint(strtok_r(NULL, " ", save), UINT16_MAX, &weight) ||
	    !take(strtok_r(NULL, " ", save), r->call_id, sizeof(r->call_id)) ||
	    !take(strtok_r(NULL, " ", save), r->from_tag, sizeof(r->from_tag)) ||
	    !take_uint(strtok_r(NULL, " ", save), (1ul << 31) - 1, &cseq) ||
	    !take_ep(strtok_r(NULL, " ", save), &r->local))
		return false;
	mapping = strtok_r(NULL, " ", save);
	if (!mapping)
		return false;
	r->has_mapping = strcmp(mapping, "-") != 0;
	if (r->has_mapping && !take_ep(mapping, &r->mapping))
		return false;
	if (!take(strtok_r(NULL, " ", save), r->contact, sizeof(r->contact)) ||
	    strtok_r(NULL, " ", save))
		return false;
	r->target.priority = (uint16_t)prio;
	r->target.weight = (uint16_t)weight;
	r->cseq = (uint32_t)cseq;
	return true;
}

static bool read_ua(char **save, struct nkd_saved_account *s)
{
	unsigned long long at;
	const char *token;
	char *end;

	if (!take(strtok_r(NULL, " ", save), s->ua_contact, sizeof(s->ua_contact)) ||
	    !take_ep(strtok_r(NULL, " ", save), &s->ua_ep))
		return false;
	token = strtok_r(NULL, " ", save);
	if (!token || token[0] < '0' || token[0] > '9')
		return false;
	errno = 0;
	at = strtoull(token, &end, 10);
	if (errno || *end || at > INT64_MAX || strtok_r(NULL, " ", save))
		return false;
	s->ua_expires_at = (int64_t)at;
	s->has_ua = true;
	return true;
}

static bool read_account(char **save, struct nkd_saved_account *accounts,
			 struct nkd_saved_account **cur)
{
	unsigned long index, port;
	const char *key;
	struct nkd_saved_account *s;

	if (!take_uint(strtok_r(NULL, " ", save), NKD_MAX_ACCOUNTS - 1, &index) ||
	    !take_uint(strtok_r(NULL, " ", save), UINT16_MAX, &port) || !port)
		return false;
	key = strtok_r(NULL, "", save);
	s = &accounts[index];
	if (s->present || !take(key, s->key, sizeof(s->key)))
		return false;
	s->present = true;
	s->port = (uint16_t)port;
	*cur = s;
	return true;
}

int nkd_handover_read(FILE *f, struct nkd_saved_account *accounts,
		      char *err, size_t errlen)
{
	struct nkd_saved_account *cur = NULL;
	char line[LINE_MAX_LEN];
	unsigned int n = 0;
	bool ended = false;

	memset(accounts, 0, NKD_MAX_ACCOUNTS * sizeof(*accounts));
	while (fgets(line, sizeof(line), f)) {
		char *save, *word;
		size_t len = strlen(line);
		bool ok;

		n++;
		if (!len || line[len - 1] != '\n' || ended)
			goto bad;
		line[len - 1] = '\0';
		if (n == 1) {
			if (strcmp(line, HANDOVER_MAGIC))
				goto bad;
			continue;
		}
		word = strtok_r(line, " ", &save);
		if (!word)
			goto bad;
		if (!strcmp(word, "account")) {
			ok = read_account(&save, accounts, &cur);
		} else if (!strcmp(word, "ka")) {
			ok = cur && !cur->has_ka_target &&
			     take_ep(strtok_r(NULL, " ", &save), &cur->ka_target) &&
			     !strtok_r(NULL, " ", &save);
			if (ok)
				cur->has_ka_target = true;
		} else if (!strcmp(word, "ua")) {
			ok = cur && !cur->has_ua && read_ua(&save, cur);
		} else if (!strcmp(word, "reg")) {
			ok = cur && cur->n_regs < NKD_MAX_SERVERS &&
			     read_reg(&save, &cur->regs[cur->n_regs]);
			if (ok)
				cur->n_regs++;
		} else {
			ok = !strcmp(word, "end") && !strtok_r(NULL, " ", &save);
			ended = ok;
		}
		if (!ok)
			goto bad;
	}
	if (ended)
		return 0;
	snprintf(err, errlen, "line %u: the file ends before its \"end\"", n + 1);
	goto out;
bad:
	snprintf(err, errlen, "line %u: not a record natkeepd writes", n);
out:
	memset(accounts, 0, NKD_MAX_ACCOUNTS * sizeof(*accounts));
	return -1;
}

int nkd_handover_save(const char *path, const struct nkd_saved_account *accounts)
{
	char tmp[NKD_PATH_MAX + 8];
	FILE *f;
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	/* Only natkeepd's: the bindings' Call-IDs and tags are its own business. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		unlink(tmp);
		return ret;
	}
	nkd_handover_write(f, accounts);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int nkd_handover_load(const char *path, struct nkd_saved_account *accounts)
{
	char err[128];
	FILE *f = fopen(path, "re");
	int ret;

	memset(accounts, 0, NKD_MAX_ACCOUNTS * sizeof(*accounts));
	if (!f) {
		if (errno == ENOENT)
			return 0;
		nkd_warn("%s: %s: registering anew", path, strerror(errno));
		return -1;
	}
	ret = nkd_handover_read(f, accounts, err, sizeof(err));
	fclose(f);
	if (ret) {
		nkd_warn("%s: %s: registering anew", path, err);
		return -1;
	}
	return 1;
}
