// SPDX-License-Identifier: GPL-2.0
/*
 * Machine and kernel identity for the environment record: kernel, CPU,
 * perf, virtualization, clocks, and the suite itself; the record, with
 * the parts other modules register (env_part_register).
 */
#include "env.h"

#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "version.h"
#ifndef HVOBENCH_BUILD_TYPE
#define HVOBENCH_BUILD_TYPE "unknown"
#endif

#define VIRT_NOTE                                                              \
	"virtualized: TLB effects need bare metal (or huge-page-backed "       \
	"guests) and hardware counters; timings include the hypervisor"

json_t *env_kernel(void)
{
	json_t *o = json_object();
	struct utsname u;

	if (!uname(&u)) {
		json_object_set_new(o, "release", json_string(u.release));
		json_object_set_new(o, "version", json_string(u.version));
		json_object_set_new(o, "machine", json_string(u.machine));
	}
	json_object_set_new(o, "cmdline", env_file_str("/proc/cmdline"));
	json_object_set_new(o, "proc_version", env_file_str("/proc/version"));
	json_object_set_new(
		o, "aslr", env_file_int("/proc/sys/kernel/randomize_va_space"));
	return o;
}

/*
 * Whether a hardware PMU counts: open user-mode instructions on ourselves
 * (allowed at every paranoid level below 3), close it again.
 */
static json_t *hw_pmu(void)
{
	struct perf_event_attr a;
	json_t *o = json_object();
	int fd;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
			  PERF_FLAG_FD_CLOEXEC);
	json_object_set_new(o, "present", json_boolean(fd >= 0));
	if (fd < 0)
		json_object_set_new(
			o, "why",
			json_sprintf("perf_event_open(instructions): %s",
				     strerror(errno)));
	else
		close(fd);
	return o;
}

static json_t *pmu_list(void)
{
	DIR *d = opendir("/sys/bus/event_source/devices");
	json_t *a = json_array();
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			json_array_append_new(a, json_string(e->d_name));
	if (d)
		closedir(d);
	return a;
}

json_t *env_perf(void)
{
	json_t *o = json_object();

	json_object_set_new(
		o, "perf_event_paranoid",
		env_file_int("/proc/sys/kernel/perf_event_paranoid"));
	json_object_set_new(o, "hardware_pmu", hw_pmu());
	json_object_set_new(o, "event_sources", pmu_list());
	return o;
}

/* CPU flags that change TLB-flush cost or huge page support. */
static const char *const cpu_flags[] = {
	"hypervisor",  "pdpe1gb",	 "pse",	 "pcid",
	"invpcid",     "invlpgb",	 "la57", "constant_tsc",
	"nonstop_tsc", "tsc_known_freq", NULL,
};

static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = strstr(list, w); p; p = strstr(p + 1, w))
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ' ' || !p[n] || p[n] == '\n'))
			return true;
	return false;
}

/* Copy the value of "key<tabs>: value" lines of the first CPU block. */
static void cpuinfo(json_t *o, char *flags, size_t flen)
{
	static const struct {
		const char *key, *json;
		bool num;
	} keys[] = {
		{"vendor_id", "vendor", false},
		{"model name", "model_name", false},
		{"cpu family", "family", true},
		{"model", "model", true},
		{"stepping", "stepping", true},
		{"microcode", "microcode", false},
		{"CPU implementer", "implementer", false},
		{"CPU architecture", "architecture", false},
		{"CPU variant", "variant", false},
		{"CPU part", "part", false},
		{"CPU revision", "revision", false},
	};
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool seen_proc = false;

	flags[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *v, *end;
		size_t klen;

		if (!colon)
			continue;
		v = colon + 1 + (colon[1] == ' ');
		v[strcspn(v, "\n")] = '\0';
		end = colon;
		while (end > line && (end[-1] == '\t' || end[-1] == ' '))
			end--;
		klen = (size_t)(end - line);
		if (klen == 9 && !strncmp(line, "processor", 9)) {
			if (seen_proc)
				break; /* first CPU only */
			seen_proc = true;
			continue;
		}
		if ((klen == 5 && !strncmp(line, "flags", 5)) ||
		    (klen == 8 && !strncmp(line, "Features", 8))) {
			snprintf(flags, flen, "%s", v);
			continue;
		}
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			if (strlen(keys[k].key) != klen ||
			    strncmp(line, keys[k].key, klen))
				continue;
			json_object_set_new(o, keys[k].json,
					    keys[k].num ? json_integer(atoll(v))
							: json_string(v));
		}
	}
	fclose(f);
}

json_t *env_cpu(void)
{
	json_t *o = json_object(), *fl = json_object(), *freq = json_object();
	char flags[4096];

	cpuinfo(o, flags, sizeof(flags));
	for (const char *const *w = cpu_flags; *w; w++)
		json_object_set_new(fl, *w, json_boolean(has_word(flags, *w)));
	json_object_set_new(o, "flags", fl);
	json_object_set_new(o, "online",
			    json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_set_new(o, "midr_el1",
			    env_file_str("/sys/devices/system/cpu/cpu0/regs/"
					 "identification/midr_el1"));
	json_object_set_new(freq, "governor",
			    env_file_str("/sys/devices/system/cpu/cpu0/cpufreq/"
					 "scaling_governor"));
	json_object_set_new(freq, "driver",
			    env_file_str("/sys/devices/system/cpu/cpu0/cpufreq/"
					 "scaling_driver"));
	json_object_set_new(
		freq, "boost",
		env_file_int("/sys/devices/system/cpu/cpufreq/boost"));
	json_object_set_new(freq, "intel_no_turbo",
			    env_file_int("/sys/devices/system/cpu/intel_pstate/"
					 "no_turbo"));
	if (json_is_null(json_object_get(freq, "governor")))
		json_object_set_new(
			freq, "note",
			json_string("no cpufreq: frequency is set "
				    "by firmware or the hypervisor"));
	json_object_set_new(o, "cpufreq", freq);
	return o;
}

/* cpuid leaf 0x40000000: the hypervisor's signature, e.g. "KVMKVMKVM". */
static json_t *cpuid_hypervisor(bool flag)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;
	char sig[13];

	if (!flag)
		return json_null();
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = '\0';
	return json_string(sig);
#else
	(void)flag;
	return json_null();
#endif
}

/* systemd-detect-virt --vm: "kvm", "none", ...; null when absent. */
static json_t *detect_virt(void)
{
	FILE *p = popen("systemd-detect-virt --vm 2>/dev/null", "r");
	char buf[64] = "";

	if (!p)
		return json_null();
	if (!fgets(buf, sizeof(buf), p))
		buf[0] = '\0';
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? json_string(buf) : json_null();
}

json_t *env_virt(void)
{
	json_t *o = json_object(), *dv = detect_virt(), *sh;
	char flags[4096];
	json_t *tmp = json_object();
	bool flag, virt;

	cpuinfo(tmp, flags, sizeof(flags));
	json_decref(tmp);
	flag = has_word(flags, "hypervisor");
	sh = env_file_str("/sys/hypervisor/type");
	virt = flag || !json_is_null(sh) ||
	       (json_is_string(dv) && strcmp(json_string_value(dv), "none"));
	json_object_set_new(o, "virtualized", json_boolean(virt));
	json_object_set_new(o, "cpuid_hypervisor_flag", json_boolean(flag));
	json_object_set_new(o, "cpuid_hypervisor_vendor",
			    cpuid_hypervisor(flag));
	json_object_set_new(o, "systemd_detect_virt", dv);
	json_object_set_new(o, "sys_hypervisor_type", sh);
	json_object_set_new(o, "note",
			    virt ? json_string(VIRT_NOTE) : json_null());
	return o;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Cost of one clock_gettime(CLOCK_MONOTONIC): median of 7 batches. */
static double timer_overhead_ns(void)
{
	double t[7];
	struct timespec a, b, x;

	for (int r = 0; r < 7; r++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (int i = 0; i < 10000; i++)
			clock_gettime(CLOCK_MONOTONIC, &x);
		clock_gettime(CLOCK_MONOTONIC, &b);
		t[r] = ((double)(b.tv_sec - a.tv_sec) * 1e9 +
			(double)(b.tv_nsec - a.tv_nsec)) /
		       10000.0;
	}
	qsort(t, 7, sizeof(t[0]), cmp_double);
	return t[3];
}

json_t *env_clock(void)
{
	static const char *const cs =
		"/sys/devices/system/clocksource/clocksource0";
	json_t *o = json_object();
	struct timespec res;
	char path[128];

	snprintf(path, sizeof(path), "%s/current_clocksource", cs);
	json_object_set_new(o, "clocksource", env_file_str(path));
	snprintf(path, sizeof(path), "%s/available_clocksource", cs);
	json_object_set_new(o, "available_clocksources", env_file_str(path));
	if (!clock_getres(CLOCK_MONOTONIC, &res))
		json_object_set_new(
			o, "resolution_ns",
			json_integer((json_int_t)res.tv_sec * 1000000000 +
				     res.tv_nsec));
	else
		json_object_set_new(o, "resolution_ns", json_null());
	json_object_set_new(o, "timer_overhead_ns",
			    json_real(timer_overhead_ns()));
	return o;
}

static env_part_fn parts[ENV_PARTS_MAX];
static int nparts;

void env_part_register(env_part_fn fn)
{
	if (nparts == ENV_PARTS_MAX) { /* a build error, not a run's */
		fprintf(stderr, "hvobench: more than %d environment parts\n",
			ENV_PARTS_MAX);
		abort();
	}
	parts[nparts++] = fn;
}

json_t *env_record(void)
{
	json_t *o = json_object(), *suite = json_object();

	json_object_set_new(suite, "version", json_string(HVOBENCH_VERSION));
	json_object_set_new(suite, "build_type",
			    json_string(HVOBENCH_BUILD_TYPE));
#ifdef __clang__
	json_object_set_new(suite, "compiler",
			    json_string("clang " __VERSION__));
#else
	json_object_set_new(suite, "compiler", json_string("gcc " __VERSION__));
#endif
	json_object_set_new(o, "suite", suite);
	json_object_set_new(o, "kernel", env_kernel());
	json_object_set_new(o, "kconfig", env_kconfig());
	json_object_set_new(o, "thp", env_thp());
	json_object_set_new(o, "vm", env_vm_sysctls());
	json_object_set_new(o, "perf", env_perf());
	json_object_set_new(o, "cpu", env_cpu());
	json_object_set_new(o, "virtualization", env_virt());
	json_object_set_new(o, "clock", env_clock());
	json_object_set_new(o, "system", env_system());
	for (int i = 0; i < nparts; i++)
		parts[i](o);
	return o;
}
