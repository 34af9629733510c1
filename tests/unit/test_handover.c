// SPDX-License-Identifier: GPL-2.0
/*
 * The state file one natkeepd leaves to the next: what is written is read
 * back the same, and a damaged or foreign file is refused as a whole.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

#include "handover.h"
#include "nk_array.h"
#include "runner.h"

static struct nk_endpoint ep4(const char *ip, uint16_t port)
{
	struct nk_endpoint ep = { .family = AF_INET, .port = port };

	inet_pton(AF_INET, ip, &ep.addr.v4);
	return ep;
}

static void fill(struct nkd_saved_account *accounts)
{
	struct nkd_saved_account *a = &accounts[0], *c = &accounts[2];
	struct nkd_saved_reg *r;

	memset(accounts, 0, NKD_MAX_ACCOUNTS * sizeof(*accounts));
	a->present = true;
	snprintf(a->key, sizeof(a->key), "sip:alice@natkeep.test sip:natkeep.test natkeep.test 5060");
	a->port = 5060;
	r = &a->regs[a->n_regs++];
	snprintf(r->target.host, sizeof(r->target.host), "sip2.natkeep.test");
	r->target.ep = ep4("10.3.0.12", 5060);
	r->target.priority = 20;
	r->target.weight = 10;
	r->role = NKD_ROLE_PRIMARY;
	snprintf(r->call_id, sizeof(r->call_id), "a3f1c2d4e5f60718@gw");
	snprintf(r->from_tag, sizeof(r->from_tag), "0011223344556677");
	r->cseq = 40123;
	r->local = ep4("10.1.0.2", 5060);
	r->has_mapping = true;
	r->mapping = ep4("10.2.0.1", 61001);
	snprintf(r->contact, sizeof(r->contact),
		 "<sip:alice@10.2.0.1:61001>;+sip.instance=\"<urn:uuid:1-2>\"");
	r = &a->regs[a->n_regs++];
	snprintf(r->target.host, sizeof(r->target.host), "sip3.natkeep.test");
	r->target.ep.family = AF_INET6;
	inet_pton(AF_INET6, "fd00:3::13", &r->target.ep.addr.v6);
	r->target.ep.port = 5070;
	r->role = NKD_ROLE_SECONDARY;
	snprintf(r->call_id, sizeof(r->call_id), "b");
	snprintf(r->from_tag, sizeof(r->from_tag), "c");
	r->cseq = 1;
	r->local.family = AF_INET6;
	inet_pton(AF_INET6, "fd00:1::2", &r->local.addr.v6);
	r->local.port = 5060;
	snprintf(r->contact, sizeof(r->contact), "<sip:alice@[fd00:1::2]:5060>");
	c->present = true;
	snprintf(c->key, sizeof(c->key), "sip:bob@example.net sip:example.net example.net 5060");
	c->port = 5062;
	c->has_ka_target = true;
	c->ka_target = ep4("10.3.0.99", 3478);
	c->has_ua = true;
	snprintf(c->ua_contact, sizeof(c->ua_contact), "sip:bob@127.0.0.1:5090");
	c->ua_ep = ep4("127.0.0.1", 5090);
	c->ua_expires_at = 123456789012;
}

/* Writes accounts and reads them back; the text written in *text. */
static int round_trip(const struct nkd_saved_account *in, struct nkd_saved_account *out,
		      char *text, size_t len, char *err, size_t errlen)
{
	FILE *f = tmpfile();
	int ret;
	size_t n;

	nkd_handover_write(f, in);
	rewind(f);
	n = fread(text, 1, len - 1, f);
	text[n] = '\0';
	rewind(f);
	ret = nkd_handover_read(f, out, err, errlen);
	fclose(f);
	return ret;
}

static int read_text(const char *text, struct nkd_saved_account *out, char *err, size_t errlen)
{
	FILE *f = tmpfile();
	int ret;

	fputs(text, f);
	rewind(f);
	ret = nkd_handover_read(f, out, err, errlen);
	fclose(f);
	return ret;
}

static void what_is_written_is_read_back(void)
{
	static struct nkd_saved_account in[NKD_MAX_ACCOUNTS], out[NKD_MAX_ACCOUNTS];
	char text[4096], err[128] = "";

	fill(in);
	CHECK_INT(round_trip(in, out, text, sizeof(text), err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_CONTAINS(text, "account 0 5060 sip:alice@natkeep.test sip:natkeep.test natkeep.test 5060\n");
	CHECK_CONTAINS(text, "reg primary sip2.natkeep.test 10.3.0.12:5060 20 10 "
		       "a3f1c2d4e5f60718@gw 0011223344556677 40123 10.1.0.2:5060 10.2.0.1:61001 "
		       "<sip:alice@10.2.0.1:61001>;+sip.instance=\"<urn:uuid:1-2>\"\n");
	CHECK_CONTAINS(text, " [fd00:1::2]:5060 - <sip:alice@[fd00:1::2]:5060>\n");
	CHECK_CONTAINS(text, "account 2 5062 ");
	CHECK_CONTAINS(text, "ka 10.3.0.99:3478\nua sip:bob@127.0.0.1:5090 127.0.0.1:5090 "
		       "123456789012\nend\n");
	/* Byte for byte the same structures (both zeroed where unused). */
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		CHECK(!memcmp(&in[i], &out[i], sizeof(in[i])));
}

static void nothing_saved_is_an_empty_file(void)
{
	static struct nkd_saved_account in[NKD_MAX_ACCOUNTS], out[NKD_MAX_ACCOUNTS];
	char text[256], err[128] = "";

	memset(in, 0, sizeof(in));
	CHECK_INT(round_trip(in, out, text, sizeof(text), err, sizeof(err)), 0);
	CHECK_STR(text, "natkeepd-state 1\nend\n");
	CHECK(!out[0].present);
}

/* Each damage is refused, the line named, nothing half taken. */
static void a_damaged_file_is_refused_whole(void)
{
	static const struct {
		const char *text;
		const char *err;
	} cases[] = {
		{ "", "line 1: the file ends before its \"end\"" },
		{ "natkeepd-state 2\nend\n", "line 1: not a record" },
		{ "natkeepd-state 1\naccount 0 5060 k\n", "line 3: the file ends before" },
		{ "natkeepd-state 1\naccount 0 5060 k", "line 2: not a record" },
		{ "natkeepd-state 1\naccount 8 5060 k\nend\n", "line 2:" },
		{ "natkeepd-state 1\naccount 0 0 k\nend\n", "line 2:" },
		{ "natkeepd-state 1\naccount 0 5060\nend\n", "line 2:" },
		{ "natkeepd-state 1\naccount 0 5060 k\naccount 0 5060 k\nend\n", "line 3:" },
		{ "natkeepd-state 1\nka 10.0.0.1:5060\nend\n", "line 2:" },
		{ "natkeepd-state 1\naccount 0 5060 k\nka 10.0.0.1\nend\n", "line 3:" },
		{ "natkeepd-state 1\naccount 0 5060 k\nreg primary h 10.0.0.1:5060 10 10 "
		  "id tag 5 10.0.0.2:5060 -\nend\n", "line 3:" },
		{ "natkeepd-state 1\naccount 0 5060 k\nreg candidate h 10.0.0.1:5060 10 10 "
		  "id tag 5 10.0.0.2:5060 - <sip:a@b>\nend\n", "line 3:" },
		{ "natkeepd-state 1\naccount 0 5060 k\nreg primary h 10.0.0.1:5060 10 10 "
		  "id tag -5 10.0.0.2:5060 - <sip:a@b>\nend\n", "line 3:" },
		{ "natkeepd-state 1\naccount 0 5060 k\nreg primary h 10.0.0.1:5060 10 10 "
		  "id tag 5 10.0.0.2:5060 - <sip:a@b> extra\nend\n", "line 3:" },
		{ "natkeepd-state 1\nend\nend\n", "line 3:" },
		{ "natkeepd-state 1\naccount 0 5060 k\nua sip:b@h 10.0.0.1:5 x\nend\n", "line 3:" },
		{ "natkeepd-state 1\naccount 0 5060 k\nua sip:b@h 10.0.0.1:5\nend\n", "line 3:" },
		{ "natkeepd-state 1\naccount 0 5060 k\nua sip:b@h 10.0.0.1:5 99999999999999999999\nend\n",
		  "line 3:" },
		{ "natkeepd-state 1\nbogus\nend\n", "line 2:" },
	};
	static struct nkd_saved_account out[NKD_MAX_ACCOUNTS];
	char err[128];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		CHECK_INT(read_text(cases[i].text, out, err, sizeof(err)), -1);
		CHECK_CONTAINS(err, cases[i].err);
		CHECK(!out[0].present);
	}
}

static void a_line_longer_than_any_record_is_refused(void)
{
	static struct nkd_saved_account out[NKD_MAX_ACCOUNTS];
	char *text = malloc(10000), err[128] = "";

	snprintf(text, 10000, "natkeepd-state 1\naccount 0 5060 ");
	memset(text + strlen(text), 'k', 9000);
	text[9100] = '\0';
	memcpy(text + 9000, "\nend\n", 6);
	CHECK_INT(read_text(text, out, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "line 2:");
	free(text);
}

static void save_replaces_the_file_whole(void)
{
	static struct nkd_saved_account in[NKD_MAX_ACCOUNTS], out[NKD_MAX_ACCOUNTS];
	char dir[] = "/tmp/nk-handover-XXXXXX", path[64], tmp[80];

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	CHECK_INT(nkd_handover_load(path, out), 0);
	fill(in);
	CHECK_INT(nkd_handover_save(path, in), 0);
	CHECK_INT(access(tmp, F_OK), -1);
	CHECK_INT(nkd_handover_load(path, out), 1);
	CHECK_INT(out[0].regs[0].cseq, 40123);
	in[0].regs[0].cseq = 40125;
	CHECK_INT(nkd_handover_save(path, in), 0);
	CHECK_INT(nkd_handover_load(path, out), 1);
	CHECK_INT(out[0].regs[0].cseq, 40125);
	unlink(path);
	rmdir(dir);
	/* A directory that is not there: an error, not a crash. */
	CHECK(nkd_handover_save(path, in) < 0);
}

static const struct test_case handover_cases[] = {
	TEST_CASE(what_is_written_is_read_back),
	TEST_CASE(nothing_saved_is_an_empty_file),
	TEST_CASE(a_damaged_file_is_refused_whole),
	TEST_CASE(a_line_longer_than_any_record_is_refused),
	TEST_CASE(save_replaces_the_file_whole),
};

TEST_SUITE(handover_suite, handover_cases);
