// SPDX-License-Identifier: GPL-2.0
/*
 * The topology extension: --cpu=N|auto and --node=N place the benchmark
 * (see topology.h), the machine goes into context.hvobench.topology, and
 * each row records the binding in effect (hvobench.binding).
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "opt.h"
#include "topology.h"

#define MAX_WORKERS 1024

static const char *cpu_arg;
static int cpu = -1;  /* PU of the main thread, -1: not pinned */
static int node = -1; /* memory node, -1: not bound */
/* CPU each worker was pinned to, by thread index (-1: not pinned). */
static int worker_cpu[MAX_WORKERS];
static int nworkers;

static int parse_int(const char *v, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end || errno || n < 0 || n > 1 << 20)
		return -1;
	*out = (int)n;
	return 0;
}

static int topo_option(const char *opt, const char *value)
{
	int n, rc;

	/* Checked against the machine now: bad input never starts a run. */
	rc = topo_load();
	if (rc) {
		bench_opt_err("hwloc: cannot load the topology: %s\n",
			      strerror(-rc));
		return 2;
	}
	if (!strcmp(opt, "cpu")) {
		if (!strcmp(value, "auto")) {
			n = topo_auto_cpu();
		} else if (parse_int(value, &n)) {
			bench_opt_err(
				"--cpu: '%s' is not a CPU number or 'auto'\n",
				value);
			return 2;
		}
		if (!topo_cpu_allowed(n)) {
			bench_opt_err(
				"--cpu: CPU %d is not online or not allowed "
				"for this process\n",
				n);
			return 2;
		}
		cpu_arg = value;
		cpu = n;
		return 0;
	}
	if (parse_int(value, &n) || !topo_node_valid(n)) {
		bench_opt_err(
			"--node: '%s' is not a NUMA node of this machine (%d "
			"nodes)\n",
			value, topo_nodes());
		return 2;
	}
	node = n;
	return 0;
}

/* Place the main thread (the options were checked when parsed). */
static int topo_begin(void)
{
	int rc;

	for (int i = 0; i < MAX_WORKERS; i++)
		worker_cpu[i] = -1;
	if (cpu >= 0) {
		rc = topo_pin_self(cpu);
		if (rc) {
			bench_opt_err("--cpu: binding to CPU %d: %s\n", cpu,
				      strerror(-rc));
			return 2;
		}
	}
	if (node >= 0) {
		rc = topo_membind_self(node);
		if (rc) {
			bench_opt_err("--node: binding memory to node %d: "
				      "%s\n",
				      node, strerror(-rc));
			return 2;
		}
	}
	return 0;
}

static void topo_end(void)
{
	topo_unload();
}

static void topo_context(void *obj)
{
	json_object_set_new(obj, "topology", topo_json());
}

/* Workers: one per core from the main thread's core on. */
static void topo_thread_init(struct bench_state *st)
{
	int i = bench_thread_index(st), rc;

	if (cpu >= 0) {
		int c = topo_worker_cpu(cpu, i);

		rc = topo_pin_self(c);
		if (rc)
			bench_log("topology: worker %d on CPU %d: %s", i, c,
				  strerror(-rc));
		else if (i < MAX_WORKERS)
			worker_cpu[i] = c;
	}
	if (node >= 0) {
		rc = topo_membind_self(node);
		if (rc)
			bench_log("topology: worker %d memory on node %d: %s",
				  i, node, strerror(-rc));
	}
	if (i < MAX_WORKERS && i + 1 > nworkers)
		nworkers = i + 1;
}

static void topo_row(struct bench_state *st, void *obj)
{
	json_t *b = topo_binding_json();
	int threads = bench_threads(st);

	json_object_set_new(b, "requested_cpu",
			    cpu_arg ? json_string(cpu_arg) : json_null());
	json_object_set_new(b, "cpu",
			    cpu >= 0 ? json_integer(cpu) : json_null());
	json_object_set_new(b, "node",
			    node >= 0 ? json_integer(node) : json_null());
	if (threads > 1 && cpu >= 0) {
		json_t *w = json_array();

		for (int i = 0; i < threads && i < MAX_WORKERS; i++)
			json_array_append_new(
				w, worker_cpu[i] >= 0
					   ? json_integer(worker_cpu[i])
					   : json_null());
		json_object_set_new(b, "worker_cpus", w);
	}
	json_object_set_new(obj, "binding", b);
}

static const struct bench_opt topo_opts[] = {
	{"cpu", "N|auto",
	 "pin the benchmark to CPU N (auto: last core),\n"
	 "workers one per core from there",
	 .set = topo_option},
	{"node", "N", "bind memory to NUMA node N", .set = topo_option},
	{0}};

BENCH_EXT_REGISTER(topology, .opts = topo_opts, .run_begin = topo_begin,
		   .run_end = topo_end, .context = topo_context,
		   .thread_init = topo_thread_init, .row = topo_row);
