#!/bin/sh
# regress/agent-ssh.sh: OpenSSH's ssh logs in to OpenSSH's sshd with keys
# held by our ssh-agent.
#
# sshd (Debian's, with its own config and host key in $T) listens on a
# free port on 127.0.0.1 and accepts exactly one key at a time through an
# AuthorizedKeysFile in $T.  For every key type the login works while our
# agent holds the key (RSA through rsa-sha2-512, as the agent's debug log
# shows), and fails once the key is removed or the agent is locked.  The
# client's session-bind@openssh.com reaches the agent; a forwarded agent
# (ssh -A) lists our keys on the far side, for our ssh-add and OpenSSH's;
# a confirm-constrained key logs in only when askpass says yes.
#
# Needs root (sshd's privilege separation); skipped otherwise.

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/agent-lib.sh"

if [ ! -x "$AGENT" ] || [ ! -x "$ADD" ]; then
	skip agent-ssh "ssh-agent or ssh-add not built"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	skip agent-ssh "sshd needs root here"
	exit 0
fi
if [ ! -x "$OSSH_SSHD" ] || [ ! -x "$OSSH_SSH" ]; then
	skip agent-ssh "OpenSSH sshd/ssh not installed"
	exit 0
fi
agent_keys || { fail agent-keys "ssh-keygen failed"; exit 0; }
K=$T/k

# sshd refuses to start without its privilege separation directory.
made_privsep=""
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd && made_privsep=1
fi
ssh_cleanup() {
	agent_cleanup
	[ -n "$made_privsep" ] && rmdir /run/sshd 2>/dev/null
}
trap ssh_cleanup EXIT

"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/hostkey" </dev/null
port=$(free_port)
user=$(id -un)
cat >"$T/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $T/hostkey
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowAgentForwarding yes
AllowUsers $user
LogLevel VERBOSE
EOF
: >"$T/authorized_keys"
"$OSSH_SSHD" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
sshd_pid=$!
agent_track "$sshd_pid"

# Wait for the port to accept connections.
up=""
i=0
while [ $i -lt 50 ]; do
	if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
		up=1
		break
	fi
	kill -0 "$sshd_pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$up" ]; then
	fail sshd-start "$(tail -n 5 "$T/sshd.log")"
	exit 0
fi

# login KEYTYPE [ssh options...] -- command: ssh through the agent only.
login() {
	lk=$1
	shift
	setsid -w "$OSSH_SSH" -F /dev/null -p "$port" \
	    -o UserKnownHostsFile="$T/known_hosts" \
	    -o GlobalKnownHostsFile=/dev/null \
	    -o StrictHostKeyChecking=no -o BatchMode=yes \
	    -o IdentitiesOnly=yes -o IdentityFile="$K/$lk.pub" \
	    -o PreferredAuthentications=publickey -o ControlPath=none \
	    -o LogLevel=ERROR "$@" </dev/null
}

# Our agent in the foreground with its debug log.
"$AGENT" -d -a "$T/agent.sock" >/dev/null 2>"$T/agent.log" </dev/null &
apid=$!
agent_track "$apid"
SSH_AUTH_SOCK=$T/agent.sock
export SSH_AUTH_SOCK
i=0
while [ ! -S "$SSH_AUTH_SOCK" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

for kt in $AGENT_KEYTYPES; do
	add ours "$K/$kt" >/dev/null 2>&1
done
for kt in $AGENT_KEYTYPES; do
	cp "$K/$kt.pub" "$T/authorized_keys"
	out=$(login "$kt" "$user@127.0.0.1" echo "hello-$kt" 2>&1)
	if [ "$out" = "hello-$kt" ]; then
		pass "login-$kt"
	else
		fail "login-$kt" "$out $(tail -n 3 "$T/sshd.log" | tr '\n' ' ')"
	fi
done
grep_out login-rsa-sha2-512 "signature (rsa-sha2-512) by ssh-rsa" "$T/agent.log"
grep_out session-bind "bound to a session (authentication)" "$T/agent.log"

# Without the key in the agent (or with the agent locked) no login.
cp "$K/ecdsa384.pub" "$T/authorized_keys"
add ours -d "$K/ecdsa384" >/dev/null 2>&1
expect login-removed-key 255 login ecdsa384 "$user@127.0.0.1" true
add ours "$K/ecdsa384" >/dev/null 2>&1
expect login-readded-key 0 login ecdsa384 "$user@127.0.0.1" true
printf '#!/bin/sh\necho lockword\n' >"$T/lockpass"
chmod 755 "$T/lockpass"
SSH_ASKPASS="$T/lockpass" SSH_ASKPASS_REQUIRE=force setsid -w "$ADD" -x \
    </dev/null >/dev/null 2>&1
expect login-locked 255 login ecdsa384 "$user@127.0.0.1" true
SSH_ASKPASS="$T/lockpass" SSH_ASKPASS_REQUIRE=force setsid -w "$ADD" -X \
    </dev/null >/dev/null 2>&1
expect login-unlocked 0 login ecdsa384 "$user@127.0.0.1" true

# Agent forwarding: the far side sees our keys.
cp "$K/ed25519.pub" "$T/authorized_keys"
out=$(login ed25519 -A "$user@127.0.0.1" "$OSSH_ADD" -l 2>&1)
if echo "$out" | grep -q "key-rsa (RSA)" &&
    echo "$out" | grep -q "key-ed25519 (ED25519)"; then
	pass forward-list-theirs
else
	fail forward-list-theirs "$out"
fi
out=$(login ed25519 -A "$user@127.0.0.1" "$ADD" -L 2>&1)
if echo "$out" | grep -q "^$(cat "$K/ecdsa521.pub")\$"; then
	pass forward-list-ours
else
	fail forward-list-ours "$out"
fi
out=$(login ed25519 -A "$user@127.0.0.1" "$OSSH_ADD" -T "$K/rsa.pub" 2>&1)
if [ -z "$out" ]; then
	pass forward-sign
else
	fail forward-sign "$out"
fi
kill "$apid"
agent_pid_gone "$apid" 10

# A confirm-constrained key: askpass decides.
cat >"$T/confirm" <<EOF
#!/bin/sh
cat "$T/confirm.answer"
EOF
chmod 755 "$T/confirm"
export SSH_ASKPASS="$T/confirm" SSH_ASKPASS_REQUIRE=force
agent_start ours
unset SSH_ASKPASS SSH_ASKPASS_REQUIRE
add ours -c "$K/ecdsa256" >/dev/null 2>&1
cp "$K/ecdsa256.pub" "$T/authorized_keys"
echo yes >"$T/confirm.answer"
expect login-confirm-yes 0 login ecdsa256 "$user@127.0.0.1" true
echo no >"$T/confirm.answer"
expect login-confirm-no 255 login ecdsa256 "$user@127.0.0.1" true
agent_stop

kill "$sshd_pid"
agent_pid_gone "$sshd_pid" 10
