// SPDX-License-Identifier: GPL-2.0
/*
 * hvo-stress - race HugeTLB Vmemmap Optimization (HVO) against struct page
 * readers and GUP, in a QEMU guest with at least 2 vCPUs.
 *
 *   pool thread (CPU 0): grows the 2M pool to -n pages and shrinks it to 0,
 *       over and over: every cycle optimizes and restores the vmemmap of
 *       -n freshly allocated pages (remaps, PMD splits, BBM on arm64).
 *   user thread (CPU 1): maps a 2M MAP_HUGETLB page (a surplus page: HVO
 *       optimizes it at fault, restores it at munmap), fills it, finds its
 *       PFN in /proc/self/pagemap, checks head/tail flags in /proc/kpageflags,
 *       long-term pins it (io_uring buffer registration), gets it
 *       (vmsplice, process_vm_readv), checks the data, unmaps it.
 *   scan thread (CPU 1): reads /proc/kpageflags and /proc/kpagecount around
 *       the PFNs the user thread saw and sweeps all of memory, so the kernel
 *       reads struct pages (flags, compound_head, refcount) that HVO is
 *       remapping at that moment.
 *
 * usage: hvo-stress [-z kB] [-t seconds] [-n pages]
 * -z: the huge page size (default 2048: 2M; every mode takes it).
 * Prints one "hvo-stress: key=value ..." summary line; exits 0 when no
 * error was seen, 1 on errors, 4 (kselftest skip) when 2M pages are missing.
 *
 * usage: hvo-stress -R rounds [-n pages]
 * The race behind the free surplus page the stress can leave in the pool:
 * each round grows the pool to -n pages, faults one of them into a private
 * mapping, then one thread writes nr_hugepages=0 while this one unmaps the
 * page after a random delay.  Records whether the unmap finished while the
 * write was running and whether the round left a free surplus page, then
 * checks that the next use of the pool frees it: by turns an untouched
 * mapping (unused reservation), a fault and unmap, a grow and shrink.  Prints one
 * "hvo-stress-race: key=value ..." line.
 *
 * usage: hvo-stress -S seconds [-n pages]
 * Surplus accounting: the pool thread as above, and a user thread that only
 * maps, touches and unmaps a 2M page (surplus allocations at mmap and at
 * fault race the pool writes).  Counts SIGBUS on touching a mapping whose
 * reservation succeeded, and checks at the end that the 2M hstate's
 * counters are consistent (surplus_hugepages <= nr_hugepages).  Prints one
 * "hvo-stress-surplus: key=value ..." line; exits 1 on SIGBUS or broken
 * counters.
 *
 * usage: hvo-stress -H seconds
 * A negative control for the guest's leak check: makes one 2M page an
 * in-use surplus page (grow the pool to 1, fault the page, shrink the pool
 * to 0) and holds it for that long, as a leaked page would stay.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/*
 * io_uring through raw syscalls.  <linux/io_uring.h> pulls in <linux/fs.h>,
 * whose RWF_* macros clash with glibc's <sys/uio.h>; the two register
 * opcodes and the size of struct io_uring_params are stable ABI.
 */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup	425
#define __NR_io_uring_register	427
#endif
#define IORING_REGISTER_BUFFERS		0
#define IORING_UNREGISTER_BUFFERS	1
#define IO_URING_PARAMS_SIZE		120

#define CHUNK		(64UL << 10)
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif

/*
 * The huge page size under test (-z kB, default 2M): with 16K or 64K base
 * pages the PMD size (32M, 512M) is the one whose vmemmap HVO remaps.
 */
static unsigned long hpage_size = 2UL << 20;
static unsigned long page_sz = 4096;
static unsigned long hpage_nr = 512;
static int map_hugetlb = MAP_HUGETLB;
static char NR_HUGEPAGES[96], NR_OVERCOMMIT[96], SURPLUS[96], FREE_HP[96];

static void set_hpage_size(unsigned long kb)
{
	const char *d = "/sys/kernel/mm/hugepages/hugepages-";

	hpage_size = kb << 10;
	page_sz = (unsigned long)sysconf(_SC_PAGESIZE);
	hpage_nr = hpage_size / page_sz;
	map_hugetlb = MAP_HUGETLB | (__builtin_ctzl(hpage_size) << MAP_HUGE_SHIFT);
	snprintf(NR_HUGEPAGES, sizeof(NR_HUGEPAGES), "%s%lukB/nr_hugepages", d, kb);
	snprintf(NR_OVERCOMMIT, sizeof(NR_OVERCOMMIT), "%s%lukB/nr_overcommit_hugepages", d, kb);
	snprintf(SURPLUS, sizeof(SURPLUS), "%s%lukB/surplus_hugepages", d, kb);
	snprintf(FREE_HP, sizeof(FREE_HP), "%s%lukB/free_hugepages", d, kb);
}
#define HPAGE_SIZE	hpage_size
#define PAGE_SZ		page_sz
#define HPAGE_NR	hpage_nr

#define KPF_COMPOUND_HEAD	(1ULL << 15)
#define KPF_COMPOUND_TAIL	(1ULL << 16)
#define KPF_HUGE		(1ULL << 17)

#define KSFT_SKIP 4

static atomic_int stop;
static atomic_ulong last_pfn;
static atomic_ulong errors;
static unsigned long max_pfn;

static struct {
	unsigned long pool_cycles, pool_short;
	unsigned long user_cycles, user_nomem, pins, gets, flag_checks;
	unsigned long scan_pfns, scan_sweeps;
} st;

static void error(const char *what, int err)
{
	atomic_fetch_add(&errors, 1);
	fprintf(stderr, "hvo-stress: error: %s: %s\n", what,
		err ? strerror(err) : "mismatch");
}

static void pin_cpu(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) <= cpu)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int write_ulong(const char *path, unsigned long val)
{
	char buf[32];
	int fd, len, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%lu\n", val);
	if (write(fd, buf, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

static long read_long(const char *path)
{
	char buf[32] = "";
	long val = -1;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) > 0)
		val = strtol(buf, NULL, 10);
	close(fd);
	return val;
}


static void *pool_thread(void *arg)
{
	unsigned long n = *(unsigned long *)arg;

	pin_cpu(0);
	while (!atomic_load(&stop)) {
		if (write_ulong(NR_HUGEPAGES, n) < 0) {
			error("grow pool", errno);
			break;
		}
		if ((unsigned long)read_long(NR_HUGEPAGES) < n)
			st.pool_short++;
		if (write_ulong(NR_HUGEPAGES, 0) < 0) {
			error("shrink pool", errno);
			break;
		}
		st.pool_cycles++;
	}
	return NULL;
}

static uint64_t pagemap_pfn(int fd, void *addr)
{
	uint64_t ent;
	off_t off = (uintptr_t)addr / PAGE_SZ * sizeof(ent);

	if (pread(fd, &ent, sizeof(ent), off) != sizeof(ent))
		return 0;
	if (!(ent & (1ULL << 63)))
		return 0;
	return ent & ((1ULL << 55) - 1);
}

static void fill(uint64_t *p, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len / sizeof(*p); i += 512)
		p[i] = seed ^ i;
}

static int check(const uint64_t *p, size_t len, uint64_t seed, size_t first)
{
	for (size_t i = 0; i < len / sizeof(*p); i++) {
		size_t idx = first + i;

		if (idx % 512 == 0 && p[i] != (seed ^ idx))
			return -1;
	}
	return 0;
}

static void check_kpageflags(int kpf, uint64_t pfn)
{
	static uint64_t *flags;
	ssize_t len = HPAGE_NR * sizeof(uint64_t);

	if (!flags && !(flags = malloc(len))) {
		error("malloc", errno);
		return;
	}

	if (pread(kpf, flags, len, pfn * sizeof(uint64_t)) != len) {
		error("read /proc/kpageflags", errno);
		return;
	}
	if ((flags[0] & (KPF_COMPOUND_HEAD | KPF_HUGE)) !=
	    (KPF_COMPOUND_HEAD | KPF_HUGE))
		error("kpageflags head", 0);
	for (size_t i = 1; i < HPAGE_NR; i++)
		if ((flags[i] & (KPF_COMPOUND_TAIL | KPF_HUGE)) !=
		    (KPF_COMPOUND_TAIL | KPF_HUGE)) {
			error("kpageflags tail", 0);
			break;
		}
	st.flag_checks++;
}

static int ring_setup(void)
{
	uint64_t params[IO_URING_PARAMS_SIZE / sizeof(uint64_t)];

	memset(params, 0, sizeof(params));
	return syscall(__NR_io_uring_setup, 4, params);
}

static void *user_thread(void *arg)
{
	static uint64_t buf[CHUNK / sizeof(uint64_t)];
	int pagemap, kpf, ring, pipefd[2];
	uint64_t seed = 0x5eed;

	(void)arg;
	pin_cpu(1);
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	kpf = open("/proc/kpageflags", O_RDONLY);
	ring = ring_setup();
	if (pagemap < 0 || kpf < 0 || pipe(pipefd)) {
		error("open pagemap/kpageflags/pipe", errno);
		return NULL;
	}
	if (ring < 0)
		fprintf(stderr, "hvo-stress: io_uring unavailable (%s), no long-term pins\n",
			strerror(errno));

	while (!atomic_load(&stop)) {
		struct iovec local, remote, iov;
		uint64_t *p, pfn;
		size_t off;

		p = mmap(NULL, HPAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | map_hugetlb, -1, 0);
		if (p == MAP_FAILED) {
			if (errno != ENOMEM) {
				error("mmap MAP_HUGETLB", errno);
				break;
			}
			st.user_nomem++;
			sched_yield();
			continue;
		}
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		fill(p, HPAGE_SIZE, seed);

		pfn = pagemap_pfn(pagemap, p);
		if (!pfn || pfn % HPAGE_NR) {
			error("pagemap pfn", 0);
		} else {
			atomic_store(&last_pfn, pfn);
			check_kpageflags(kpf, pfn);
		}

		/* FOLL_LONGTERM pin and unpin of the whole folio */
		if (ring >= 0) {
			iov.iov_base = p;
			iov.iov_len = HPAGE_SIZE;
			if (syscall(__NR_io_uring_register, ring,
				    IORING_REGISTER_BUFFERS, &iov, 1))
				error("io_uring register buffers", errno);
			else if (syscall(__NR_io_uring_register, ring,
					 IORING_UNREGISTER_BUFFERS, NULL, 0))
				error("io_uring unregister buffers", errno);
			else
				st.pins++;
		}

		/* GUP-fast get + put through a pipe */
		off = (seed >> 7) % (HPAGE_SIZE / CHUNK) * CHUNK;
		iov.iov_base = (char *)p + off;
		iov.iov_len = CHUNK;
		if (vmsplice(pipefd[1], &iov, 1, 0) != (ssize_t)CHUNK) {
			error("vmsplice", errno);
		} else {
			size_t got = 0;

			while (got < CHUNK) {
				ssize_t r = read(pipefd[0], (char *)buf + got,
						 CHUNK - got);
				if (r <= 0) {
					error("read pipe", errno);
					break;
				}
				got += r;
			}
			if (check(buf, CHUNK, seed, off / sizeof(uint64_t)))
				error("vmsplice data", 0);
			st.gets++;
		}

		/* remote GUP on our own mm */
		local.iov_base = buf;
		local.iov_len = CHUNK;
		remote.iov_base = (char *)p + HPAGE_SIZE - CHUNK;
		remote.iov_len = CHUNK;
		if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) !=
		    (ssize_t)CHUNK)
			error("process_vm_readv", errno);
		else if (check(buf, CHUNK, seed,
			       (HPAGE_SIZE - CHUNK) / sizeof(uint64_t)))
			error("process_vm_readv data", 0);
		else
			st.gets++;

		if (munmap(p, HPAGE_SIZE))
			error("munmap", errno);
		st.user_cycles++;
	}
	if (ring >= 0)
		close(ring);
	close(pipefd[0]);
	close(pipefd[1]);
	close(pagemap);
	close(kpf);
	return NULL;
}

static void scan_range(int kpf, int kpc, uint64_t start, uint64_t nr)
{
	static uint64_t buf[8192];

	while (nr) {
		uint64_t n = nr < 8192 ? nr : 8192;
		ssize_t len = n * sizeof(uint64_t);

		if (pread(kpf, buf, len, start * sizeof(uint64_t)) < 0 ||
		    pread(kpc, buf, len, start * sizeof(uint64_t)) < 0) {
			error("read kpageflags/kpagecount", errno);
			return;
		}
		st.scan_pfns += n;
		start += n;
		nr -= n;
	}
}

static void *scan_thread(void *arg)
{
	uint64_t sweep = 0;
	int kpf, kpc;

	(void)arg;
	pin_cpu(1);
	kpf = open("/proc/kpageflags", O_RDONLY);
	kpc = open("/proc/kpagecount", O_RDONLY);
	if (kpf < 0 || kpc < 0) {
		error("open kpageflags/kpagecount", errno);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		uint64_t pfn = atomic_load(&last_pfn);

		/*
		 * The page the user thread saw last, over and over: it is
		 * restored when the user thread unmaps it, and its PFN is
		 * likely to come back in the next allocation (optimize).
		 * This is where vmemmap updates and readers meet.
		 */
		for (int i = 0; pfn && i < 8; i++)
			scan_range(kpf, kpc, pfn, HPAGE_NR);
		/* and a slice of all memory */
		scan_range(kpf, kpc, sweep, 8192);
		sweep += 8192;
		if (sweep >= max_pfn) {
			sweep = 0;
			st.scan_sweeps++;
		}
	}
	close(kpf);
	close(kpc);
	return NULL;
}


static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static atomic_int shrink_go;
static double shrink_t0, shrink_t1;

static void *shrink_thread(void *arg)
{
	(void)arg;
	pin_cpu(0);
	while (!atomic_load(&shrink_go))
		;
	shrink_t0 = now_us();
	if (write_ulong(NR_HUGEPAGES, 0) < 0)
		error("shrink pool", errno);
	shrink_t1 = now_us();
	return NULL;
}

/* Grow the pool to npages, then map and touch one 2M page from it. */
static char *grow_and_map(unsigned long npages)
{
	char *p;

	if (write_ulong(NR_HUGEPAGES, npages) < 0 ||
	    read_long(NR_HUGEPAGES) < (long)npages) {
		error("grow pool", errno);
		return NULL;
	}
	p = mmap(NULL, HPAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | map_hugetlb, -1, 0);
	if (p == MAP_FAILED) {
		error("mmap MAP_HUGETLB", errno);
		return NULL;
	}
	p[0] = 1;
	return p;
}

static int race(unsigned long rounds, unsigned long npages)
{
	unsigned long inside = 0, left_inside = 0, left_outside = 0, leaks = 0;
	unsigned long tried[3] = { 0 }, freed[3] = { 0 };
	double wsum = 0, window = 0;
	unsigned int seed = 1;

	pin_cpu(1);
	/* round 0 calibrates: how long does the shrink take on its own? */
	for (unsigned long r = 0; r <= rounds; r++) {
		double delay, t0, tm0 = 0, tm1 = 0;
		long surp, freep;
		pthread_t th;
		char *p;

		p = grow_and_map(npages);
		if (!p)
			return 1;
		delay = (double)rand_r(&seed) / RAND_MAX * window * 1.5;
		atomic_store(&shrink_go, 0);
		if (pthread_create(&th, NULL, shrink_thread, NULL)) {
			error("pthread_create", errno);
			return 1;
		}
		atomic_store(&shrink_go, 1);
		if (r) {
			t0 = now_us();
			while (now_us() - t0 < delay)
				;
			tm0 = now_us();
			munmap(p, HPAGE_SIZE);
			tm1 = now_us();
		}
		pthread_join(th, NULL);
		if (!r)
			munmap(p, HPAGE_SIZE);
		surp = read_long(SURPLUS);
		freep = read_long(FREE_HP);
		if (!r) {
			window = shrink_t1 - shrink_t0;
		} else {
			int in = tm1 > shrink_t0 && tm0 < shrink_t1;
			int left = surp > 0 && freep > 0;

			wsum += shrink_t1 - shrink_t0;
			inside += in;
			left_inside += in && left;
			left_outside += !in && left;
		}
		/*
		 * A free surplus page goes away with the next use of the
		 * pool.  Try one of three uses by turns: a mapping that is
		 * never touched (its unused reservation is returned at
		 * munmap), a fault and an unmap, a grow and a shrink.
		 */
		if (r && surp > 0 && freep > 0) {
			int how = left_inside % 3;

			if (how < 2) {
				p = mmap(NULL, HPAGE_SIZE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | map_hugetlb,
					 -1, 0);
				if (p != MAP_FAILED) {
					if (how)
						p[0] = 1;
					munmap(p, HPAGE_SIZE);
				}
			} else {
				write_ulong(NR_HUGEPAGES, 1);
				write_ulong(NR_HUGEPAGES, 0);
			}
			tried[how]++;
			freed[how] += read_long(NR_HUGEPAGES) == 0 &&
				      read_long(SURPLUS) == 0;
		}
		write_ulong(NR_HUGEPAGES, 1);
		write_ulong(NR_HUGEPAGES, 0);
		if (read_long(NR_HUGEPAGES) != 0 || read_long(SURPLUS) != 0)
			leaks++;
	}
	printf("hvo-stress-race: rounds=%lu pages=%lu shrink_us_calibration=%.0f shrink_us_mean=%.0f "
	       "unmap_during_shrink=%lu left_free_surplus_unmap_during_shrink=%lu "
	       "left_free_surplus_unmap_outside_shrink=%lu freed_by_unused_reservation=%lu/%lu "
	       "freed_by_fault_unmap=%lu/%lu freed_by_grow_shrink=%lu/%lu "
	       "left_after_grow_shrink=%lu errors=%lu\n",
	       rounds, npages, window, rounds ? wsum / rounds : 0, inside,
	       left_inside, left_outside, freed[0], tried[0], freed[1],
	       tried[1], freed[2], tried[2], leaks, atomic_load(&errors));
	return atomic_load(&errors) || leaks ? 1 : 0;
}

static int hold(unsigned long seconds)
{
	char *p;

	p = grow_and_map(1);
	if (!p)
		return 1;
	write_ulong(NR_HUGEPAGES, 0);
	printf("hvo-stress-hold: holding one 2M page for %lu s\n", seconds);
	fflush(stdout);
	sleep(seconds);
	munmap(p, HPAGE_SIZE);
	return 0;
}

static sigjmp_buf bus_jmp;
static unsigned long sigbus;

static void on_sigbus(int sig)
{
	(void)sig;
	sigbus++;
	siglongjmp(bus_jmp, 1);
}

static void *touch_thread(void *arg)
{
	(void)arg;
	pin_cpu(1);
	signal(SIGBUS, on_sigbus);
	while (!atomic_load(&stop)) {
		char *volatile p;

		p = mmap(NULL, HPAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | map_hugetlb, -1, 0);
		if (p == MAP_FAILED) {
			st.user_nomem++;
			continue;
		}
		if (!sigsetjmp(bus_jmp, 1))
			p[0] = 1;
		munmap(p, HPAGE_SIZE);
		st.user_cycles++;
	}
	return NULL;
}

static int surplus_check(unsigned long seconds, unsigned long npages)
{
	long saved = read_long(NR_OVERCOMMIT), nr, surp, freep;
	pthread_t pool, user;

	if (write_ulong(NR_OVERCOMMIT, 8) < 0)
		error("set nr_overcommit_hugepages", errno);
	if (pthread_create(&pool, NULL, pool_thread, &npages) ||
	    pthread_create(&user, NULL, touch_thread, NULL)) {
		perror("pthread_create");
		return 1;
	}
	sleep(seconds);
	atomic_store(&stop, 1);
	pthread_join(pool, NULL);
	pthread_join(user, NULL);
	write_ulong(NR_HUGEPAGES, 0);
	if (saved >= 0)
		write_ulong(NR_OVERCOMMIT, saved);
	nr = read_long(NR_HUGEPAGES);
	surp = read_long(SURPLUS);
	freep = read_long(FREE_HP);
	printf("hvo-stress-surplus: seconds=%lu pool_cycles=%lu pool_short=%lu user_cycles=%lu "
	       "user_nomem=%lu sigbus=%lu nr_hugepages=%ld surplus=%ld free=%ld errors=%lu\n",
	       seconds, st.pool_cycles, st.pool_short, st.user_cycles,
	       st.user_nomem, sigbus, nr, surp, freep, atomic_load(&errors));
	return sigbus || surp > nr || atomic_load(&errors) ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long seconds = 30, npages = 32, rounds = 0, holds = 0;
	unsigned long surplus_secs = 0;
	long saved_overcommit;
	pthread_t pool, user, scan;
	struct timespec t0, t1;
	double elapsed;
	int opt;

	set_hpage_size(2048);
	while ((opt = getopt(argc, argv, "t:n:R:H:S:z:")) != -1) {
		switch (opt) {
		case 'z':
			set_hpage_size(strtoul(optarg, NULL, 0));
			break;
		case 't':
			seconds = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			npages = strtoul(optarg, NULL, 0);
			break;
		case 'R':
			rounds = strtoul(optarg, NULL, 0);
			break;
		case 'H':
			holds = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			surplus_secs = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-z kB] [-t seconds] [-n pages] | -R rounds [-n pages] | -S seconds [-n pages] | -H seconds\n",
				argv[0]);
			return 2;
		}
	}
	if (access(NR_HUGEPAGES, W_OK)) {
		printf("hvo-stress: skip: no writable %s\n", NR_HUGEPAGES);
		return KSFT_SKIP;
	}
	if (rounds)
		return race(rounds, npages);
	if (holds)
		return hold(holds);
	if (surplus_secs)
		return surplus_check(surplus_secs, npages);
	max_pfn = (unsigned long)sysconf(_SC_PHYS_PAGES);
	max_pfn += max_pfn / 4;		/* holes below 4G; reads past the end just return 0 */
	saved_overcommit = read_long(NR_OVERCOMMIT);
	if (write_ulong(NR_OVERCOMMIT, 8) < 0)
		error("set nr_overcommit_hugepages", errno);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pthread_create(&pool, NULL, pool_thread, &npages) ||
	    pthread_create(&user, NULL, user_thread, NULL) ||
	    pthread_create(&scan, NULL, scan_thread, NULL)) {
		perror("pthread_create");
		return 1;
	}
	sleep(seconds);
	atomic_store(&stop, 1);
	pthread_join(pool, NULL);
	pthread_join(user, NULL);
	pthread_join(scan, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	elapsed = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	write_ulong(NR_HUGEPAGES, 0);
	if (saved_overcommit >= 0)
		write_ulong(NR_OVERCOMMIT, saved_overcommit);

	printf("hvo-stress: seconds=%.1f pool_cycles=%lu pool_pages=%lu pool_short=%lu "
	       "user_cycles=%lu user_nomem=%lu pins=%lu gets=%lu flag_checks=%lu "
	       "scan_pfns=%lu scan_sweeps=%lu errors=%lu\n",
	       elapsed, st.pool_cycles, npages, st.pool_short, st.user_cycles,
	       st.user_nomem, st.pins, st.gets, st.flag_checks, st.scan_pfns,
	       st.scan_sweeps, atomic_load(&errors));
	return atomic_load(&errors) ? 1 : 0;
}
