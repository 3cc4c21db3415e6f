/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the store: the handle and the helpers its files share. */
#ifndef HVOBENCH_STORE_INT_H
#define HVOBENCH_STORE_INT_H

#include "store.h"

#include <sqlite3.h>

struct store {
	sqlite3 *db;
	char *path;
};

/* Format a one-line error into err; returns -1. */
int store_fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "store PATH: WHAT: sqlite's message"; returns -1. */
int store_sqlerr(struct store *s, char *err, size_t len, const char *what);
/* Run SQL without results; 0 or -1 with err. */
int store_exec(struct store *s, const char *sql, char *err, size_t len);

#endif
