/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HVOBENCH_JSON_WRITE_H
#define HVOBENCH_JSON_WRITE_H

#include <jansson.h>
#include <stdio.h>

/* Write j indented by indent spaces a level, reals shortest-exact; 0/-1. */
int json_write_shortest(const json_t *j, FILE *f, int indent);
/* The shortest "%.Ng" of v that reads back as v (always with . or e). */
void json_shortest_real(char *buf, size_t len, double v);

#endif
