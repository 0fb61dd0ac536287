#!/bin/sh
# regress/sftp-client-ssh.sh: our sftp over a real ssh transport:
# OpenSSH's ssh (-S /usr/bin/ssh) to Debian's sshd on a free loopback
# port, with its own host key, config and authorized_keys in $T, the
# sftp subsystem served by our sftp-server and then by OpenSSH's.
# Checks: transfers both ways (sha256), listings, the destination
# forms user@host:path and sftp://user@host:port/path, -s with a server
# path, -P, and that a refused login ends with sftp's status 255.
# Needs root (sshd's privilege separation); skipped otherwise.

. "$SRC/regress/lib/test-lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip sftp-client-ssh "sshd needs root here"
	exit 0
fi
for p in "$OSSH_SSHD" "$OSSH_SSH" "$OSSH_KEYGEN" "$OSSH_SFTP_SERVER"; do
	if [ ! -x "$p" ]; then
		skip sftp-client-ssh "$p not installed"
		exit 0
	fi
done
if [ ! -x "$SFTP" ] || [ ! -x "$SFTP_SERVER" ]; then
	skip sftp-client-ssh "sftp / sftp-server not built"
	exit 0
fi

made_privsep=""
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd && made_privsep=1
fi
sshd_pid=""
stop_sshd() {
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2>/dev/null
		i=0
		while kill -0 "$sshd_pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		sshd_pid=""
	fi
}
ssh_cleanup() {
	stop_sshd
	[ -n "$made_privsep" ] && rmdir /run/sshd 2>/dev/null
	rm -rf "$T"
}
trap ssh_cleanup EXIT

"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/hostkey" </dev/null
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/userkey" </dev/null
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/otherkey" </dev/null
cp "$T/userkey.pub" "$T/authorized_keys"
printf '[127.0.0.1]:%s %s\n' PORT "$(cat "$T/hostkey.pub")" >"$T/kh.in"
user=$(id -un)
port=$(free_port)
sed "s/PORT/$port/" "$T/kh.in" >"$T/known_hosts"

# start_sshd SUBSYSTEM-COMMAND: sshd in the foreground, on $port.
start_sshd() {
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
AllowUsers $user
Subsystem sftp $1
LogLevel VERBOSE
EOF
	"$OSSH_SSHD" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
	sshd_pid=$!
	i=0
	while [ $i -lt 50 ]; do
		if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
			return 0
		fi
		kill -0 "$sshd_pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# ssh options: only our files, never the user's.
SSHOPTS="-S $OSSH_SSH -o UserKnownHostsFile=$T/known_hosts \
 -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes \
 -o IdentitiesOnly=yes -o ControlPath=none -o LogLevel=ERROR \
 -F /dev/null"

# sft [sftp options] DEST BATCH-LINES...: output in $T/o.out/$T/o.err.
sft() {
	_key=$T/userkey
	if [ "$1" = "-k" ]; then
		_key=$2
		shift 2
	fi
	_dest=$1
	shift
	printf '%s\n' "$@" >"$T/batch"
	# shellcheck disable=SC2086
	setsid -w "$SFTP" $SSHOPTS -i "$_key" -b "$T/batch" $SFTPOPTS \
	    "$_dest" >"$T/o.out" 2>"$T/o.err" </dev/null
}

head -c 3000000 /dev/urandom >"$T/src"
mkdir -p "$T/rdir"
for srvwho in ours theirs; do
	if [ "$srvwho" = ours ]; then srv=$SFTP_SERVER; else srv=$OSSH_SFTP_SERVER; fi
	if ! start_sshd "$srv"; then
		fail "sshd-start-$srvwho" "$(tail -n 5 "$T/sshd.log")"
		stop_sshd
		continue
	fi
	SFTPOPTS="-P $port"
	rm -f "$T/rdir/up" "$T/down"
	check "ssh-put-$srvwho" sft "$user@127.0.0.1" "put $T/src $T/rdir/up"
	check "ssh-get-$srvwho" sft "$user@127.0.0.1" "get $T/rdir/up $T/down"
	if cmp -s "$T/src" "$T/rdir/up" && cmp -s "$T/src" "$T/down"; then
		pass "ssh-data-$srvwho"
	else
		fail "ssh-data-$srvwho" "copies differ"
	fi
	# user@host:dir starts in dir.
	if sft "$user@127.0.0.1:$T/rdir" "pwd" "ls -l" &&
	    grep -q "Remote working directory: $T/rdir" "$T/o.out" &&
	    grep -q ' up$' "$T/o.out"; then
		pass "ssh-dest-dir-$srvwho"
	else
		fail "ssh-dest-dir-$srvwho" "$(cat "$T/o.out" "$T/o.err")"
	fi
	# sftp://user@host:port//absolute/path, no -P.
	SFTPOPTS=""
	if sft "sftp://$user@127.0.0.1:$port/$T/rdir" "pwd" &&
	    grep -q "Remote working directory: $T/rdir" "$T/o.out"; then
		pass "ssh-uri-$srvwho"
	else
		fail "ssh-uri-$srvwho" "$(cat "$T/o.out" "$T/o.err")"
	fi
	# -s with a path: the server runs as a remote command.
	SFTPOPTS="-P $port -s $SFTP_SERVER"
	rm -f "$T/down2"
	if sft "$user@127.0.0.1" "get $T/rdir/up $T/down2" &&
	    cmp -s "$T/src" "$T/down2"; then
		pass "ssh-server-path-$srvwho"
	else
		fail "ssh-server-path-$srvwho" "$(cat "$T/o.err")"
	fi
	# A key the server does not know: ssh fails, sftp says so.
	SFTPOPTS="-P $port"
	sft -k "$T/otherkey" "$user@127.0.0.1" "pwd"
	rc=$?
	if [ $rc = 255 ] && grep -q 'Connection closed' "$T/o.err"; then
		pass "ssh-refused-$srvwho"
	else
		fail "ssh-refused-$srvwho" "rc $rc: $(cat "$T/o.err")"
	fi
	stop_sshd
done
