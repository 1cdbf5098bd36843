// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy_bw: the memory copy bandwidth of this machine, the ceiling of a
 * device model that moves every payload byte with a CPU copy. Copies
 * blocks of SIZE bytes (default 64 KiB) from one 64 MiB buffer to another,
 * walking both, for SECONDS (default 2) after a warm-up pass, and prints
 *   memcpy <size> bytes: <MB/s> MB/s
 * (MB = 10^6 bytes, as perftest reports).
 *
 *   memcpy_bw [SIZE [SECONDS]]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUF_SIZE	(64UL << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t size = argc > 1 ? strtoul(argv[1], NULL, 0) : 65536;
	double secs = argc > 2 ? atof(argv[2]) : 2.0;
	uint64_t bytes = 0;
	size_t off = 0;
	double start, t;
	char *src, *dst;

	if (!size || size > BUF_SIZE || secs <= 0) {
		fprintf(stderr, "usage: %s [SIZE (1..%lu) [SECONDS]]\n",
			argv[0], BUF_SIZE);
		return 2;
	}
	src = malloc(BUF_SIZE);
	dst = malloc(BUF_SIZE);
	if (!src || !dst) {
		perror("malloc");
		return 1;
	}
	memset(src, 0x5a, BUF_SIZE);
	memset(dst, 0xa5, BUF_SIZE);
	/* warm-up: fault the pages in, translate the copy loop */
	memcpy(dst, src, BUF_SIZE);

	start = now();
	do {
		int i;

		for (i = 0; i < 64; i++) {
			if (off + size > BUF_SIZE)
				off = 0;
			memcpy(dst + off, src + off, size);
			/* keep the copy from being optimized away */
			__asm__ __volatile__("" : : "r"(dst) : "memory");
			off += size;
			bytes += size;
		}
		t = now() - start;
	} while (t < secs);

	if (memcmp(dst, src, size)) {
		fprintf(stderr, "memcpy_bw: copy mismatch\n");
		return 1;
	}
	printf("memcpy %zu bytes: %.1f MB/s\n", size, bytes / t / 1e6);
	free(src);
	free(dst);
	return 0;
}
