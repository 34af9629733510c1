// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>

#include "nk_array.h"
#include "runner.h"

extern const struct test_suite addr_suite, msg_type_suite, lateness_suite,
	flow_attrs_suite, ack_suite, ctrl_suite, flow_format_suite,
	json_writer_suite, arg_values_suite, flow_args_suite, options_suite,
	report_suite, genl_suite, stun_suite, sip_build_suite, sip_parse_suite,
	custom_spec_suite, config_suite, redundancy_suite, tokenize_suite,
	batch_suite, local_addr_suite, held_contacts_suite, sip_gate_suite, handover_suite,
	rate_limit_suite, instance_suite, service_notify_suite;

static const struct test_suite *const suites[] = {
	&addr_suite, &msg_type_suite, &lateness_suite, &flow_attrs_suite,
	&ack_suite, &ctrl_suite, &flow_format_suite, &json_writer_suite,
	&arg_values_suite, &flow_args_suite, &options_suite, &report_suite,
	&genl_suite, &stun_suite, &sip_build_suite, &sip_parse_suite,
	&custom_spec_suite, &config_suite, &redundancy_suite, &tokenize_suite,
	&batch_suite, &local_addr_suite, &held_contacts_suite, &sip_gate_suite, &handover_suite,
	&rate_limit_suite, &instance_suite, &service_notify_suite,
};

static const char *current_suite, *current_test;
static int current_failures;

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (!current_failures)
		printf("FAIL %s/%s\n", current_suite, current_test);
	current_failures++;
	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void capture_start(struct capture *cap)
{
	cap->text = NULL;
	cap->len = 0;
	cap->out = open_memstream(&cap->text, &cap->len);
	if (!cap->out) {
		perror("open_memstream");
		exit(2);
	}
}

char *capture_end(struct capture *cap)
{
	fclose(cap->out);
	return cap->text;
}

static bool excluded(const char *name, int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "-x") && !strcmp(argv[i + 1], name))
			return true;
	return false;
}

/* unit_tests [SUITE] [-x SUITE]...: only SUITE, or every suite but the -x ones. */
int main(int argc, char **argv)
{
	const char *only = argc > 1 && strcmp(argv[1], "-x") ? argv[1] : NULL;
	int passed = 0, failed = 0;
	size_t s, c;

	for (s = 0; s < ARRAY_SIZE(suites); s++) {
		if ((only && strcmp(only, suites[s]->name)) ||
		    excluded(suites[s]->name, argc, argv))
			continue;
		for (c = 0; c < suites[s]->count; c++) {
			current_suite = suites[s]->name;
			current_test = suites[s]->cases[c].name;
			current_failures = 0;
			suites[s]->cases[c].run();
			if (current_failures) {
				failed++;
			} else {
				passed++;
				printf("PASS %s/%s\n", suites[s]->name, current_test);
			}
			fflush(stdout);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
