// SPDX-License-Identifier: GPL-2.0
/*
 * The account socket's gate (natkeepd/sip_gate.c): requests from the
 * account's servers pass, a stranger's are dropped (with
 * X_AcceptSipFromRegistrarOnly) and counted, a Via maddr is dropped
 * whoever sends it, and the proxies of a dialog the relay carried may
 * send that dialog's requests, and only in-dialog ones.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>

#include "account.h"
#include "runner.h"
#include "sip_gate.h"

static struct nk_endpoint v4(const char *ip, uint16_t port)
{
	struct nk_endpoint ep = { .family = AF_INET, .port = port };

	inet_pton(AF_INET, ip, &ep.addr.v4);
	return ep;
}

/* An account whose one candidate server is 10.3.0.11:5060. */
static void setup(struct nkd_account *acct, bool registrar_only)
{
	memset(acct, 0, sizeof(*acct));
	snprintf(acct->cfg.name, sizeof(acct->cfg.name), "SP1");
	acct->profile.accept_sip_from_registrar_only = registrar_only;
	acct->red.count = 1;
	acct->red.servers[0].target.ep = v4("10.3.0.11", 5060);
}

/* A request from SRC; VIA_EXTRA after the Via's branch, TO_TAG or "". */
static msg_t *request(const char *method, const char *src, uint16_t port,
		      const char *via_extra, const char *to_tag, const char *record_route)
{
	char text[1024];
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	msg_t *msg;
	int n;

	n = snprintf(text, sizeof(text),
		     "%s sip:alice@10.2.0.2 SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP %s:%u;branch=z9hG4bK1%s\r\n"
		     "%s%s%s"
		     "From: <sip:far@example.net>;tag=f1\r\n"
		     "To: <sip:alice@example.net>%s%s\r\n"
		     "Call-ID: c1@example.net\r\n"
		     "CSeq: 1 %s\r\n"
		     "Max-Forwards: 70\r\n"
		     "Content-Length: 0\r\n\r\n",
		     method, src, port, via_extra,
		     record_route[0] ? "Record-Route: " : "", record_route,
		     record_route[0] ? "\r\n" : "",
		     to_tag[0] ? ";tag=" : "", to_tag, method);
	msg = msg_make(sip_default_mclass(), 0, text, n);
	if (!msg)
		return NULL;
	inet_pton(AF_INET, src, &sin.sin_addr);
	msg_set_address(msg, (su_sockaddr_t *)&sin, sizeof(sin));
	return msg;
}

static bool admits(struct nkd_account *acct, msg_t *msg)
{
	bool ok = msg && nkd_sip_gate_admits(acct, msg, sip_object(msg));

	msg_destroy(msg);
	return ok;
}

static void servers_pass_strangers_are_dropped_and_counted(void)
{
	struct nkd_account acct;

	setup(&acct, true);
	CHECK(admits(&acct, request("INVITE", "10.3.0.11", 5060, "", "", "")));
	/* A server sends from any port. */
	CHECK(admits(&acct, request("OPTIONS", "10.3.0.11", 40000, "", "", "")));
	CHECK(!admits(&acct, request("INVITE", "10.2.0.1", 5060, "", "", "")));
	CHECK(!admits(&acct, request("OPTIONS", "10.2.0.1", 5060, "", "", "")));
	CHECK_INT(acct.dropped_sip, 2);
	/* X_AcceptSipFromRegistrarOnly = false: everyone. */
	setup(&acct, false);
	CHECK(admits(&acct, request("INVITE", "10.2.0.1", 5060, "", "", "")));
	CHECK_INT(acct.dropped_sip, 0);
}

static void a_via_maddr_is_dropped_whoever_sends_it(void)
{
	struct nkd_account acct;

	setup(&acct, false);
	CHECK(!admits(&acct, request("INVITE", "10.2.0.1", 5060, ";maddr=10.9.9.9", "", "")));
	setup(&acct, true);
	CHECK(!admits(&acct, request("INVITE", "10.3.0.11", 5060, ";maddr=10.9.9.9", "", "")));
	CHECK_INT(acct.dropped_sip, 1);
}

static void a_redirects_and_the_keepalive_servers_pass(void)
{
	struct nkd_account acct;

	setup(&acct, true);
	acct.regs[1].in_use = true;
	acct.regs[1].target.ep = v4("10.3.0.12", 5060);
	snprintf(acct.regs[1].next_hop, sizeof(acct.regs[1].next_hop),
		 "sip:10.3.0.13:5080;transport=udp");
	acct.has_ka_target = true;
	acct.ka_target = v4("10.3.0.14", 3478);
	CHECK(admits(&acct, request("OPTIONS", "10.3.0.12", 5060, "", "", "")));
	CHECK(admits(&acct, request("OPTIONS", "10.3.0.13", 5060, "", "", "")));
	CHECK(admits(&acct, request("OPTIONS", "10.3.0.14", 5060, "", "", "")));
	CHECK(!admits(&acct, request("OPTIONS", "10.3.0.15", 5060, "", "", "")));
}

static void a_dialogs_proxies_send_its_requests_only(void)
{
	struct nkd_account acct;
	msg_t *invite;

	setup(&acct, true);
	/* The provider's INVITE, record-routed by its edge proxy 10.4.0.7. */
	invite = request("INVITE", "10.3.0.11", 5060, "", "",
			 "<sip:10.4.0.7;lr>, <sip:10.3.0.11;lr>, <sip:pbx.example.net;lr>");
	CHECK(invite != NULL);
	nkd_sip_gate_learn_route(&acct, sip_object(invite)->sip_record_route);
	msg_destroy(invite);
	CHECK_INT(acct.dialog_peers_count, 1);	/* not the server, no names */
	CHECK(admits(&acct, request("BYE", "10.4.0.7", 5060, "", "t1", "")));
	/* Not a new call, nor from another proxy. */
	CHECK(!admits(&acct, request("INVITE", "10.4.0.7", 5060, "", "", "")));
	CHECK(!admits(&acct, request("BYE", "10.4.0.8", 5060, "", "t1", "")));
	/* Learnt once; the table keeps the last NKD_GATE_DIALOG_PEERS. */
	for (unsigned int i = 0; i < NKD_GATE_DIALOG_PEERS + 4; i++) {
		char rr[64];

		snprintf(rr, sizeof(rr), "<sip:10.5.0.%u;lr>", i + 1);
		invite = request("INVITE", "10.3.0.11", 5060, "", "", rr);
		nkd_sip_gate_learn_route(&acct, sip_object(invite)->sip_record_route);
		msg_destroy(invite);
	}
	CHECK_INT(acct.dialog_peers_count, NKD_GATE_DIALOG_PEERS);
	CHECK(!admits(&acct, request("BYE", "10.4.0.7", 5060, "", "t1", "")));
	CHECK(admits(&acct, request("BYE", "10.5.0.20", 5060, "", "t1", "")));
}

static const struct test_case sip_gate_cases[] = {
	TEST_CASE(servers_pass_strangers_are_dropped_and_counted),
	TEST_CASE(a_via_maddr_is_dropped_whoever_sends_it),
	TEST_CASE(a_redirects_and_the_keepalive_servers_pass),
	TEST_CASE(a_dialogs_proxies_send_its_requests_only),
};

TEST_SUITE(sip_gate_suite, sip_gate_cases);
