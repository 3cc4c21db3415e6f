/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Version of the result JSON's hvobench additions (bench/SCHEMA.md),
 * written as context.hvobench.schema_version; readers refuse a newer one.
 * Raise it when a field changes meaning or goes away (adding is free).
 */
#ifndef HVOBENCH_SCHEMA_H
#define HVOBENCH_SCHEMA_H

#define HVOBENCH_SCHEMA_VERSION 1
/* Google Benchmark's own context.json_schema_version (its 1.8 and up). */
#define GBENCH_JSON_SCHEMA_VERSION 1

#endif
