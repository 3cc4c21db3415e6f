// SPDX-License-Identifier: GPL-2.0
/*
 * perf-nmi-load: NMI-driven work for the kernel matrix's pseudo-NMI rows.
 * With irqchip.gicv3_pseudo_nmi=1 the arm64 PMU overflow interrupt is an
 * NMI; sampling CPU cycles with kernel call chains on every CPU makes the
 * kernel take one NMI per period and walk the interrupted stack there,
 * whatever the stress was doing (a vmemmap PMD split, a remap) when it
 * arrived.  Counts the samples the NMIs wrote.
 *
 *   perf-nmi-load SECONDS PERIOD
 *
 * Prints "cpus=N samples=S lost=L"; exits 0, 1 when no counter could be
 * opened (the reason on stderr), 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS   64
#define DATA_PAGES 16 /* a power of two, as perf requires */

struct ring {
	int fd;
	struct perf_event_mmap_page *meta;
	unsigned char *data;
	size_t size;
};

static unsigned long long samples, lost;

/* Consume every record the kernel wrote since the last call. */
static void drain(struct ring *r)
{
	uint64_t head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = r->meta->data_tail;

	while (tail < head) {
		struct perf_event_header h;
		size_t off = tail % r->size;

		/* A header never wraps: records are 8-byte aligned. */
		memcpy(&h, r->data + off, sizeof(h));
		if (h.size == 0)
			break;
		if (h.type == PERF_RECORD_SAMPLE) {
			samples++;
		} else if (h.type == PERF_RECORD_LOST) {
			uint64_t n[2]; /* id, lost */
			size_t o = (off + sizeof(h)) % r->size;

			if (o + sizeof(n) <= r->size) {
				memcpy(n, r->data + o, sizeof(n));
				lost += n[1];
			}
		}
		tail += h.size;
	}
	__atomic_store_n(&r->meta->data_tail, tail, __ATOMIC_RELEASE);
}

int main(int argc, char **argv)
{
	struct ring rings[MAX_CPUS];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long page = sysconf(_SC_PAGESIZE);
	char *end1, *end2;
	long secs, period;
	int n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: perf-nmi-load SECONDS PERIOD\n");
		return 2;
	}
	secs = strtol(argv[1], &end1, 10);
	period = strtol(argv[2], &end2, 10);
	if (*end1 || *end2 || secs <= 0 || period <= 0) {
		fprintf(stderr, "perf-nmi-load: SECONDS and PERIOD must be "
				"positive integers\n");
		return 2;
	}
	if (ncpu > MAX_CPUS)
		ncpu = MAX_CPUS;

	for (long cpu = 0; cpu < ncpu; cpu++) {
		struct perf_event_attr a = {
			.size = sizeof(a),
			.type = PERF_TYPE_HARDWARE,
			.config = PERF_COUNT_HW_CPU_CYCLES,
			.sample_period = (uint64_t)period,
			.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_CALLCHAIN,
			.exclude_hv = 1,
			.wakeup_events = 1 << 20,
		};
		struct ring *r = &rings[n];
		size_t len = (size_t)(DATA_PAGES + 1) * page;
		void *m;

		r->fd = syscall(SYS_perf_event_open, &a, -1, (int)cpu, -1, 0);
		if (r->fd < 0) {
			fprintf(stderr,
				"perf-nmi-load: perf_event_open(cycles, cpu "
				"%ld): %s\n",
				cpu, strerror(errno));
			continue;
		}
		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd,
			 0);
		if (m == MAP_FAILED) {
			fprintf(stderr,
				"perf-nmi-load: mmap of the ring (cpu %ld): "
				"%s\n",
				cpu, strerror(errno));
			close(r->fd);
			continue;
		}
		r->meta = m;
		r->data = (unsigned char *)m + page;
		r->size = (size_t)DATA_PAGES * page;
		n++;
	}
	if (n == 0)
		return 1;

	struct timespec t0, now, tick = {0, 50 * 1000 * 1000};

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		nanosleep(&tick, NULL);
		for (int i = 0; i < n; i++)
			drain(&rings[i]);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - t0.tv_sec < secs);

	for (int i = 0; i < n; i++)
		ioctl(rings[i].fd, PERF_EVENT_IOC_DISABLE, 0);
	for (int i = 0; i < n; i++)
		drain(&rings[i]);
	printf("cpus=%d samples=%llu lost=%llu\n", n, samples, lost);
	return 0;
}
