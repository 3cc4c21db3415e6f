// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench history BENCH [--metric=M]: one metric of one benchmark across
 * the stored runs of one host, oldest first (kernel versions, dates), each
 * run a point: the median of its repetitions with a distribution-free
 * confidence interval.  Printed as a table and drawn by gnuplot.
 */
#include "cmd.h"
#include "opt.h"
#include "report.h"
#include "rstats.h"
#include "store_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG "hvobench history"

static const char history_usage[] =
	"BENCH [options]\n"
	"One metric of benchmark BENCH (a full instance name, as `hvobench\n"
	"list` prints it) across the stored runs of one host, oldest first:\n"
	"per run the median of its repetitions and its 95% confidence "
	"interval\n"
	"(order statistics; the coverage achieved is shown when fewer than 6\n"
	"repetitions cannot give 95%).  Writes history.dat, history.gp and, "
	"with\n"
	"gnuplot, history.png/.svg into --out (default\n"
	"results/history/<UTC time>).  Exit status: 0, or 2 with one line on\n"
	"bad input (unknown benchmark or metric, several hosts without "
	"--host).";

static struct run_filter filter;
static const char *db_path, *metric = "real_time", *out_dir;
static double alpha = 0.05;

static int set_filter(const char *name, const char *value)
{
	return store_filter_opt(&filter, PROG, name, value);
}

static const struct bench_opt history_opts[] = {
	{"metric", "M",
	 "real_time (default), cpu_time, items_per_second,\n"
	 "bytes_per_second, a user counter, or EVENT, EVENT/item,\n"
	 "EVENT/iter of a kernel counter",
	 .str = &metric},
	STORE_FILTER_OPTS(set_filter),
	{"out", "DIR", "where the data and plot go", .str = &out_dir},
	{"alpha", "X", "1 - confidence of each interval (default 0.05)",
	 .num = &alpha, .lo = 0.001, .hi = 0.5},
	STORE_DB_OPT(&db_path),
	{0}};

/* A run's values of the metric, in date order. */
struct point {
	int64_t run;
	char date[24], kernel[96], commit[48];
	double *v;
	size_t n, cap;
	double med, lo, hi, conf;
};

struct series {
	struct point *p;
	size_t n, cap;
};

/* SQL for the metric's value of a row (rows r); ?1 binds the counter. */
static const char *value_sql(const char *m, char *name, size_t len)
{
	static const struct {
		const char *metric, *col;
	} cols[] = {{"real_time", "r.real_time_ns"},
		    {"cpu_time", "r.cpu_time_ns"},
		    {"items_per_second", "r.items_per_second"},
		    {"bytes_per_second", "r.bytes_per_second"}};
	size_t n = strlen(m);

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (!strcmp(m, cols[i].metric))
			return cols[i].col;
	snprintf(name, len, "%s", m);
	if (n > 5 && !strcmp(m + n - 5, "/item")) {
		name[n - 5] = '\0';
		return "(SELECT per_item FROM counters c WHERE c.row_id=r.id "
		       "AND c.kind='event' AND c.name=?1)";
	}
	if (n > 5 && !strcmp(m + n - 5, "/iter")) {
		name[n - 5] = '\0';
		return "(SELECT per_iter FROM counters c WHERE c.row_id=r.id "
		       "AND c.kind='event' AND c.name=?1)";
	}
	return "(SELECT value FROM counters c WHERE c.row_id=r.id AND "
	       "c.name=?1 ORDER BY c.kind='user' DESC LIMIT 1)";
}

static int add_value(struct series *s, sqlite3_stmt *st)
{
	int64_t run = sqlite3_column_int64(st, 0);
	struct point *p = s->n ? &s->p[s->n - 1] : NULL;

	if (!p || p->run != run) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 16;
			struct point *np = realloc(s->p, cap * sizeof(*np));

			if (!np)
				return -1;
			s->p = np;
			s->cap = cap;
		}
		p = &s->p[s->n++];
		memset(p, 0, sizeof(*p));
		p->run = run;
		for (int i = 1; i <= 3; i++) {
			const char *t =
				(const char *)sqlite3_column_text(st, i);
			char *dst = i == 1   ? p->date
				    : i == 2 ? p->kernel
					     : p->commit;
			size_t len = i == 1   ? sizeof(p->date)
				     : i == 2 ? sizeof(p->kernel)
					      : sizeof(p->commit);

			snprintf(dst, len, "%s", t ? t : "-");
			for (char *c = dst; *c; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					*c = '?';
		}
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 8;
		double *nv = realloc(p->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		p->v = nv;
		p->cap = cap;
	}
	p->v[p->n++] = sqlite3_column_double(st, 4);
	return 0;
}

/*
 * The values of bench's metric on host, per run.  ?1 counter name,
 * ?2 benchmark, then the filter as in store_runs.
 */
static int load_series(struct store *s, const char *bench, const char *host,
		       struct series *out, char *err, size_t len)
{
	char name[256], sql[2048];
	const char *val = value_sql(metric, name, sizeof(name));
	const char *txt[] = {host,	    filter.kernel, filter.suite,
			     filter.commit, filter.arch,   filter.since,
			     filter.until};
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT u.id, u.date, u.kernel, u.suite_commit, %s FROM rows "
		 "r JOIN runs u ON u.id=r.run_id WHERE r.name=?2 AND "
		 "coalesce(r.run_type,'iteration')='iteration' AND "
		 "(?3 IS NULL OR u.host GLOB ?3) AND "
		 "(?4 IS NULL OR u.kernel GLOB ?4) AND "
		 "(?5 IS NULL OR u.suite GLOB ?5) AND "
		 "(?6 IS NULL OR u.suite_commit GLOB ?6) AND "
		 "(?7 IS NULL OR u.arch GLOB ?7) AND "
		 "(?8 IS NULL OR u.date >= ?8) AND "
		 "(?9 IS NULL OR substr(u.date, 1, length(?9)) <= ?9) AND "
		 "(?10 = 0 OR u.id = ?10) AND %s IS NOT NULL "
		 "ORDER BY u.date, u.id, r.idx",
		 val, val);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, err, len, "select history");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, bench, -1, SQLITE_STATIC);
	for (int i = 0; i < 7; i++)
		if (txt[i])
			sqlite3_bind_text(st, i + 3, txt[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, filter.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_value(out, st)) {
			sqlite3_finalize(st);
			return store_fail(err, len, "out of memory");
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, err, len, "select history");
	return 0;
}

/* Distinct values of one SQL column for bench's rows, comma-separated. */
static void distinct(struct store *s, const char *sql, const char *bench,
		     char *buf, size_t len)
{
	sqlite3_stmt *st;
	size_t used = 0;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, bench, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && used + 4 < len) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int w = snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", t ? t : "-");

		used += w > 0 ? (size_t)w : 0;
	}
	if (used >= len - 4)
		snprintf(buf + len - 5, 5, "...");
	sqlite3_finalize(st);
}

/* P(X <= k) for X ~ Binomial(n, 1/2). */
static double binom_cdf(size_t n, size_t k)
{
	double p = 0, term = pow(0.5, (double)n); /* C(n,0) / 2^n */

	for (size_t i = 0; i <= k && i <= n; i++) {
		p += term;
		term = term * (double)(n - i) / (double)(i + 1);
	}
	return p;
}

/*
 * The median and its distribution-free interval [x(k), x(n+1-k)]: the
 * largest k with P(B <= k-1) <= alpha/2; with too few values for that,
 * the range, and the coverage it does achieve.
 */
static void median_ci(struct point *p)
{
	size_t k = 1;

	rs_sort(p->v, p->n);
	p->med = rs_quantile_sorted(p->v, p->n, 0.5);
	while (k + 1 <= (p->n + 1) / 2 && binom_cdf(p->n, k) <= alpha / 2)
		k++;
	p->lo = p->v[k - 1];
	p->hi = p->v[p->n - k];
	p->conf = 1 - 2 * binom_cdf(p->n, k - 1);
}

static enum runit unit_of(const char *m)
{
	if (!strcmp(m, "real_time") || !strcmp(m, "cpu_time") ||
	    strstr(m, "_ns"))
		return RU_NS;
	if (strstr(m, "per_second"))
		return RU_PER_S;
	return RU_NONE;
}

static void print_table(const struct series *s, const char *bench,
			const char *host)
{
	enum runit u = unit_of(metric);
	char med[32], lo[32], hi[32];

	printf("%s, %s, host %s: median of each run, %g%% CI\n\n", bench,
	       metric, host, 100 * (1 - alpha));
	printf("%5s  %-16s  %-18s %-10s %3s %10s  %-23s\n", "run", "date (UTC)",
	       "kernel", "commit", "n", "median", "CI");
	for (size_t i = 0; i < s->n; i++) {
		const struct point *p = &s->p[i];
		char conf[16] = "";

		rfmt_value(med, sizeof(med), p->med, u);
		rfmt_value(lo, sizeof(lo), p->lo, u);
		rfmt_value(hi, sizeof(hi), p->hi, u);
		if (p->conf < 1 - alpha - 1e-9)
			snprintf(conf, sizeof(conf), " (%.0f%%)",
				 100 * p->conf);
		printf("%5lld  %-16.16s  %-18.18s %-10.10s %3zu %10s  "
		       "[%s, %s]%s\n",
		       (long long)p->run, p->date, p->kernel, p->commit, p->n,
		       med, lo, hi, conf);
	}
}

static const char plot_script[] =
	"# Written by hvobench history: one point per run (median of its\n"
	"# repetitions) with its confidence interval.  Redraw: gnuplot "
	"history.gp\n"
	"# history.dat columns: index median ci_lo ci_hi n \"label\"\n"
	"set title ptitle noenhanced\n"
	"set ylabel ylab noenhanced\n"
	"set xlabel \"run (kernel, date UTC), oldest first\"\n"
	"set xtics rotate by -30 noenhanced font \",8\"\n"
	"set grid ytics\n"
	"set key top left noenhanced\n"
	"set offsets 0.5, 0.5, 0, 0\n"
	"set bmargin 7\n"
	"do for [t in \"png svg\"] {\n"
	"\tif (t eq \"png\") {\n"
	"\t\tif (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
	"\t\t\tset terminal pngcairo size 900,560 font \",10\"\n"
	"\t\t} else {\n"
	"\t\t\tset terminal png size 900,560\n"
	"\t\t}\n"
	"\t\tset output \"history.png\"\n"
	"\t} else {\n"
	"\t\tset terminal svg size 900,560 dynamic\n"
	"\t\tset output \"history.svg\"\n"
	"\t}\n"
	"\tplot \"history.dat\" using 1:2:3:4:xtic(6) with yerrorlines "
	"lw 2 pt 7 lc rgb \"#1f77b4\" title cilab\n"
	"\tunset output\n"
	"}\n";

/* Data, script and images into dir; 0, 1 without gnuplot, -1 on error. */
static int plot(const struct series *s, const char *dir, const char *bench,
		const char *host, char *err, size_t len)
{
	char path[4200];
	FILE *f;
	pid_t pid;
	int status;

	/* Times in the unit that suits their size. */
	static const struct {
		double div;
		const char *name;
	} units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}};
	double div = 1, top = 0;
	const char *uname = unit_of(metric) == RU_PER_S ? "per second" : "";

	for (size_t i = 0; i < s->n; i++)
		top = fmax(top, fabs(s->p[i].med));
	for (size_t i = 0; unit_of(metric) == RU_NS && i < 4; i++)
		if (top >= units[i].div || i == 3) {
			div = units[i].div;
			uname = units[i].name;
			break;
		}
	snprintf(path, sizeof(path), "%s/history.dat", dir);
	f = fopen(path, "w");
	if (!f)
		return store_fail(err, len, "%s: %s", path, strerror(errno));
	for (size_t i = 0; i < s->n; i++) {
		const struct point *p = &s->p[i];

		/* Label: kernel and "MM-DD HH:MM" of the UTC date. */
		fprintf(f, "%zu %.17g %.17g %.17g %zu \"%s %.5s %.5s\"\n", i,
			p->med / div, p->lo / div, p->hi / div, p->n, p->kernel,
			strlen(p->date) > 5 ? p->date + 5 : "",
			strlen(p->date) > 11 ? p->date + 11 : "");
	}
	if (fclose(f))
		return store_fail(err, len, "%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/history.gp", dir);
	f = fopen(path, "w");
	if (!f)
		return store_fail(err, len, "%s: %s", path, strerror(errno));
	/* Names are escaped for gnuplot's double quotes. */
	fprintf(f, "ptitle = \"");
	for (const char *c = bench; *c; c++)
		fprintf(f, "%s%c", *c == '"' || *c == '\\' ? "\\" : "", *c);
	fprintf(f, " on %s\"\nylab = \"%s%s%s%s\"\n", host, metric,
		*uname ? " (" : "", uname, *uname ? ")" : "");
	fprintf(f, "cilab = \"median, %g%% CI\"\n%s", 100 * (1 - alpha),
		plot_script);
	if (fclose(f))
		return store_fail(err, len, "%s: %s", path, strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return store_fail(err, len, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (chdir(dir) || !freopen("gnuplot.log", "w", stderr))
			_exit(126);
		execlp("gnuplot", "gnuplot", "history.gp", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return store_fail(err, len, "waitpid: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return store_fail(err, len,
				  "gnuplot failed (see %s/gnuplot.log)", dir);
	return 0;
}

static int mkdirs(const char *path)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s", path);
	for (char *c = p + 1; *c; c++)
		if (*c == '/') {
			*c = '\0';
			if (mkdir(p, 0755) && errno != EEXIST)
				return -1;
			*c = '/';
		}
	return mkdir(p, 0755) && errno != EEXIST ? -1 : 0;
}

static int history(struct store *s, const char *bench)
{
	char err[SERR_LEN], hosts[1024], dir[4096];
	struct series ser = {0};
	const char *host = filter.host;
	int ret = 2;

	distinct(s,
		 "SELECT DISTINCT coalesce(u.host,'-') FROM rows r JOIN runs u "
		 "ON u.id=r.run_id WHERE r.name=?1 ORDER BY 1",
		 bench, hosts, sizeof(hosts));
	if (!hosts[0]) {
		distinct(
			s,
			"SELECT DISTINCT name FROM rows WHERE name LIKE '%' || "
			"?1 || '%' ORDER BY 1 LIMIT 3",
			bench, hosts, sizeof(hosts));
		return bench_opt_bad(PROG, "no stored run has '%s'%s%s", bench,
				     hosts[0] ? "; names with it: " : "",
				     hosts);
	}
	if (!host && strchr(hosts, ','))
		return bench_opt_bad(PROG,
				     "'%s' ran on several hosts (%s): choose "
				     "one with --host",
				     bench, hosts);
	if (!host)
		host = hosts;
	if (load_series(s, bench, host, &ser, err, sizeof(err))) {
		bench_opt_bad(PROG, "%s", err);
		goto out;
	}
	if (!ser.n) {
		distinct(s,
			 "SELECT DISTINCT c.name || CASE c.kind WHEN 'event' "
			 "THEN '[/item|/iter]' ELSE '' END FROM counters c "
			 "JOIN rows r ON r.id=c.row_id WHERE r.name=?1 "
			 "ORDER BY 1",
			 bench, hosts, sizeof(hosts));
		bench_opt_bad(PROG,
			      "no values of %s for '%s' on %s in these runs "
			      "(metrics: real_time, cpu_time%s%s)",
			      metric, bench, host, hosts[0] ? ", " : "", hosts);
		goto out;
	}
	for (size_t i = 0; i < ser.n; i++)
		median_ci(&ser.p[i]);
	print_table(&ser, bench, host);
	if (out_dir) {
		snprintf(dir, sizeof(dir), "%s", out_dir);
	} else {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ",
			 gmtime_r(&now, &tm));
		snprintf(dir, sizeof(dir), "results/history/%s", stamp);
	}
	if (mkdirs(dir)) {
		fprintf(stderr, PROG ": cannot create %s: %s\n", dir,
			strerror(errno));
		ret = 1;
		goto out;
	}
	switch (plot(&ser, dir, bench, host, err, sizeof(err))) {
	case 0:
		printf("\nplot: %s/history.png\n", dir);
		ret = 0;
		break;
	case 1:
		printf("\nplot data and script: %s (gnuplot not found: install "
		       "gnuplot-nox and run gnuplot history.gp there)\n",
		       dir);
		ret = 0;
		break;
	default:
		fprintf(stderr, PROG ": %s\n", err);
		ret = 1;
	}
out:
	for (size_t i = 0; i < ser.n; i++)
		free(ser.p[i].v);
	free(ser.p);
	return ret;
}

static int cmd_history(int argc, char **argv)
{
	const struct bench_opt *tables[] = {history_opts, NULL};
	char path[4096], err[SERR_LEN];
	const char *db = NULL;
	struct store *s;
	int first, rc;

	rc = bench_opt_parse(PROG, argc, argv, tables, history_usage, &first);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (first >= argc)
		return bench_opt_bad(PROG, "no BENCH given (hvobench history "
					   "--help)");
	if (first + 1 < argc)
		return bench_opt_bad(PROG, "one BENCH only ('%s' too)",
				     argv[first + 1]);
	db = db_path ? db_path : store_default_path(path, sizeof(path));
	if (!db)
		return bench_opt_bad(PROG,
				     "the store is off ($HVOBENCH_DB=off)");
	s = store_open(db, false, err, sizeof(err));
	if (!s)
		return bench_opt_bad(PROG, "%s", err);
	rc = history(s, argv[first]);
	store_close(s);
	return rc;
}

HVO_COMMAND(history,
	    .summary = "a benchmark's metric across stored runs (and a plot)",
	    .main = cmd_history);
