// SPDX-License-Identifier: GPL-2.0
/*
 * tlbsim: a QEMU (7.2+) TCG plugin that attributes every guest data access
 * between hvobench's simulation markers (bench/lib/simmark/simmark.h) to
 * that timed region and reports, per region, model-free vmemmap metrics
 * and the misses/walks of named data-TLB models with the vmemmap mapped by
 * 2M PMDs and by 4K PTEs -- two model instances fed the same trace.
 *
 *   -plugin tlbsim.so,vmemmap=LO-HI,dmap=LO-HI,models=glc:zen5,
 *           dmap_shift=30,kernel_shift=12,user_shift=12,sens=glc,out=FILE
 *           [,all=on: simulate from the start, not from the first marker]
 *           [,trace=on: a line per marker]
 *
 * Output: one JSON object per line; a line per committed region and a
 * summary at exit.  Needs -accel tcg,thread=single (one callback thread:
 * the region state is shared by all vCPUs); refuses to count otherwise.
 */
#include <inttypes.h>
#include <qemu/qemu-plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/simmark/simmark.h"
#include "footprint.h"
#include "tlbmodel.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VARIANTS 16
#define MAX_VCPUS    8

/* One model under one set of page-size assumptions for the other classes. */
struct variant {
	const struct tlb_preset *p;
	struct tlb_level_cfg l1, l2; /* the preset's, or without coalescing */
	char name[32];
	unsigned int shift[AC_N]; /* vmemmap entry unused: two instances */
};

struct counts {
	uint64_t acc[AC_N], l1miss[AC_N], walks[AC_N];
};

struct region {
	uint32_t id;
	uint64_t acc[AC_N], vm_stores;
	uint64_t pages, blocks, cold, untracked, bin[FP_BINS];
	uint64_t blk[8], blk_pages[8]; /* the first 8 blocks touched */
	bool overflow;
	struct counts c[MAX_VARIANTS][2]; /* [variant][0 = PMD, 1 = 4K] */
};

static struct addr_ranges ranges;
static struct variant var[MAX_VARIANTS];
static int nvar;
static struct tlb (*tlbs)[MAX_VARIANTS][2];
static int nvcpus;
static bool arm64, sim_all, trace, sim_on, active, paused, pending;
static struct region cur, done;
static struct footprint fp;
static struct u64map physmap; /* vmemmap 4K page -> phys page + 1 */
static uint64_t last_vpage;
static bool last_contig, have_last;
static FILE *out;
static uint64_t n_regions, n_discarded, n_bad_markers, n_total, n_nophys;
static uint64_t n_kind[SIMMARK_KINDS], bits;
static int nbits;
static int n_threads;
static bool threads_bad;
static __thread bool thread_seen;

static unsigned int parse_shift(const char *v)
{
	unsigned long s = strtoul(v, NULL, 10);

	return s == 12 || s == 21 || s == 30 ? (unsigned int)s : 0;
}

static const char *size_name(unsigned int shift)
{
	return shift == 30 ? "1g" : shift == 21 ? "2m" : "4k";
}

static void no_coalescing(struct tlb_level_cfg *l)
{
	for (int i = 0; i < l->narrays; i++)
		l->arr[i].coalesce4 = false;
}

/*
 * A model id, optionally with "-nc": the same geometry without coalescing,
 * a diagnostic that separates what coalescing contributes.
 */
static int add_variant(const char *id, const unsigned int *shift,
		       const char *suffix)
{
	char base[16];
	size_t n = strlen(id);
	bool nc = n > 3 && !strcmp(id + n - 3, "-nc");
	const struct tlb_preset *p;

	snprintf(base, sizeof(base), "%.*s", (int)(nc ? n - 3 : n), id);
	p = tlb_preset_find(base);
	if (!p || nvar == MAX_VARIANTS)
		return -1;
	var[nvar].p = p;
	var[nvar].l1 = p->l1;
	var[nvar].l2 = p->l2;
	if (nc) {
		no_coalescing(&var[nvar].l1);
		no_coalescing(&var[nvar].l2);
	}
	snprintf(var[nvar].name, sizeof(var[nvar].name), "%s%s", id, suffix);
	memcpy(var[nvar].shift, shift, sizeof(var[nvar].shift));
	nvar++;
	return 0;
}

/* A sensitivity variant: the base assumptions with one class changed. */
static int add_sens(const char *id, const unsigned int *base)
{
	static const unsigned int sizes[] = {12, 21, 30};
	static const enum addr_class cls[] = {AC_DMAP, AC_KERNEL, AC_USER};

	for (int c = 0; c < 3; c++)
		for (int s = 0; s < 3; s++) {
			unsigned int sh[AC_N];
			char suf[24];

			if (sizes[s] == base[cls[c]] ||
			    (cls[c] != AC_DMAP && sizes[s] == 30))
				continue;
			memcpy(sh, base, sizeof(sh));
			sh[cls[c]] = sizes[s];
			snprintf(suf, sizeof(suf), "+%s%s",
				 addr_class_name[cls[c]], size_name(sizes[s]));
			if (add_variant(id, sh, suf))
				return -1;
		}
	return 0;
}

/* Physically contiguous aligned group of four 4K vmemmap pages? */
static bool group_contig(uint64_t vpage, uint64_t ppage)
{
	for (uint64_t q = vpage & ~3ull; q <= (vpage | 3); q++) {
		const struct u64map_ent *e = u64map_find(&physmap, q);

		/* Pages not seen yet are taken as contiguous: vmemmap is
		 * populated in physically contiguous 2M blocks. */
		if (e && e->val - 1 != ppage + q - vpage)
			return false;
	}
	return true;
}

static void on_access(unsigned int vcpu, qemu_plugin_meminfo_t info,
		      uint64_t va, void *udata)
{
	(void)udata;
	if (!sim_on || threads_bad)
		return;
	if (!thread_seen) {
		thread_seen = true;
		if (__atomic_add_fetch(&n_threads, 1, __ATOMIC_RELAXED) > 1)
			threads_bad = true;
	}
	if (vcpu >= (unsigned int)nvcpus)
		return;
	enum addr_class ac = addr_classify(&ranges, va);
	bool counting = active && !paused, contig = false;

	n_total++;
	if (ac == AC_VMEMMAP) {
		uint64_t vpage = va >> 12;

		if (!have_last || vpage != last_vpage) {
			struct qemu_plugin_hwaddr *hw =
				qemu_plugin_get_hwaddr(info, va);
			bool fresh;
			struct u64map_ent *e =
				u64map_get(&physmap, vpage, &fresh);

			/*
			 * Without a RAM address (no softmmu entry, or I/O)
			 * keep what is known: recording 0 would break the
			 * group's contiguity and flip its coalesced entry.
			 */
			if (hw && !qemu_plugin_hwaddr_is_io(hw)) {
				if (e)
					e->val = (qemu_plugin_hwaddr_phys_addr(
							  hw) >>
						  12) +
						 1;
			} else {
				n_nophys++;
			}
			last_vpage = vpage;
			last_contig = !e || !e->val ||
				      group_contig(vpage, e->val - 1);
			have_last = true;
		}
		contig = last_contig;
		if (counting) {
			fp_touch(&fp, vpage);
			cur.vm_stores += qemu_plugin_mem_is_store(info);
		}
	}
	if (counting)
		cur.acc[ac]++;
	for (int v = 0; v < nvar; v++)
		for (int m = 0; m < 2; m++) {
			unsigned int sh = ac == AC_VMEMMAP ? (m ? 12 : 21)
							   : var[v].shift[ac];
			enum tlb_result r =
				tlb_access(&tlbs[vcpu][v][m], va, sh,
					   ac == AC_VMEMMAP && contig);

			if (counting) {
				struct counts *c = &cur.c[v][m];

				c->acc[ac]++;
				c->l1miss[ac] += r != TLB_L1_HIT;
				c->walks[ac] += r == TLB_WALK;
			}
		}
}

static void put_counts(const struct counts *c)
{
	uint64_t l1 = 0, w = 0;

	for (int a = 0; a < AC_N; a++) {
		l1 += c->l1miss[a];
		w += c->walks[a];
	}
	fprintf(out,
		"{\"l1_misses\":%" PRIu64 ",\"walks\":%" PRIu64
		",\"vmemmap_l1_misses\":%" PRIu64 ",\"vmemmap_walks\":%" PRIu64
		",\"dmap_walks\":%" PRIu64 ",\"kernel_walks\":%" PRIu64
		",\"user_walks\":%" PRIu64 "}",
		l1, w, c->l1miss[AC_VMEMMAP], c->walks[AC_VMEMMAP],
		c->walks[AC_DMAP], c->walks[AC_KERNEL], c->walks[AC_USER]);
}

static void put_region(const struct region *r, uint32_t rep)
{
	fprintf(out,
		"{\"family\":%u,\"instance\":%u,\"repetition\":%u,"
		"\"struct_page_accesses\":%" PRIu64
		",\"struct_page_stores\":%" PRIu64 ",\"vmemmap_pages\":%" PRIu64
		",\"vmemmap_blocks\":%" PRIu64 ",\"dmap_accesses\":%" PRIu64
		",\"kernel_accesses\":%" PRIu64 ",\"user_accesses\":%" PRIu64
		",\"reuse\":{\"cold\":%" PRIu64 ",\"untracked\":%" PRIu64
		",\"log2_bins\":[",
		r->id >> 12, r->id & 0xfff, rep, r->acc[AC_VMEMMAP],
		r->vm_stores, r->pages, r->blocks, r->acc[AC_DMAP],
		r->acc[AC_KERNEL], r->acc[AC_USER], r->cold, r->untracked);
	for (int b = 0; b < FP_BINS; b++)
		fprintf(out, "%s%" PRIu64, b ? "," : "", r->bin[b]);
	/* Blocks as indices from the start of the vmemmap range. */
	fprintf(out, "]},\"blocks\":[");
	for (uint64_t b = 0; b < r->blocks && b < 8; b++)
		fprintf(out, "%s[%" PRIu64 ",%" PRIu64 "]", b ? "," : "",
			r->blk[b] - (ranges.vmemmap_lo >> 21), r->blk_pages[b]);
	fprintf(out, "],\"overflow\":%s,\"models\":{",
		r->overflow ? "true" : "false");
	for (int v = 0; v < nvar; v++) {
		fprintf(out, "%s\"%s\":{\"pmd\":", v ? "," : "", var[v].name);
		put_counts(&r->c[v][0]);
		fprintf(out, ",\"4k\":");
		put_counts(&r->c[v][1]);
		fputc('}', out);
	}
	fputs("}}\n", out);
	fflush(out);
}

/* A marker instruction executed (lib/simmark/): a bit or end of message. */
static void on_marker(unsigned int vcpu, void *udata)
{
	int code = (int)(uintptr_t)udata;

	(void)vcpu;
	if (code != SIMMARK_EOM) {
		if (nbits < 64)
			bits |= (uint64_t)(code == SIMMARK_BIT1) << nbits;
		nbits++;
		return;
	}
	enum simmark_kind kind = (enum simmark_kind)(bits & 7);
	uint64_t data = bits >> 3;
	bool whole = nbits == SIMMARK_MSG_BITS;

	bits = 0;
	nbits = 0;
	if (!whole || kind >= SIMMARK_KINDS) {
		n_bad_markers++;
		return;
	}
	n_kind[kind]++;
	if (trace)
		fprintf(out, "{\"marker\":%d,\"data\":%" PRIu64 "}\n",
			(int)kind, data);
	switch (kind) {
	case SIMMARK_HELLO:
		sim_on = true;
		break;
	case SIMMARK_BEGIN:
		sim_on = true;
		if (active)
			n_bad_markers++;
		memset(&cur, 0, sizeof(cur));
		cur.id = (uint32_t)data;
		fp_reset(&fp);
		active = true;
		paused = false;
		if (pending)
			n_discarded++; /* calibration or warm-up run */
		pending = false;
		break;
	case SIMMARK_END:
		if (!active || cur.id != data) {
			n_bad_markers++;
			break;
		}
		active = false;
		cur.pages = fp_pages(&fp);
		cur.blocks = fp_block_list(&fp, cur.blk, cur.blk_pages, 8);
		cur.cold = fp.cold;
		cur.untracked = fp.untracked;
		cur.overflow = fp.overflow;
		memcpy(cur.bin, fp.bin, sizeof(cur.bin));
		done = cur;
		pending = true;
		break;
	case SIMMARK_PAUSE:
		paused = true;
		break;
	case SIMMARK_RESUME:
		paused = false;
		break;
	case SIMMARK_COMMIT:
		if (!pending) {
			n_bad_markers++;
			break;
		}
		put_region(&done, (uint32_t)data);
		pending = false;
		n_regions++;
		break;
	default:
		n_bad_markers++;
	}
}

/* The marker code of an instruction (lib/simmark/), or -1. */
static int marker_code(struct qemu_plugin_insn *insn)
{
	const uint8_t *b = qemu_plugin_insn_data(insn);
	size_t n = qemu_plugin_insn_size(insn);
	uint32_t w;

	if (arm64) {
		if (n != 4)
			return -1;
		memcpy(&w, b, 4);
		return (w & ~(7u << 16)) == SIMMARK_A64_INSN
			       ? (int)(w >> 16 & 7)
			       : -1;
	}
	if (n != 7 || b[0] != 0x0f || b[1] != 0x1f || b[2] != 0x80)
		return -1;
	memcpy(&w, b + 3, 4);
	return (w & ~3u) == SIMMARK_X86_DISP && (w & 3) < 3 ? (int)(w & 3) : -1;
}

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		int c = marker_code(insn);

		if (c >= 0)
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)c);
		else
			qemu_plugin_register_vcpu_mem_cb(
				insn, on_access, QEMU_PLUGIN_CB_NO_REGS,
				QEMU_PLUGIN_MEM_RW, NULL);
	}
}

static void on_atexit(qemu_plugin_id_t id, void *p)
{
	(void)id;
	(void)p;
	fprintf(out,
		"{\"summary\":{\"regions\":%" PRIu64 ",\"discarded\":%" PRIu64
		",\"bad_markers\":%" PRIu64 ",\"markers\":[%" PRIu64 ",%" PRIu64
		",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "]"
		",\"simulated_accesses\":%" PRIu64
		",\"vmemmap_no_phys\":%" PRIu64
		",\"callback_threads\":%d,\"valid\":%s,\"vmemmap\":"
		"\"%" PRIx64 "-%" PRIx64 "\",\"dmap\":\"%" PRIx64 "-%" PRIx64
		"\",\"variants\":[",
		n_regions, n_discarded, n_bad_markers, n_kind[0], n_kind[1],
		n_kind[2], n_kind[3], n_kind[4], n_kind[5], n_total, n_nophys,
		n_threads, threads_bad ? "false" : "true", ranges.vmemmap_lo,
		ranges.vmemmap_hi, ranges.dmap_lo, ranges.dmap_hi);
	for (int v = 0; v < nvar; v++)
		fprintf(out,
			"%s{\"name\":\"%s\",\"model\":\"%s\","
			"\"source\":\"%s\","
			"\"dmap\":\"%s\",\"kernel\":\"%s\",\"user\":\"%"
			"s\"}",
			v ? "," : "", var[v].name, var[v].p->name,
			var[v].p->source, size_name(var[v].shift[AC_DMAP]),
			size_name(var[v].shift[AC_KERNEL]),
			size_name(var[v].shift[AC_USER]));
	fputs("]}}\n", out);
	fclose(out);
}

static int fail(const char *msg, const char *arg)
{
	fprintf(stderr, "tlbsim: %s%s%s\n", msg, arg ? ": " : "",
		arg ? arg : "");
	return -1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	unsigned int base[AC_N] = {0, 21, 12, 12};
	const char *models = NULL, *sens = NULL, *path = NULL;

	if (!info->system_emulation)
		return fail("system emulation only", NULL);
	if (!strcmp(info->target_name, "aarch64"))
		arm64 = true;
	else if (strcmp(info->target_name, "x86_64"))
		return fail("unsupported target", info->target_name);
	for (int i = 0; i < argc; i++) {
		char *v = strchr(argv[i], '=');

		if (!v)
			return fail("argument without '='", argv[i]);
		*v++ = '\0';
		if (!strcmp(argv[i], "vmemmap")) {
			if (parse_range(v, &ranges.vmemmap_lo,
					&ranges.vmemmap_hi))
				return fail("bad vmemmap range", v);
		} else if (!strcmp(argv[i], "dmap")) {
			if (parse_range(v, &ranges.dmap_lo, &ranges.dmap_hi))
				return fail("bad dmap range", v);
		} else if (!strcmp(argv[i], "models")) {
			models = v;
		} else if (!strcmp(argv[i], "sens")) {
			sens = v;
		} else if (!strcmp(argv[i], "out")) {
			path = v;
		} else if (!strcmp(argv[i], "all")) {
			if (!qemu_plugin_bool_parse(argv[i], v, &sim_all))
				return fail("bad boolean", v);
		} else if (!strcmp(argv[i], "trace")) {
			if (!qemu_plugin_bool_parse(argv[i], v, &trace))
				return fail("bad boolean", v);
		} else if (!strcmp(argv[i], "dmap_shift") ||
			   !strcmp(argv[i], "kernel_shift") ||
			   !strcmp(argv[i], "user_shift")) {
			unsigned int s = parse_shift(v);

			if (!s)
				return fail("page shift must be 12, 21 "
					    "or 30",
					    v);
			base[argv[i][0] == 'd'	 ? AC_DMAP
			     : argv[i][0] == 'k' ? AC_KERNEL
						 : AC_USER] = s;
		} else {
			return fail("unknown argument", argv[i]);
		}
	}
	if (!ranges.vmemmap_hi)
		return fail("vmemmap=LO-HI is required", NULL);
	if (!models)
		models = arm64 ? "n1:v2" : "glc:zen5";
	char buf[128];

	snprintf(buf, sizeof(buf), "%s", models);
	for (char *s, *t = strtok_r(buf, ":", &s); t;
	     t = strtok_r(NULL, ":", &s))
		if (add_variant(t, base, ""))
			return fail("unknown model or too many", t);
	if (sens && add_sens(sens, base))
		return fail("unknown sensitivity model or too many "
			    "variants",
			    sens);
	nvcpus = info->system.max_vcpus;
	if (nvcpus < 1 || nvcpus > MAX_VCPUS)
		return fail("1..8 vCPUs", NULL);
	tlbs = calloc((size_t)nvcpus, sizeof(*tlbs));
	if (!tlbs)
		return fail("out of memory", NULL);
	for (int c = 0; c < nvcpus; c++)
		for (int v = 0; v < nvar; v++)
			for (int m = 0; m < 2; m++)
				if (tlb_init(&tlbs[c][v][m], &var[v].l1,
					     &var[v].l2))
					return fail("model init", var[v].name);
	if (fp_init(&fp, 1u << 18, 1u << 21) || u64map_init(&physmap, 1u << 20))
		return fail("out of memory", NULL);
	out = path ? fopen(path, "w") : stderr;
	if (!out)
		return fail("cannot write", path);
	sim_on = sim_all;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
