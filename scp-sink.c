/*
 * scp-sink.c: the receiving side of the legacy scp protocol (scp.h):
 * what `scp -t` does on the remote host, and what we do for a download
 * with -O.
 *
 * The names in C and D records come from the peer and are not trusted:
 * a name must be one path component (no '/', not ".."), and when the
 * user asked for particular files (no -r, no -T) it must match what was
 * asked for.  A file that does not arrive whole is cut to the bytes that
 * did arrive and reported, and the exit status says so.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <fcntl.h>
#include <signal.h>

#include "buf.h"
#include "log.h"
#include "misc.h"
#include "progressmeter.h"
#include "scp-proto.h"
#include "scp.h"
#include "xmalloc.h"

/* Deeper D nesting than this is refused (the path would not fit anyway). */
#define SINK_MAX_DEPTH	2048

/*
 * The file being written and how much of it is good, for the signal
 * handler: an interrupted copy is cut to what arrived.
 */
static volatile sig_atomic_t partial_fd = -1;
static volatile off_t partial_len;

static void
cut_partial(void)
{
	/* Nothing more can be done if this fails: we are going anyway. */
	if (partial_fd != -1 && ftruncate(partial_fd, partial_len) != 0)
		partial_fd = -1;
}

/* State of one directory level of the conversation. */
struct sink_level {
	const char	*target;
	int		targisdir;
	const struct scp_patterns *patterns;	/* NULL: any name */
	int		depth;
};

static void sink_loop(struct rcp *r, const struct sink_level *lv);

/* Exit unless target is a directory (-d). */
static void
verify_dir(struct rcp *r, const char *target)
{
	struct stat st;

	if (stat(target, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return;
		errno = ENOTDIR;
	}
	rcp_error(r, "%s: %s", target, strerror(errno));
	exit(1);
}

/* -p: the times of a T record, when they fit.  0 or -1 (errno). */
static int
set_times(const char *path, const struct scp_times *t)
{
	struct timeval tv[2];

	if (!t->in_range)
		return 0;
	memset(tv, 0, sizeof(tv));
	tv[0].tv_sec = (time_t)t->atime;
	tv[1].tv_sec = (time_t)t->mtime;
	return utimes(path, tv);
}

/* A D record: make or reuse the directory, then receive into it. */
static void
sink_dir(struct rcp *r, const struct sink_level *lv, const char *np,
    mode_t mode, const struct scp_times *t)
{
	struct sink_level sub;
	struct stat st;
	int set_mode = r->o->preserve;

	if (!r->o->recursive)
		rcp_protocol_error(r, "received directory without -r");
	if (lv->depth >= SINK_MAX_DEPTH)
		rcp_protocol_error(r, "directories nested too deeply");
	if (stat(np, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			rcp_error(r, "%s: %s", np, strerror(ENOTDIR));
			return;
		}
		if (r->o->preserve)
			(void)chmod(np, mode);
	} else {
		/* Writable while we fill it; its own mode at the end. */
		set_mode = 1;
		if (mkdir(np, mode | S_IRWXU) == -1) {
			rcp_error(r, "%s: %s", np, strerror(errno));
			return;
		}
	}
	sub.target = np;
	sub.targisdir = 1;
	sub.patterns = NULL;
	sub.depth = lv->depth + 1;
	rcp_ack(r);
	sink_loop(r, &sub);
	if (t != NULL)
		(void)set_times(np, t);
	if (set_mode)
		(void)chmod(np, mode);
}

/*
 * The data of a C record into ofd: size bytes, written as they come.
 * Returns the first write error (0 if none).  A connection that ends
 * early cuts the file to what arrived and ends us.
 */
static int
receive_data(struct rcp *r, int ofd, int is_reg, const char *np,
    const char *name, uint64_t size)
{
	struct progress *meter = rcp_progress_start(r, name, size);
	uint64_t got = 0, written = 0;
	size_t amt, n;
	int wrerr = 0;

	partial_len = 0;
	partial_fd = is_reg ? ofd : -1;
	while (got < size) {
		amt = (size_t)MINIMUM((uint64_t)r->blocklen, size - got);
		n = rcp_read_data(r, r->block, amt);
		if (n > 0 && wrerr == 0) {
			if (atomicio_write(ofd, r->block, n) != n)
				wrerr = errno;
			else
				written += n;
			partial_len = (off_t)written;
		}
		got += n;
		scp_bwlimit_account(&r->bw, n);
		if (meter != NULL)
			progress_update(meter, got);
		if (n == amt)
			continue;
		/* The sender went away part way through. */
		progress_finish(meter);
		partial_fd = -1;
		if (is_reg && ftruncate(ofd, (off_t)written) != 0)
			debug_f("ftruncate %s: %s", np, strerror(errno));
		close(ofd);
		rcp_error(r, "%s: lost connection after %llu of %llu bytes",
		    np, (unsigned long long)got, (unsigned long long)size);
		exit(1);
	}
	progress_finish(meter);
	partial_fd = -1;
	/* A failed write leaves only the bytes that were written. */
	if (wrerr != 0 && is_reg && ftruncate(ofd, (off_t)written) != 0)
		debug_f("ftruncate %s: %s", np, strerror(errno));
	return wrerr;
}

/* A C record: receive one file into np. */
static void
sink_file(struct rcp *r, const char *np, const struct scp_record *rec,
    const struct scp_times *t)
{
	mode_t mode = rec->mode, omode;
	struct stat st;
	int exists, is_reg, ofd, wrerr, resp;

	if (!r->o->preserve)
		mode &= ~r->umask;
	exists = stat(np, &st) == 0;
	omode = mode;
	mode |= S_IWUSR;
	if ((ofd = open(np, O_WRONLY | O_CREAT | O_CLOEXEC, mode)) == -1) {
		rcp_error(r, "%s: %s", np, strerror(errno));
		return;
	}
	rcp_ack(r);
	is_reg = !exists || S_ISREG(st.st_mode);
	wrerr = receive_data(r, ofd, is_reg, np, rec->name, rec->size);
	/* An existing longer file must not keep its old tail. */
	if (wrerr == 0 && is_reg && ftruncate(ofd, (off_t)rec->size) != 0)
		wrerr = errno;
	if (r->o->preserve) {
		if ((exists || omode != mode) && fchmod(ofd, omode) != 0 &&
		    wrerr == 0)
			wrerr = errno;
	} else if (!exists && omode != mode && fchmod(ofd, omode) != 0 &&
	    wrerr == 0) {
		wrerr = errno;
	}
	if (close(ofd) != 0 && wrerr == 0)
		wrerr = errno;
	/* The sender's word on its side: an error means bad data. */
	resp = rcp_response(r);
	if (t != NULL && wrerr == 0 && resp == 0 && set_times(np, t) != 0)
		wrerr = errno;
	if (wrerr != 0)
		rcp_error(r, "%s: %s", np, strerror(wrerr));
	else
		rcp_ack(r);
}

/* A T, C or D record in r->line: act on it. */
static void
sink_record(struct rcp *r, const struct sink_level *lv, int type,
    struct scp_times *t, int *have_times)
{
	struct scp_record rec;
	const char *why;
	char *np;

	if (type == 'T') {
		if (scp_parse_times(r->line, t, &why) != 0)
			rcp_protocol_error(r, why);
		*have_times = 1;
		rcp_ack(r);
		return;
	}
	if (scp_parse_record(r->line, &rec, &why) != 0)
		rcp_protocol_error(r, why != NULL ? why : "out of memory");
	if (!scp_name_is_safe(rec.name)) {
		rcp_error(r, "error: unexpected filename: %s", rec.name);
		exit(1);
	}
	if (lv->patterns != NULL && !scp_patterns_match(lv->patterns,
	    rec.name)) {
		debug2_f("incoming name \"%s\" matches none of %zu "
		    "patterns", rec.name, lv->patterns->n);
		rcp_protocol_error(r, "filename does not match request");
	}
	if (lv->targisdir) {
		if ((np = path_append(lv->target, rec.name)) == NULL)
			fatal_f("out of memory");
	} else {
		np = xstrdup(lv->target);
	}
	if (type == 'D')
		sink_dir(r, lv, np, r->o->preserve ? rec.mode :
		    rec.mode & ~r->umask, *have_times ? t : NULL);
	else
		sink_file(r, np, &rec, *have_times ? t : NULL);
	*have_times = 0;
	free(np);
	scp_record_clear(&rec);
}

/* Records until "E" or the end of input. */
static void
sink_loop(struct rcp *r, const struct sink_level *lv)
{
	struct scp_times t;
	int first, type, have_times = 0;
	char *s;

	memset(&t, 0, sizeof(t));
	for (first = 1;; first = 0) {
		if (rcp_read_line(r, &type) != 0)
			return;
		if ((s = buf_dup_string(r->line)) == NULL)
			rcp_protocol_error(r, "record contains a NUL");
		if (r->o->verbose)
			scp_eprintf("Sink: %s\n", s);
		switch (type) {
		case '\n':
			rcp_protocol_error(r, "unexpected <newline>");
		case 1:
		case 2:
			/* The sender's error: show it, go on (or stop). */
			if (!r->remote)
				scp_eprintf("%s\n", s + 1);
			if (type == 2)
				exit(1);
			r->errs++;
			break;
		case 'E':
			free(s);
			rcp_ack(r);
			return;
		case 'T':
		case 'C':
		case 'D':
			sink_record(r, lv, type, &t, &have_times);
			break;
		default:
			/*
			 * Text before the first record is most likely the
			 * remote shell's own complaint ("No match."): show it.
			 */
			if (first) {
				rcp_error(r, "%s", s);
				exit(1);
			}
			rcp_protocol_error(r, "expected control record");
		}
		free(s);
	}
}

void
rcp_sink(struct rcp *r, const char *target, const char *requested)
{
	struct scp_patterns patterns = { NULL, 0 };
	struct sink_level top;
	struct stat st;
	int rv;

	if (r->o->target_dir)
		verify_dir(r, target);
	top.target = target;
	top.targisdir = stat(target, &st) == 0 && S_ISDIR(st.st_mode);
	top.patterns = NULL;
	top.depth = 0;
	if (requested != NULL && !r->o->recursive && r->o->check_names) {
		if ((rv = scp_patterns_from_path(requested, &patterns)) != 0)
			fatal_fr(rv, "could not expand pattern");
		top.patterns = &patterns;
	}
	scp_set_abort_hook(cut_partial);
	rcp_ack(r);
	sink_loop(r, &top);
	scp_patterns_free(&patterns);
}
