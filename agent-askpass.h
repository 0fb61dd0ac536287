/*
 * agent-askpass.h: asking the user, for ssh-add and ssh-agent.
 *
 * Where the question goes follows OpenSSH's rules, so the same
 * environment gives the same behaviour:
 *  - an askpass program ($SSH_ASKPASS, else the built-in default path)
 *    may be used only when $DISPLAY or $WAYLAND_DISPLAY is set, or when
 *    $SSH_ASKPASS_REQUIRE is "force"; "never" forbids it and "prefer"
 *    uses it even when there is a terminal;
 *  - otherwise the prompt is read from the terminal (/dev/tty), or from
 *    standard input when there is no terminal and ASKPASS_ALLOW_STDIN.
 * The askpass program gets the prompt as its only argument and answers
 * on standard output; $SSH_ASKPASS_PROMPT is "confirm" for yes/no
 * questions.
 *
 * Program code: these may call fatal() when memory runs out.
 */
#ifndef KEEL_AGENT_ASKPASS_H
#define KEEL_AGENT_ASKPASS_H

#define ASKPASS_ALLOW_STDIN	0x01	/* no tty: use askpass or stdin */
#define ASKPASS_USE_ASKPASS	0x02	/* only ever ask through askpass */
#define ASKPASS_ALLOW_EOF	0x04	/* NULL (not "") when nothing read */
#define ASKPASS_PERMISSION	0x08	/* a yes/no question (confirm) */

/*
 * Ask for a passphrase.  Returns a new string (free it with freezero
 * after wiping: askpass_free()), "" when the user gave nothing, or NULL
 * with ASKPASS_ALLOW_EOF when nothing could be read at all.
 */
char *askpass_read(const char *prompt, int flags);
/* Wipe and free what askpass_read() returned; NULL is a no-op. */
void askpass_free(char *pass);

/*
 * A yes/no question through the askpass program only (ssh-agent's
 * confirm constraint).  0 if the user allowed it (an empty answer or
 * "yes"), -1 if refused or if no askpass could be run.
 */
int askpass_confirm(const char *prompt);

#endif /* KEEL_AGENT_ASKPASS_H */
