/*
 * progressmeter.h: the one-line transfer meter of sftp and scp:
 *
 *   name                               45%   12MB  11.9MB/s   00:02 ETA
 *
 * The line is redrawn in place (carriage return) on stdout at most about
 * once a second, and only while stdout is a terminal and we are its
 * foreground process group (a backgrounded transfer stays quiet).  The
 * final draw shows the totals and the elapsed time and ends the line.
 *
 * Library code: no exit, no xmalloc, no signals, no globals.
 */
#ifndef KEEL_PROGRESSMETER_H
#define KEEL_PROGRESSMETER_H

#include <stddef.h>
#include <stdint.h>

struct progress;

/*
 * A meter for a file called title (its last path component is shown) of
 * size bytes, of which done are already there (a resumed transfer: they
 * count towards the percentage, not the rate).  Draws the first line at
 * once.  NULL on allocation failure (callers then go without a meter).
 */
struct progress *progress_start(const char *title, uint64_t size,
    uint64_t done);
/* done bytes of the file are now transferred; redraws when due. */
void progress_update(struct progress *p, uint64_t done);
/* The final line (with a newline) and free; NULL is a no-op. */
void progress_finish(struct progress *p);

/*
 * The pieces of the line, exposed for tests: a byte count in 7 columns
 * (at most five digits and a unit: "  977KB", "   12MB") and the
 * whole line for a given width, elapsed seconds and state, written to
 * out (NUL-terminated; outlen >= width + 1).  final selects the elapsed
 * time instead of the ETA.
 */
void progress_format_bytes(uint64_t bytes, char *out, size_t outlen);
void progress_format_line(const char *title, uint64_t size, uint64_t done,
    uint64_t start_done, double elapsed, double rate, int final,
    unsigned int width, char *out, size_t outlen);

#endif /* KEEL_PROGRESSMETER_H */
