// SPDX-License-Identifier: GPL-2.0
/*
 * Plot data for the gnuplot scripts in plots/: distributions per benchmark
 * (dist-N), latency CDFs from histograms (cdf-N), throughput against
 * threads (scaling-N).  The scripts are copied next to the data and every
 * gnuplot command is written to plots.sh, so the figures can be redrawn.
 */
#include "report.h"
#include "rstats.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DIST_PER_IMAGE 14
#define MAX_CDF	       40
#define MAX_SCALING    20

struct plot {
	struct rreport *r;
	const char *dir;
	const char *scripts; /* directory holding the .gp files */
	FILE *sh;	     /* plots.sh */
	char *err;
	size_t len;
	int missing; /* gnuplot not installed */
};

/* dir/file into out; -1 when it does not fit. */
static int join(char *out, size_t len, const char *dir, const char *file)
{
	int n = snprintf(out, len, "%s/%s", dir, file);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static bool is_dir_with(const char *dir, const char *file)
{
	char p[PATH_MAX];

	return !join(p, sizeof(p), dir, file) && access(p, R_OK) == 0;
}

/* plots/ next to the source tree: env, then relative to the binary. */
static const char *find_scripts(char *buf, size_t len)
{
	static const char *const rel[] = {"/../plots", "/../../plots",
					  "/../../../plots", "/plots", NULL};
	const char *env = getenv("HVOBENCH_PLOTS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && is_dir_with(env, "dist.gp"))
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		for (int i = 0; rel[i]; i++) {
			int w = snprintf(buf, len, "%s%s", exe, rel[i]);

			if (w > 0 && (size_t)w < len &&
			    is_dir_with(buf, "dist.gp"))
				return buf;
		}
	}
	if (is_dir_with("plots", "dist.gp"))
		return "plots";
	env = getenv("HVOBENCH_SRC");
	if (env) {
		if (!join(buf, len, env, "plots") &&
		    is_dir_with(buf, "dist.gp"))
			return buf;
	}
	return NULL;
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out = NULL;
	char buf[4096];
	size_t n;
	int ret = -1;

	if (!in)
		return -1;
	out = fopen(to, "w");
	if (!out)
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			goto out;
	ret = ferror(in) ? -1 : 0;
out:
	if (out && fclose(out))
		ret = -1;
	fclose(in);
	return ret;
}

/*
 * A value for gnuplot's -e inside '...' and the shell's "..." of plots.sh:
 * neither quote can be escaped in both, so such characters become '_'.
 * Returns one of eight rotating buffers (a few values per command).
 */
static const char *cl(const char *s)
{
	static char buf[8][256];
	static int k;
	char *d = buf[k++ & 7];
	size_t i = 0;

	for (; *s && i < sizeof(buf[0]) - 1; s++)
		d[i++] = strchr("'\"\\$`\n", *s) ? '_' : *s;
	d[i] = '\0';
	return d;
}

static int gnuplot(struct plot *p, const char *script, const char *vars)
{
	int status, fd;
	pid_t pid;

	fprintf(p->sh, "gnuplot -e \"%s\" %s\n", vars, script);
	if (p->missing)
		return 0;
	pid = fork();
	if (pid < 0) {
		snprintf(p->err, p->len, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (chdir(p->dir))
			_exit(126);
		fd = open("gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execlp("gnuplot", "gnuplot", "-e", vars, script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		snprintf(p->err, p->len, "waitpid: %s", strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		p->missing = 1;
		snprintf(p->err, p->len,
			 "gnuplot not found: plot data written to %s, images "
			 "not drawn (install gnuplot-nox, run plots.sh)",
			 p->dir);
		return 0;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(p->err, p->len,
			 "gnuplot failed on %s (see %s/gnuplot.log)", script,
			 p->dir);
		return -1;
	}
	return 0;
}

/* The image's name and what it shows, for report.txt and report.md. */
static int listed(struct plot *p, const char *base, const char *title)
{
	struct rreport *r = p->r;
	char **a = realloc(r->plots, (r->nplots + 1) * sizeof(*a));
	char **t;

	if (a)
		r->plots = a;
	t = a ? realloc(r->plot_titles, (r->nplots + 1) * sizeof(*t)) : NULL;
	if (t)
		r->plot_titles = t;
	if (!a || !t || !(a[r->nplots] = strdup(base)))
		goto oom;
	t[r->nplots] = strdup(title);
	if (!t[r->nplots]) {
		free(a[r->nplots]);
		goto oom;
	}
	r->nplots++;
	return 0;
oom:
	snprintf(p->err, p->len, "plots: %s", strerror(ENOMEM));
	return -1;
}

/*
 * Legend of a side: the --by value, else the side's kernel release when
 * all its runs share one (what differs between A and B, usually).
 */
static void side_name(const struct rreport *r, int side, char *buf, size_t len)
{
	const struct rset *s = side ? r->sb : r->sa;
	const char *tag = side ? r->label_b : r->label_a, *rel = NULL;

	for (size_t i = 0; r->sa != r->sb && i < s->nruns; i++) {
		const struct rrun *run = &s->runs[i];

		for (size_t k = 0; k < run->nenv; k++) {
			if (strcmp(run->env[k].key, "env.kernel.release"))
				continue;
			if (rel && strcmp(rel, run->env[k].val))
				rel = "";
			else if (!rel)
				rel = run->env[k].val;
		}
	}
	if (rel && *rel)
		snprintf(buf, len, "%s: %s", tag, rel);
	else
		snprintf(buf, len, "%s", tag);
}

static FILE *open_data(struct plot *p, const char *name)
{
	char path[PATH_MAX];
	FILE *f;

	f = join(path, sizeof(path), p->dir, name) ? NULL : fopen(path, "w");
	if (!f)
		snprintf(p->err, p->len, "%s: %s", path, strerror(errno));
	return f;
}

static int close_data(struct plot *p, FILE *f, const char *name)
{
	if (fclose(f)) {
		snprintf(p->err, p->len, "%s/%s: %s", p->dir, name,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void five(const struct rmetric *m, double norm, double out[5])
{
	double *s = malloc(m->n * sizeof(*s));

	if (!s) {
		for (int i = 0; i < 5; i++)
			out[i] = NAN;
		return;
	}
	memcpy(s, m->v, m->n * sizeof(*s));
	rs_sort(s, m->n);
	for (int i = 0; i < 5; i++)
		out[i] = rs_quantile_sorted(s, m->n, i / 4.0) / norm;
	free(s);
}

/* The comparison drawn for a benchmark: real_time, else its first. */
static const struct rcmp *primary(const struct rreport *r, const char *key)
{
	const struct rcmp *first = NULL;

	for (size_t i = 0; i < r->nc; i++) {
		if (strcmp(r->c[i].bench, key))
			continue;
		if (!strcmp(r->c[i].ma->name, "real_time") && r->c[i].ratio)
			return &r->c[i];
		if (!first && r->c[i].ratio && r->c[i].med_a > 0)
			first = &r->c[i];
	}
	return first;
}

static int dist_plots(struct plot *p, const struct rreport *r)
{
	size_t k = 0, img = 0;
	FILE *f = NULL;
	char name[64], vars[2048];

	double lo = INFINITY, hi = 0;

	/* One scale for all images: log when the ratios span over 30x. */
	for (size_t i = 0; i < r->npairs; i++) {
		const struct rcmp *c = primary(r, r->pairs[i].key);
		double a[5], b[5];

		if (!c || c->na < 2 || c->nb < 2)
			continue;
		five(c->ma, c->med_a, a);
		five(c->mb, c->med_a, b);
		lo = fmin(lo, fmin(a[0], b[0]));
		hi = fmax(hi, fmax(a[4], b[4]));
	}
	for (size_t i = 0; i <= r->npairs; i++) {
		const struct rcmp *c =
			i < r->npairs ? primary(r, r->pairs[i].key) : NULL;
		double a[5], b[5];

		/* n=1 is no distribution: such rows are left out. */
		if (c && (c->na < 2 || c->nb < 2))
			c = NULL;
		if (!c && i < r->npairs)
			continue;

		if ((c && k == DIST_PER_IMAGE) || (i == r->npairs && f)) {
			char lab[256], base[32], title[512], la[128], lb[128];

			if (close_data(p, f, name))
				return -1;
			f = NULL;
			side_name(r, 0, la, sizeof(la));
			side_name(r, 1, lb, sizeof(lb));
			snprintf(lab, sizeof(lab), "%s / %s", r->label_b,
				 r->label_a);
			snprintf(base, sizeof(base), "dist-%zu", img);
			snprintf(title, sizeof(title),
				 "%s vs %s: real_time per benchmark (else "
				 "the metric named), / median of %s",
				 r->label_a, r->label_b, r->label_a);
			snprintf(vars, sizeof(vars),
				 "datafile='%s'; outbase='%s'; ptitle='%s'; "
				 "ylab='time / median of %s (1 = %s)'; "
				 "xlab='benchmark (n = repetitions %s/%s; "
				 "n=1 rows left out)'; la='%s'; lb='%s'; "
				 "cilab='%s ratio, %g%% CI'; logy=%d",
				 name, base, cl(title), cl(r->label_a),
				 cl(r->label_a), cl(r->label_a), cl(r->label_b),
				 cl(la), cl(lb), cl(lab),
				 (1 - r->o.alpha) * 100,
				 lo > 0 && hi / lo > 30);
			if (gnuplot(p, "dist.gp", vars) ||
			    listed(p, base, title))
				return -1;
			k = 0;
		}
		if (!c)
			continue;
		if (!f) {
			snprintf(name, sizeof(name), "dist-%zu.dat", ++img);
			f = open_data(p, name);
			if (!f)
				return -1;
			fprintf(f, "# idx label a_min a_q1 a_med a_q3 a_max "
				   "b_min b_q1 b_med b_q3 b_max est ci_lo "
				   "ci_hi (all / median A)\n");
		}
		five(c->ma, c->med_a, a);
		five(c->mb, c->med_a, b);
		/* The title names real_time; other metrics say theirs. */
		fprintf(f, "%zu \"%s%s%s (n=%zu/%zu)\"", k, c->bench,
			strcmp(c->ma->name, "real_time") ? " " : "",
			strcmp(c->ma->name, "real_time") ? c->ma->name : "",
			c->na, c->nb);
		for (int j = 0; j < 5; j++)
			fprintf(f, " %.6g", a[j]);
		for (int j = 0; j < 5; j++)
			fprintf(f, " %.6g", b[j]);
		fprintf(f, " %.6g %.6g %.6g\n", c->est, c->lo, c->hi);
		k++;
	}
	return 0;
}

static double hist_total(const struct rhist *h)
{
	double t = 0;

	for (size_t i = 0; i < h->n; i++)
		t += h->b[i].count;
	return t;
}

static void cdf_block(FILE *f, const struct rhist *h)
{
	double tot = hist_total(h), cum = 0;

	/* Piecewise linear within each bucket, as rhist_quantile. */
	for (size_t i = 0; i < h->n; i++) {
		fprintf(f, "%.6g %.6g\n", h->b[i].lo > 0 ? h->b[i].lo : 0.5,
			cum / tot);
		cum += h->b[i].count;
		fprintf(f, "%.6g %.6g\n", h->b[i].hi > 0 ? h->b[i].hi : 0.5,
			cum / tot);
	}
}

static int cdf_plots(struct plot *p, const struct rreport *r)
{
	size_t img = 0;

	for (size_t i = 0; i < r->npairs && img < MAX_CDF; i++) {
		const struct rbench *a = r->pairs[i].a, *b = r->pairs[i].b;

		for (size_t j = 0; j < a->nh && img < MAX_CDF; j++) {
			const struct rhist *ha = &a->h[j], *hb = NULL;
			char name[64], vars[1024], base[32], title[512];
			char la[128], lb[128];
			FILE *f;

			for (size_t m = 0; m < b->nh; m++)
				if (!strcmp(b->h[m].name, ha->name))
					hb = &b->h[m];
			if (!hb || !(hist_total(ha) > 0) ||
			    !(hist_total(hb) > 0))
				continue;
			snprintf(name, sizeof(name), "cdf-%zu.dat", ++img);
			f = open_data(p, name);
			if (!f)
				return -1;
			fprintf(f,
				"# %s %s: ns fraction; index 0 = %s, 1 = %s\n",
				r->pairs[i].key, ha->name, r->label_a,
				r->label_b);
			cdf_block(f, ha);
			fprintf(f, "\n\n");
			cdf_block(f, hb);
			if (close_data(p, f, name))
				return -1;
			side_name(r, 0, la, sizeof(la));
			side_name(r, 1, lb, sizeof(lb));
			snprintf(base, sizeof(base), "cdf-%zu", img);
			snprintf(title, sizeof(title),
				 "%s: %s latency CDF (n = %.0f / %.0f "
				 "operations)",
				 r->pairs[i].key, ha->name, hist_total(ha),
				 hist_total(hb));
			snprintf(vars, sizeof(vars),
				 "datafile='%s'; outbase='%s'; ptitle='%s'; "
				 "la='%s'; lb='%s'",
				 name, base, cl(title), cl(la), cl(lb));
			if (gnuplot(p, "cdf.gp", vars) ||
			    listed(p, base, title))
				return -1;
		}
	}
	return 0;
}

/*
 * Throughput samples of a benchmark: items/s, else iterations/s; median
 * and quartiles, NaN (gnuplot leaves the point out) for n < 2.
 */
static void tput(const struct rbench *b, double out[3], bool *items)
{
	const struct rmetric *m = rbench_find_metric(b, "items_per_second");
	double *s;
	size_t n;

	*items = m != NULL;
	if (!m)
		m = rbench_find_metric(b, "real_time");
	out[0] = out[1] = out[2] = NAN;
	if (!m || m->n < 2)
		return;
	n = m->n;
	s = malloc(n * sizeof(*s));
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		s[i] = *items ? m->v[i] : 1e9 / m->v[i];
	rs_sort(s, n);
	out[0] = rs_quantile_sorted(s, n, 0.5);
	out[1] = rs_quantile_sorted(s, n, 0.25);
	out[2] = rs_quantile_sorted(s, n, 0.75);
	free(s);
}

static char *without_threads(const char *key, const char *t)
{
	char part[64], *s = strdup(key), *p;

	snprintf(part, sizeof(part), "/threads:%s", t);
	p = s ? strstr(s, part) : NULL;
	if (p) {
		char *end = p + strlen(part);

		memmove(p, end, strlen(end) + 1);
	}
	return s;
}

static int scaling_plots(struct plot *p, const struct rreport *r)
{
	bool *done = calloc(r->npairs + 1, sizeof(*done));
	size_t img = 0;
	int ret = -1;

	if (!done) {
		snprintf(p->err, p->len, "plots: %s", strerror(ENOMEM));
		return -1;
	}
	for (size_t i = 0; i < r->npairs && img < MAX_SCALING; i++) {
		const char *t = rbench_param(r->pairs[i].a, "threads");
		char *g, name[64], vars[1536], base[32], title[512];
		char la[128], lb[128];
		size_t cnt = 0;
		bool items = false;
		FILE *f;

		if (!t || done[i])
			continue;
		g = without_threads(r->pairs[i].key, t);
		for (size_t j = i; g && j < r->npairs; j++) {
			const char *u = rbench_param(r->pairs[j].a, "threads");
			char *h =
				u ? without_threads(r->pairs[j].key, u) : NULL;

			if (h && !strcmp(h, g)) {
				done[j] = true;
				cnt++;
			}
			free(h);
		}
		if (cnt < 2) {
			free(g);
			continue;
		}
		snprintf(name, sizeof(name), "scaling-%zu.dat", ++img);
		f = open_data(p, name);
		if (!f) {
			free(g);
			goto out;
		}
		fprintf(f, "# %s: threads a_med a_q1 a_q3 b_med b_q1 b_q3\n",
			g);
		/* In thread order, whatever the order of the benchmarks. */
		for (long want = 0, next; want >= 0; want = next) {
			next = -1;
			for (size_t j = i; j < r->npairs; j++) {
				const char *u =
					rbench_param(r->pairs[j].a, "threads");
				char *h =
					u ? without_threads(r->pairs[j].key, u)
					  : NULL;
				long th = u ? strtol(u, NULL, 10) : -1;
				double a[3], b[3];

				if (h && !strcmp(h, g) && th == want) {
					tput(r->pairs[j].a, a, &items);
					tput(r->pairs[j].b, b, &items);
					fprintf(f,
						"%ld %.6g %.6g %.6g %.6g %.6g "
						"%.6g\n",
						th, a[0], a[1], a[2], b[0],
						b[1], b[2]);
				} else if (h && !strcmp(h, g) && th > want &&
					   (next < 0 || th < next)) {
					next = th;
				}
				free(h);
			}
		}
		if (close_data(p, f, name)) {
			free(g);
			goto out;
		}
		side_name(r, 0, la, sizeof(la));
		side_name(r, 1, lb, sizeof(lb));
		snprintf(base, sizeof(base), "scaling-%zu", img);
		snprintf(title, sizeof(title),
			 "%s: %s against threads (median, quartiles; points "
			 "with n < 2 left out)",
			 g,
			 items ? "items_per_second" : "iterations per second");
		snprintf(vars, sizeof(vars),
			 "datafile='%s'; outbase='%s'; ptitle='%s'; "
			 "ylab='%s (1/s)'; la='%s'; lb='%s'",
			 name, base, cl(title),
			 items ? "items per second" : "iterations per second",
			 cl(la), cl(lb));
		free(g);
		if (gnuplot(p, "scaling.gp", vars) || listed(p, base, title))
			goto out;
	}
	ret = 0;
out:
	free(done);
	return ret;
}

int rplot_write(struct rreport *r, const char *dir, char *err, size_t len)
{
	static const char *const gp[] = {"dist.gp", "cdf.gp", "scaling.gp",
					 NULL};
	struct plot p = {.r = r, .dir = dir, .err = err, .len = len};
	char sbuf[PATH_MAX], path[PATH_MAX], from[PATH_MAX];
	int ret = -1;

	err[0] = '\0';
	p.scripts = find_scripts(sbuf, sizeof(sbuf));
	if (!p.scripts) {
		snprintf(err, len,
			 "plots/*.gp not found (set HVOBENCH_PLOTS to the "
			 "source tree's plots directory)");
		return -1;
	}
	for (int i = 0; gp[i]; i++) {
		if (join(from, sizeof(from), p.scripts, gp[i]) ||
		    join(path, sizeof(path), dir, gp[i]) ||
		    copy_file(from, path)) {
			snprintf(err, len, "copying %s to %s: %s", from, dir,
				 strerror(errno));
			return -1;
		}
	}
	p.sh = join(path, sizeof(path), dir, "plots.sh") ? NULL
							 : fopen(path, "w");
	if (!p.sh) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(p.sh, "#!/bin/sh\n# Redraw the figures of this report.\n"
		      "cd \"$(dirname \"$0\")\" || exit 1\n");
	if (dist_plots(&p, r) || cdf_plots(&p, r) || scaling_plots(&p, r))
		goto out;
	ret = p.missing ? 1 : 0;
out:
	if (fclose(p.sh) && ret >= 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	chmod(path, 0755);
	/* Keep gnuplot.log only when gnuplot had something to say. */
	if (!join(path, sizeof(path), dir, "gnuplot.log")) {
		struct stat st;

		if (!stat(path, &st) && st.st_size == 0)
			unlink(path);
	}
	return ret;
}
