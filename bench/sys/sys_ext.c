// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks bench/sys into a run: the state session (lock, journal, restore on
 * every exit path) around the whole run when root.  Non-root runs change
 * nothing; their privileged benchmarks skip through sys_check_root().
 */
#include "bench.h"
#include "opt.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int sys_option(const char *opt, const char *value)
{
	if (!strcmp(opt, "safety-margin")) {
		uint64_t b;

		if (sys_parse_size(value, &b) || b == 0) {
			fprintf(stderr,
				"hvobench: --safety-margin: '%s' is not a size "
				"like 512M or 2G: %s\n",
				value, strerror(EINVAL));
			return 2;
		}
		sys_set_safety_margin(b);
		return 0;
	}
	if (value[0] != '/') {
		fprintf(stderr,
			"hvobench: --state-dir: '%s' is not an absolute "
			"path: %s\n",
			value, strerror(EINVAL));
		return 2;
	}
	sys_set_state_dir(value);
	return 0;
}

static int sys_run_begin(void)
{
	int ret;

	if (geteuid() != 0) {
		bench_log("not root: benchmarks that change kernel state are "
			  "skipped; nothing is written");
		return 0;
	}
	ret = sys_begin();
	if (ret == -EBUSY)
		return 2;
	if (ret)
		bench_log("no kernel-state session (%s): privileged benchmarks "
			  "will be skipped",
			  strerror(-ret));
	return 0;
}

static void sys_run_end(void)
{
	sys_end();
}

static void add_u64(json_t *o, const char *key, const char *path)
{
	uint64_t v;

	if (!sys_get_u64(path, &v))
		json_object_set_new(o, key, json_integer((json_int_t)v));
}

/* The kernel state the run started from, and the safety settings. */
static void sys_context(void *obj)
{
	json_t *s = json_object(), *pools = json_object();
	uint64_t kb[8];
	int n = hugetlb_sizes(kb, 8);

	json_object_set_new(s, "state_dir", json_string(sys_state_dir()));
	json_object_set_new(s, "safety_margin_bytes",
			    json_integer((json_int_t)sys_safety_margin()));
	json_object_set_new(s, "root", json_boolean(geteuid() == 0));
	json_object_set_new(s, "session", json_boolean(sys_active()));
	json_object_set_new(s, "hvo_available", json_boolean(hvo_available()));
	add_u64(s, "hugetlb_optimize_vmemmap",
		"/proc/sys/vm/hugetlb_optimize_vmemmap");
	for (int i = 0; i < n; i++) {
		json_t *p = json_object();
		char path[256], sz[16];

		hugetlb_path(path, sizeof(path), kb[i], -1, "nr_hugepages");
		add_u64(p, "nr_hugepages", path);
		hugetlb_path(path, sizeof(path), kb[i], -1,
			     "nr_overcommit_hugepages");
		add_u64(p, "nr_overcommit_hugepages", path);
		json_object_set_new(pools, sys_size_str(kb[i], sz, sizeof(sz)),
				    p);
	}
	json_object_set_new(s, "hugetlb_pools", pools);
	json_object_set_new((json_t *)obj, "sys", s);
}

static const struct bench_opt sys_opts[] = {SYS_SESSION_OPTS, {0}};

/*
 * Before each pool benchmark (family pool/): free memory by order, in
 * every row of the instance as "free_pages_before".
 */
static json_t *free_before;

static void sys_instance_begin(struct bench_state *st)
{
	json_decref(free_before);
	free_before = NULL;
	if (!strncmp(bench_instance_name(st), "pool/", 5))
		free_before = sys_free_pages_json();
}

static void sys_row(struct bench_state *st, void *obj)
{
	(void)st;
	if (free_before)
		json_object_set((json_t *)obj, "free_pages_before",
				free_before);
}

BENCH_EXT_REGISTER(sys, .opts = sys_opts, .run_begin = sys_run_begin,
		   .run_end = sys_run_end, .context = sys_context,
		   .instance_begin = sys_instance_begin, .row = sys_row);
