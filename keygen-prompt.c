/*
 * keygen-prompt.c: ssh-keygen's questions to the user.
 *
 * File names, overwrite confirmations and comments are read from stdin
 * with stdio and asked on stdout; passphrases are read from the terminal
 * with echo off, or from stdin (prompt on stderr) when there is no
 * terminal, or from an askpass program in the cases OpenSSH uses one.
 * Scripts that feed ssh-keygen through a pipe depend on these details.
 */
#include "includes.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <strings.h>

#include "keygen.h"
#include "log.h"
#include "xmalloc.h"

#define KEYGEN_PASS_MAX	1024	/* longest passphrase read */

#ifndef _PATH_SSH_ASKPASS_DEFAULT
#define _PATH_SSH_ASKPASS_DEFAULT "/usr/libexec/ssh-askpass"
#endif

/* The default key file for the -t type (id_ed25519 without -t). */
static const char *
default_key_name(const char *type_name)
{
	enum key_type t = KEY_ED25519;

	if (type_name != NULL) {
		t = key_type_from_name(type_name);
		if (t == KEY_UNSPEC)
			t = key_type_from_shortname(type_name);
	}
	switch (t) {
	case KEY_RSA:
		return "id_rsa";
	case KEY_ECDSA:
		return "id_ecdsa";
	default:
		return "id_ed25519";
	}
}

char *
keygen_read_line(const char *prompt)
{
	char buf[PATH_MAX + 64];

	printf("%s", prompt);
	fflush(stdout);
	if (fgets(buf, sizeof(buf), stdin) == NULL)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

void
keygen_ask_filename(struct keygen *kg, const char *prompt)
{
	char *def, *q, *answer;

	xasprintf(&def, "%s/.ssh/%s", kg->home,
	    default_key_name(kg->key_type_name));
	xasprintf(&q, "%s (%s): ", prompt, def);
	if ((answer = keygen_read_line(q)) == NULL)
		exit(1);
	free(q);
	if (*answer == '\0') {
		free(answer);
		answer = def;
	} else
		free(def);
	free(kg->identity_file);
	kg->identity_file = answer;
}

int
keygen_confirm_overwrite(const char *path)
{
	struct stat st;
	char *answer;
	int yes;

	if (stat(path, &st) != 0)
		return 1;
	printf("%s already exists.\n", path);
	if ((answer = keygen_read_line("Overwrite (y/n)? ")) == NULL)
		return 0;
	yes = answer[0] == 'y' || answer[0] == 'Y';
	free(answer);
	return yes;
}

void
keygen_free_secret(char *s)
{
	if (s != NULL)
		freezero(s, strlen(s));
}

/*
 * Run the askpass program with the prompt as its argument and return the
 * first line it prints, or NULL if it fails.
 */
static char *
run_askpass(const char *prog, const char *prompt)
{
	char buf[KEYGEN_PASS_MAX], junk[256], *ret = NULL;
	size_t len = 0;
	ssize_t n;
	int p[2], status = 0;
	pid_t pid, w;
	void (*osig)(int);

	fflush(stdout);
	if (pipe(p) == -1) {
		error("ssh_askpass: pipe: %s", strerror(errno));
		return NULL;
	}
	osig = signal(SIGCHLD, SIG_DFL);
	if ((pid = fork()) == -1) {
		error("ssh_askpass: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		signal(SIGCHLD, osig);
		return NULL;
	}
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], STDOUT_FILENO) == -1)
			_exit(1);
		execlp(prog, prog, prompt, (char *)NULL);
		error("ssh_askpass: exec(%s): %s", prog, strerror(errno));
		_exit(1);
	}
	close(p[1]);
	/* Read to the end (what does not fit is dropped) so the program
	 * never blocks writing to us while we wait for it. */
	for (;;) {
		if (len < sizeof(buf) - 1)
			n = read(p[0], buf + len, sizeof(buf) - 1 - len);
		else
			n = read(p[0], junk, sizeof(junk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < sizeof(buf) - 1)
			len += (size_t)n;
	}
	explicit_bzero(junk, sizeof(junk));
	close(p[0]);
	while ((w = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	signal(SIGCHLD, osig);
	buf[len] = '\0';
	if (w != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		buf[strcspn(buf, "\r\n")] = '\0';
		ret = xstrdup(buf);
	}
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

/*
 * OpenSSH's rules: an askpass program is allowed when there is a display
 * (or SSH_ASKPASS_REQUIRE=force), and used when stdin is not a terminal
 * (or SSH_ASKPASS_REQUIRE=prefer|force); SSH_ASKPASS_REQUIRE=never
 * forbids it.
 */
static int
want_askpass(void)
{
	const char *s;
	int allow = 0, use = 0;

	if (((s = getenv("DISPLAY")) != NULL && *s != '\0') ||
	    ((s = getenv("WAYLAND_DISPLAY")) != NULL && *s != '\0'))
		allow = 1;
	if ((s = getenv("SSH_ASKPASS_REQUIRE")) != NULL) {
		if (strcasecmp(s, "force") == 0)
			use = allow = 1;
		else if (strcasecmp(s, "prefer") == 0)
			use = allow;
		else if (strcasecmp(s, "never") == 0)
			allow = 0;
	}
	if (!isatty(STDIN_FILENO))
		use = 1;
	return use && allow;
}

char *
keygen_read_passphrase(const char *prompt)
{
	char buf[KEYGEN_PASS_MAX], *ret;
	const char *prog;

	if (want_askpass()) {
		if ((prog = getenv("SSH_ASKPASS")) == NULL || *prog == '\0')
			prog = _PATH_SSH_ASKPASS_DEFAULT;
		if ((ret = run_askpass(prog, prompt)) == NULL)
			ret = xstrdup("");
		return ret;
	}
	/* /dev/tty if there is one, else stdin with the prompt on stderr. */
	fflush(stdout);
	if (readpassphrase(prompt, buf, sizeof(buf), RPP_ECHO_OFF) == NULL) {
		explicit_bzero(buf, sizeof(buf));
		return xstrdup("");
	}
	ret = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

char *
keygen_read_new_passphrase(const char *prompt)
{
	char *p1, *p2;

	p1 = keygen_read_passphrase(prompt);
	p2 = keygen_read_passphrase("Enter same passphrase again: ");
	if (strcmp(p1, p2) != 0) {
		keygen_free_secret(p1);
		keygen_free_secret(p2);
		return NULL;
	}
	keygen_free_secret(p2);
	return p1;
}
