/*
 * readpassphrase: prompt on /dev/tty and read a line with echo off,
 * restoring the terminal however the read ends (signals included).
 */
#include "includes.h"

#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <termios.h>

#if !HAVE_READPASSPHRASE
static volatile sig_atomic_t rpp_signo[NSIG];

static void
rpp_handler(int s)
{
	rpp_signo[s] = 1;
}

static const int rpp_sigs[] = {
	SIGALRM, SIGHUP, SIGINT, SIGPIPE, SIGQUIT, SIGTERM, SIGTSTP,
	SIGTTIN, SIGTTOU
};
#define RPP_NSIGS (sizeof(rpp_sigs) / sizeof(rpp_sigs[0]))

static void
rpp_write(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* nowhere to show the prompt: read anyway */
		s += n;
		len -= (size_t)n;
	}
}

char *
readpassphrase(const char *prompt, char *buf, size_t bufsiz, int flags)
{
	struct termios term, oterm;
	struct sigaction sa, savesa[RPP_NSIGS];
	int input, output, save_errno, restart, need_restore;
	size_t i, nr;
	ssize_t rd;
	char ch, *p, *end;

	if (bufsiz == 0) {
		errno = EINVAL;
		return NULL;
	}
 restart:
	restart = 0;
	for (i = 0; i < NSIG; i++)
		rpp_signo[i] = 0;
	nr = 0;
	save_errno = 0;
	need_restore = 0;
	if ((flags & RPP_STDIN) ||
	    (input = output = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1) {
		if (flags & RPP_REQUIRE_TTY) {
			errno = ENOTTY;
			return NULL;
		}
		input = STDIN_FILENO;
		output = STDERR_FILENO;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: let read() be interrupted */
	sa.sa_handler = rpp_handler;
	for (i = 0; i < RPP_NSIGS; i++)
		(void)sigaction(rpp_sigs[i], &sa, &savesa[i]);

	if (input != STDIN_FILENO || isatty(input)) {
		if (tcgetattr(input, &oterm) == 0) {
			memcpy(&term, &oterm, sizeof(term));
			if (!(flags & RPP_ECHO_ON))
				term.c_lflag &= ~(ECHO | ECHONL);
			(void)tcsetattr(input, TCSAFLUSH, &term);
			need_restore = 1;
		}
	}
	if (!(flags & RPP_STDIN) && prompt != NULL)
		rpp_write(output, prompt);
	end = buf + bufsiz - 1;
	p = buf;
	while ((rd = read(input, &ch, 1)) == 1 && ch != '\n' && ch != '\r') {
		if (p < end) {
			if (flags & RPP_SEVENBIT)
				ch &= 0x7f;
			if (isalpha((unsigned char)ch)) {
				if (flags & RPP_FORCELOWER)
					ch = (char)tolower((unsigned char)ch);
				if (flags & RPP_FORCEUPPER)
					ch = (char)toupper((unsigned char)ch);
			}
			*p++ = ch;
		}
		nr++;
	}
	*p = '\0';
	save_errno = errno;
	if (need_restore && !(term.c_lflag & ECHO))
		rpp_write(output, "\n");
	if (need_restore)
		(void)tcsetattr(input, TCSAFLUSH, &oterm);
	for (i = 0; i < RPP_NSIGS; i++)
		(void)sigaction(rpp_sigs[i], &savesa[i], NULL);
	if (input != STDIN_FILENO)
		(void)close(input);
	/* Deliver the signals that arrived, now that the tty is restored. */
	for (i = 0; i < NSIG; i++) {
		if (rpp_signo[i]) {
			kill(getpid(), (int)i);
			if (i == SIGTSTP || i == SIGTTIN || i == SIGTTOU)
				restart = 1;
		}
	}
	if (restart) {
		explicit_bzero(buf, bufsiz);
		goto restart;
	}
	/* EOF is an answer (possibly empty); only a read error fails. */
	if (rd == -1) {
		explicit_bzero(buf, bufsiz);
		errno = save_errno;
		return NULL;
	}
	errno = save_errno;
	return buf;
}
#endif
