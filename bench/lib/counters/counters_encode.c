// SPDX-License-Identifier: GPL-2.0
/*
 * Event names -> perf_event_attr: libpfm4 for PMU, generic, raw and
 * software events; tracefs for tracepoints.  Encoding never fails the
 * run: an event that does not encode is marked unavailable with a reason.
 */
#include "counters.h"

#include <ctype.h>
#include <errno.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYSWIDE_SUFFIX "@all"

static int pfm_rc = 1; /* 1: not tried yet */

static int pfm_init(void)
{
	/*
	 * LIBPFM_ENCODE_INACTIVE must be in the environment before the first
	 * call (tests set it); libpfm reads it once.
	 */
	if (pfm_rc == 1)
		pfm_rc = pfm_initialize();
	return pfm_rc;
}

/* "sys:event" with identifier characters only, as tracefs names them. */
static bool split_tracepoint(const char *name, char *sys, size_t slen, char *ev,
			     size_t elen)
{
	const char *colon = strchr(name, ':');
	size_t n;

	if (!colon || colon == name || !colon[1] || strchr(colon + 1, ':'))
		return false;
	/* Subsystems are lower case; libpfm's PMU:UMASK names are not. */
	for (const char *p = name; p < colon; p++)
		if (!islower((unsigned char)*p) &&
		    !isdigit((unsigned char)*p) && *p != '_')
			return false;
	for (const char *p = colon + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	n = (size_t)(colon - name);
	if (n >= slen || strlen(colon + 1) >= elen)
		return false;
	memcpy(sys, name, n);
	sys[n] = '\0';
	snprintf(ev, elen, "%s", colon + 1);
	return true;
}

/* Trailing ":u" / ":k" on a tracepoint: dropped with a note. */
static bool strip_tp_modifier(char *name)
{
	size_t n = strlen(name);

	if (n > 2 && name[n - 2] == ':' &&
	    (name[n - 1] == 'u' || name[n - 1] == 'k') &&
	    strchr(name, ':') != &name[n - 2]) {
		name[n - 2] = '\0';
		return true;
	}
	return false;
}

static int encode_tracepoint(char *base, struct ctr_event *ev)
{
	char sys[64], tp[96];
	bool had_mod = strip_tp_modifier(base);
	uint64_t id;
	int rc;

	if (!split_tracepoint(base, sys, sizeof(sys), tp, sizeof(tp)))
		return -ENOENT;
	rc = ctr_tracepoint_id(sys, tp, &id);
	if (rc) {
		snprintf(ev->why, sizeof(ev->why),
			 "tracepoint %.40s:%.60s: %s%s", sys, tp, strerror(-rc),
			 rc == -ENOENT ? " (not in this kernel)"
			 : rc == -EPERM || rc == -EACCES
				 ? " (tracefs needs root)"
				 : "");
		return rc;
	}
	ev->attr.type = PERF_TYPE_TRACEPOINT;
	ev->attr.config = id;
	ev->kind = CTR_TRACEPOINT;
	snprintf(ev->encoding, sizeof(ev->encoding), "tracepoint %s:%s id %llu",
		 sys, tp, (unsigned long long)id);
	if (had_mod)
		snprintf(ev->note, sizeof(ev->note),
			 "modifier ignored: tracepoints count user+kernel");
	return 0;
}

static int encode_pfm(const char *base, struct ctr_event *ev)
{
	pfm_perf_encode_arg_t arg;
	char *fstr = NULL;
	int rc;

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.attr = &ev->attr;
	arg.fstr = &fstr;
	/* Default privilege: user and kernel; :u / :k narrow it. */
	rc = pfm_get_os_event_encoding(base, PFM_PLM0 | PFM_PLM3,
				       PFM_OS_PERF_EVENT_EXT, &arg);
	if (rc != PFM_SUCCESS)
		return rc;
	snprintf(ev->encoding, sizeof(ev->encoding), "%s", fstr ? fstr : "");
	free(fstr);
	switch (ev->attr.type) {
	case PERF_TYPE_SOFTWARE:
		ev->kind = CTR_SW;
		break;
	case PERF_TYPE_TRACEPOINT:
		ev->kind = CTR_TRACEPOINT;
		break;
	default:
		ev->kind = CTR_HW;
		break;
	}
	return PFM_SUCCESS;
}

/*
 * Software events and tracepoints fire in the kernel on the task's
 * behalf; excluding kernel mode would silently read 0, so both modes are
 * always counted and a modifier is reported as ignored.
 */
static void fix_privilege(struct ctr_event *ev)
{
	if (ev->kind == CTR_HW)
		return;
	if (ev->attr.exclude_user || ev->attr.exclude_kernel)
		snprintf(ev->note, sizeof(ev->note),
			 "modifier ignored: %s count user+kernel",
			 ev->kind == CTR_SW ? "software events"
					    : "tracepoints");
	ev->attr.exclude_user = 0;
	ev->attr.exclude_kernel = 0;
}

int ctr_encode(const char *name, struct ctr_event *ev)
{
	char base[256];
	size_t n = strlen(name);
	int rc;

	memset(ev, 0, sizeof(*ev));
	snprintf(ev->name, sizeof(ev->name), "%s", name);
	if (n >= sizeof(base)) {
		snprintf(ev->why, sizeof(ev->why), "name too long");
		return -1;
	}
	memcpy(base, name, n + 1);
	if (n > strlen(SYSWIDE_SUFFIX) &&
	    !strcmp(base + n - strlen(SYSWIDE_SUFFIX), SYSWIDE_SUFFIX)) {
		ev->system_wide = true;
		base[n - strlen(SYSWIDE_SUFFIX)] = '\0';
	}
	if (!base[0]) {
		snprintf(ev->why, sizeof(ev->why), "empty event name");
		return -1;
	}
	rc = pfm_init();
	if (rc != PFM_SUCCESS) {
		snprintf(ev->why, sizeof(ev->why), "libpfm: %s",
			 pfm_strerror(rc));
		return -1;
	}
	rc = encode_pfm(base, ev);
	if (rc == PFM_ERR_NOTFOUND) {
		memset(&ev->attr, 0, sizeof(ev->attr));
		int trc = encode_tracepoint(base, ev);

		if (trc == -ENOENT && !ev->why[0])
			snprintf(ev->why, sizeof(ev->why),
				 "libpfm: %s (neither a PMU nor tracefs knows "
				 "it)",
				 pfm_strerror(rc));
		if (trc)
			return -1;
	} else if (rc != PFM_SUCCESS) {
		snprintf(ev->why, sizeof(ev->why), "libpfm: %s",
			 pfm_strerror(rc));
		return -1;
	}
	fix_privilege(ev);
	ev->attr.size = sizeof(ev->attr);
	ev->available = true;
	return 0;
}

int ctr_encode_spec(const struct ctr_spec *spec, struct ctr_event *ev)
{
	char first_why[CTR_WHY_LEN] = "";

	for (int i = 0; i < spec->nalt; i++) {
		int rc = ctr_encode(spec->alt[i], ev);

		snprintf(ev->name, sizeof(ev->name), "%s", spec->label);
		if (!rc) {
			if (i)
				snprintf(ev->note, sizeof(ev->note),
					 "encoded as raw %.16s: libpfm has no "
					 "table for this CPU (%.80s)",
					 spec->alt[i], first_why);
			return 0;
		}
		if (!i)
			snprintf(first_why, sizeof(first_why), "%s", ev->why);
	}
	if (spec->nalt > 1)
		snprintf(ev->why, sizeof(ev->why), "%s", first_why);
	return -1;
}
