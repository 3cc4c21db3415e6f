/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine topology and placement through hwloc: what the machine is
 * (packages, cores, PUs, NUMA nodes, caches, huge page sizes per node),
 * pinning threads to CPUs and binding memory to a NUMA node.
 *
 * Placement (the topology extension's options):
 *   --cpu=N     the benchmark's main thread runs on CPU (PU) N; worker
 *               thread i runs on the first PU of core (core(N) + i) mod
 *               cores: one worker per core, wrapping when there are more.
 *   --cpu=auto  as --cpu=N with N the first PU of the last core: CPU 0
 *               takes most interrupts and housekeeping.
 *   --node=N    memory of every thread is bound (MPOL_BIND) to node N.
 *
 * hwloc's per-node memory sizes are not trusted (VMs initialize memory
 * lazily); memory figures come from /proc/meminfo.
 */
#ifndef HVOBENCH_TOPOLOGY_H
#define HVOBENCH_TOPOLOGY_H

#include <jansson.h>
#include <stdbool.h>

/* Load the topology once (later calls are free).  0 or -errno. */
int topo_load(void);
void topo_unload(void);

/* Counts of hwloc objects; -1 before topo_load. */
int topo_cores(void);
int topo_pus(void);
int topo_nodes(void);

/* True when PU os index cpu exists and this process may run on it. */
bool topo_cpu_allowed(int cpu);
/* True when NUMA node os index node exists and has memory. */
bool topo_node_valid(int node);
/* The PU --cpu=auto picks. */
int topo_auto_cpu(void);
/* The PU worker thread i gets when the main thread is on base_cpu. */
int topo_worker_cpu(int base_cpu, int i);

/* Bind the calling thread to one PU / its memory to one node: 0 or -errno. */
int topo_pin_self(int cpu);
int topo_membind_self(int node);

/* The machine, for context.hvobench.topology. */
json_t *topo_json(void);
/* The calling thread's binding in effect: cpuset, last CPU, membind. */
json_t *topo_binding_json(void);

#endif
