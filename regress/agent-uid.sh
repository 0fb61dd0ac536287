#!/bin/sh
# regress/agent-uid.sh: who may use the agent, and ssh-add's default keys.
#
# As root, with a test user made for the purpose (and removed at the end):
#  - an agent run by root whose socket is reachable by everyone (the
#    directory and socket opened up on purpose) still refuses the test
#    user's clients, ours and OpenSSH's, by their peer credentials;
#  - an agent run by the test user serves the test user and root;
#  - ssh-add without arguments adds ~/.ssh/id_rsa, id_ecdsa and
#    id_ed25519 of the invoking user (from the password database, not
#    $HOME), with OpenSSH's messages, and ssh-add -d removes them.
# Skipped when not root.

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/agent-lib.sh"

if [ ! -x "$AGENT" ] || [ ! -x "$ADD" ]; then
	skip agent-uid "ssh-agent or ssh-add not built"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	skip agent-uid "needs root to create a test user"
	exit 0
fi
agent_keys || { fail agent-keys "ssh-keygen failed"; exit 0; }
K=$T/k

# The test user cannot reach into $T (0700, under a 0700 run directory):
# what it must reach lives in a directory of its own, removed at exit.
U=$(mktemp -d /tmp/keel-agent-uid.XXXXXX) || exit 1
chmod 755 "$U"
tuser="keelag$$"
thome="$U/home"
uid_cleanup() {
	for p in $AGENT_PIDS; do
		kill "$p" 2>/dev/null
	done
	userdel "$tuser" 2>/dev/null
	rm -rf "$T" "$U"
}
trap uid_cleanup EXIT
if ! useradd -M -d "$thome" -s /bin/sh "$tuser" 2>"$T/useradd.err"; then
	skip agent-uid "useradd failed: $(cat "$T/useradd.err")"
	exit 0
fi
mkdir -p "$thome/.ssh"
# Public halves for the test user to read; root adds from $T/k (0600).
mkdir -m 755 "$U/k"
cp "$T"/k/*.pub "$U/k/"
chmod 644 "$U"/k/*

# The build directory may be private (a 0700 mktemp dir in CI): the test
# user runs copies of our programs from a directory it can reach.
mkdir -m 755 "$U/bin"
cp "$AGENT" "$ADD" "$U/bin/"
chmod 755 "$U/bin/ssh-agent" "$U/bin/ssh-add"
AGENT=$U/bin/ssh-agent
ADD=$U/bin/ssh-add

# as_user CMD...: run CMD as the test user, without a terminal.
as_user() {
	setsid -w su "$tuser" -s /bin/sh -c "$*" </dev/null
}

# ------------------------------------------------------------ peer uid

mkdir -m 0777 "$U/open"
"$AGENT" -d -a "$U/open/sock" >/dev/null 2>"$T/root-agent.log" </dev/null &
rpid=$!
agent_track "$rpid"
i=0
while [ ! -S "$U/open/sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
chmod 666 "$U/open/sock"
SSH_AUTH_SOCK="$U/open/sock" add ours "$K/ed25519" >/dev/null 2>&1

expect uid-root-served 0 env SSH_AUTH_SOCK="$U/open/sock" setsid -w "$ADD" -l
expect uid-other-refused-ours 1 as_user "SSH_AUTH_SOCK=$U/open/sock $ADD -l"
grep_out uid-other-refused-ours-msg "error fetching identities" "$T/expect.out"
# OpenSSH's ssh-add may also die of the SIGPIPE: any failure will do.
if as_user "SSH_AUTH_SOCK=$U/open/sock $OSSH_ADD -l" >"$T/theirs.out" 2>&1; then
	fail uid-other-refused-theirs "listed: $(cat "$T/theirs.out")"
else
	pass uid-other-refused-theirs
fi
expect uid-other-no-sign 1 as_user "SSH_AUTH_SOCK=$U/open/sock $ADD -T $U/k/ed25519.pub"
grep_out uid-mismatch-logged "uid mismatch: peer euid $(id -u "$tuser") != uid 0" "$T/root-agent.log"
check uid-agent-alive kill -0 "$rpid"
kill "$rpid"
agent_pid_gone "$rpid" 10

# ------------------------------------------------------------ user's agent

chown -R "$tuser" "$thome"
as_user "$AGENT -a $thome/agent.sock -s" >"$T/user-agent.out" 2>&1
upid=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' "$T/user-agent.out")
agent_track "$upid"
if [ -n "$upid" ] && [ "$(stat -c %U "$thome/agent.sock")" = "$tuser" ]; then
	pass user-agent-start
else
	fail user-agent-start "$(cat "$T/user-agent.out")"
fi
# Not dumpable: /proc/PID of such a process belongs to root, not its user.
if [ -n "$upid" ] && [ "$(stat -c %U "/proc/$upid/environ")" = root ]; then
	pass user-agent-not-dumpable
else
	fail user-agent-not-dumpable "/proc/$upid/environ not root's"
fi
check user-agent-no-core sh -c "grep -q '^Max core file size *0 *0 ' /proc/$upid/limits"
expect user-agent-served 1 as_user "SSH_AUTH_SOCK=$thome/agent.sock $ADD -l"
grep_out user-agent-served-msg "^The agent has no identities.\$" "$T/expect.out"
expect user-agent-root-served 0 env SSH_AUTH_SOCK="$thome/agent.sock" \
    setsid -w "$ADD" "$K/ecdsa256"

# ------------------------------------------------------------ default keys

for kt in rsa ecdsa256 ed25519; do
	case $kt in
	rsa) f=id_rsa ;;
	ecdsa256) f=id_ecdsa ;;
	ed25519) f=id_ed25519 ;;
	esac
	cp "$K/$kt" "$thome/.ssh/$f"
	cp "$K/$kt.pub" "$thome/.ssh/$f.pub"
done
chown -R "$tuser" "$thome/.ssh"
chmod 600 "$thome/.ssh"/id_rsa "$thome/.ssh"/id_ecdsa "$thome/.ssh"/id_ed25519
as_user "SSH_AUTH_SOCK=$thome/agent.sock HOME=/nonexistent $ADD -D" >/dev/null 2>&1
for who in ours theirs; do
	prog=$(add_prog "$who")
	as_user "SSH_AUTH_SOCK=$thome/agent.sock HOME=/nonexistent $prog" \
	    >"$T/def.$who" 2>&1
	echo "rc=$?" >>"$T/def.$who"
	as_user "SSH_AUTH_SOCK=$thome/agent.sock $prog -l" >>"$T/def.$who" 2>&1
	as_user "SSH_AUTH_SOCK=$thome/agent.sock HOME=/nonexistent $prog -d" \
	    >>"$T/def.$who" 2>&1
	echo "rc=$?" >>"$T/def.$who"
	as_user "SSH_AUTH_SOCK=$thome/agent.sock $prog -l" >>"$T/def.$who" 2>&1
	echo "rc=$?" >>"$T/def.$who"
done
tr -d '\r' <"$T/def.theirs" >"$T/def.theirs.clean"
grep_out default-add "^Identity added: $thome/.ssh/id_ed25519 (key-ed25519)\$" "$T/def.ours"
grep_out default-remove "^Identity removed: $thome/.ssh/id_rsa RSA (key-rsa)\$" "$T/def.ours"
if cmp -s "$T/def.ours" "$T/def.theirs.clean"; then
	pass default-same-as-openssh
else
	fail default-same-as-openssh "$(diff "$T/def.theirs.clean" "$T/def.ours" | head -n 8 | tr '\n' '|')"
fi
rm -f "$thome/.ssh"/id_*
expect default-none 1 as_user "SSH_AUTH_SOCK=$thome/agent.sock $ADD"
kill "$upid"
agent_pid_gone "$upid" 10
