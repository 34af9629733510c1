/* SPDX-License-Identifier: GPL-2.0 */
/* natkeepd's log: syslog, or stderr in the foreground, with levels. */
#ifndef NKD_LOG_H
#define NKD_LOG_H

#include "config.h"

void nkd_log_open(bool to_stderr, enum nkd_log_level level);
void nkd_log_set_level(enum nkd_log_level level);
void nkd_log(enum nkd_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define nkd_err(...)	nkd_log(NKD_LOG_ERR, __VA_ARGS__)
#define nkd_warn(...)	nkd_log(NKD_LOG_WARNING, __VA_ARGS__)
#define nkd_notice(...)	nkd_log(NKD_LOG_NOTICE, __VA_ARGS__)
#define nkd_info(...)	nkd_log(NKD_LOG_INFO, __VA_ARGS__)
#define nkd_debug(...)	nkd_log(NKD_LOG_DEBUG, __VA_ARGS__)

#endif
