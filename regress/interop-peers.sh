#!/bin/sh
# regress/interop-peers.sh: other implementations against ours.
#
# (a) PuTTY's plink, paramiko, asyncssh and dropbear's dbclient -> our
#     sshd: publickey and password logins (password only as root, with a
#     test account), a command's output and exit status, stdin integrity,
#     and each client's host key check (a wrong pinned key is refused).
# (b) our ssh -> dropbear and tinysshd (each started here on a high port
#     with its own host keys; root only, as both log in a test account):
#     publickey login per host key type each offers (dropbear 2022.83:
#     no rsa-sha2-512), output, exit status, stdin.
# INTEROP_SSHD / INTEROP_SSH replace ours (to check this script itself).

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/interop.sh"

CLIENT="$SRC/regress/interop-client.py"

if ! io_account; then
	fail account "could not set up the test account"
	exit 0
fi
io_hostkeys || { fail hostkeys "ssh-keygen failed"; exit 0; }
head -c 300000 /dev/urandom >"$T/data"

# want NAME RC WANT-RC OUT WANT-OUT: one result.
want() {
	if [ "$2" -eq "$3" ] && [ "$4" = "$5" ]; then
		pass "$1"
	else
		fail "$1" "rc $2 (want $3), output '$(echo "$4" | tail -n 3 |
		    tr '\n' ' ' | cut -c1-300)'"
	fi
}

# ------------------------------------------------------------ plink

run_plink() {
	if ! command -v plink >/dev/null || ! command -v puttygen >/dev/null
	then
		skip plink "plink/puttygen not installed (putty-tools)"
		return
	fi
	puttygen "$T/id_ed25519" -O private -o "$T/id.ppk" >/dev/null 2>&1 ||
	    { fail plink-key "puttygen could not convert the key"; return; }
	hk=""
	for t in ed25519 ecdsa256 ecdsa384 ecdsa521 rsa; do
		hk="$hk -hostkey $($OSSH_KEYGEN -E sha256 -lf "$T/hk_$t.pub" |
		    cut -d' ' -f2)"
	done
	PLINK="plink -batch -ssh -noagent -P $PORT -l $TUSER"
	out=$(setsid $PLINK -i "$T/id.ppk" $hk 127.0.0.1 \
	    'echo plink-ok; exit 7' </dev/null 2>&1)
	want plink-publickey $? 7 "$out" plink-ok
	out=$(setsid $PLINK -i "$T/id.ppk" $hk 127.0.0.1 cat \
	    <"$T/data" 2>"$T/err" | od -An -tx1 | md5sum)
	[ "$out" = "$(od -An -tx1 "$T/data" | md5sum)" ] &&
	    pass plink-stdin || fail plink-stdin "$(head -c 200 "$T/err")"
	# A pinned key that is not the server's: refused.
	$OSSH_KEYGEN -q -t ed25519 -N '' -f "$T/other" 2>/dev/null
	out=$(setsid $PLINK -i "$T/id.ppk" -hostkey "$($OSSH_KEYGEN -E sha256 \
	    -lf "$T/other.pub" | cut -d' ' -f2)" 127.0.0.1 'echo plink-ok' \
	    </dev/null 2>&1)
	rc=$?
	[ $rc -ne 0 ] && ! echo "$out" | grep -q plink-ok &&
	    pass plink-hostkey-checked ||
	    fail plink-hostkey-checked "rc $rc: $out"
	if [ -n "$TPASS" ]; then
		out=$(setsid $PLINK -pw "$TPASS" $hk 127.0.0.1 \
		    'echo plink-pw; exit 0' </dev/null 2>&1)
		want plink-password $? 0 "$out" plink-pw
	else
		skip plink-password "not root: no test account with a password"
	fi
}

# ------------------------------------------------------ paramiko, asyncssh

run_python() {
	lib=$1
	if ! $PY -c "import $lib" 2>/dev/null; then
		skip "$lib" "$PY has no $lib (python3-$lib)"
		return
	fi
	io_known_hosts "$PORT" >"$T/py.known_hosts"
	out=$($PY "$CLIENT" $lib "$PORT" "$TUSER" "$T/py.known_hosts" \
	    "key:$T/id_ed25519" 'echo py-ok; echo e >&2; exit 5' 2>"$T/err")
	rc=$?
	if [ $rc -eq 5 ] && [ "$out" = py-ok ] && [ "$(cat "$T/err")" = e ]
	then
		pass "$lib-publickey"
	else
		fail "$lib-publickey" "rc $rc out '$out' err" \
		    "'$(head -c 300 "$T/err")'"
	fi
	$PY "$CLIENT" $lib "$PORT" "$TUSER" "$T/py.known_hosts" \
	    "key:$T/id_ed25519" cat "$T/data" >"$T/back" 2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] && cmp -s "$T/data" "$T/back" && pass "$lib-stdin" ||
	    fail "$lib-stdin" "rc $rc $(wc -c <"$T/back") bytes;" \
	    "$(head -c 200 "$T/err")"
	# Unknown host key: refused.
	: >"$T/empty.known_hosts"
	out=$($PY "$CLIENT" $lib "$PORT" "$TUSER" "$T/empty.known_hosts" \
	    "key:$T/id_ed25519" 'echo py-ok' 2>&1)
	rc=$?
	[ $rc -eq 255 ] && ! echo "$out" | grep -q py-ok &&
	    pass "$lib-hostkey-checked" ||
	    fail "$lib-hostkey-checked" "rc $rc: $out"
	if [ $lib = paramiko ]; then
		out=$($PY "$CLIENT" paramiko-retry "$PORT" "$TUSER" \
		    "$T/py.known_hosts" "key:$T/id_ed25519" 'echo py-retry' 2>&1)
		want paramiko-password-then-key $? 0 "$out" py-retry
	fi
	if [ -n "$TPASS" ]; then
		out=$($PY "$CLIENT" $lib "$PORT" "$TUSER" "$T/py.known_hosts" \
		    "password:$TPASS" 'echo py-pw' 2>&1)
		want "$lib-password" $? 0 "$out" py-pw
		out=$($PY "$CLIENT" $lib "$PORT" "$TUSER" "$T/py.known_hosts" \
		    "password:x$TPASS" 'echo py-pw' 2>&1)
		rc=$?
		[ $rc -eq 255 ] && ! echo "$out" | grep -q py-pw &&
		    pass "$lib-password-wrong" ||
		    fail "$lib-password-wrong" "rc $rc: $out"
	else
		skip "$lib-password" "not root: no test account with a password"
	fi
}

# ------------------------------------------------------------ dbclient

run_dbclient() {
	if ! command -v dbclient >/dev/null ||
	    ! command -v dropbearconvert >/dev/null; then
		skip dbclient "dbclient not installed (dropbear-bin)"
		return
	fi
	dropbearconvert openssh dropbear "$T/id_ed25519" "$T/id.db" \
	    >/dev/null 2>&1 ||
	    { fail dbclient-key "dropbearconvert failed"; return; }
	# dbclient reads $HOME/.ssh/known_hosts (a HOME of its own here),
	# whose entries name the host without the port.  Without a tty it
	# would spin on a host key or password prompt: timeout.
	mkdir -p "$T/dbhome/.ssh"
	io_known_hosts "$PORT" | sed 's/^\[\(.*\)\]:[0-9]* /\1 /' \
	    >"$T/dbhome/.ssh/known_hosts"
	DB="env HOME=$T/dbhome timeout 30 setsid dbclient -p $PORT"
	out=$($DB -i "$T/id.db" "$TUSER@127.0.0.1" 'echo db-ok; exit 9' \
	    </dev/null 2>"$T/err")
	rc=$?
	[ $rc -eq 9 ] && [ "$out" = db-ok ] && pass dbclient-publickey ||
	    fail dbclient-publickey "rc $rc out '$out':" \
	    "$(tail -n 2 "$T/err" | tr '\n' ' ')"
	$DB -i "$T/id.db" "$TUSER@127.0.0.1" cat <"$T/data" >"$T/back" \
	    2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] && cmp -s "$T/data" "$T/back" && pass dbclient-stdin ||
	    fail dbclient-stdin "rc $rc $(wc -c <"$T/back") bytes;" \
	    "$(tail -n 2 "$T/err" | tr '\n' ' ')"
	# A known_hosts with another key for the server: refused.
	mkdir -p "$T/dbhome2/.ssh"
	$OSSH_KEYGEN -q -t ed25519 -N '' -f "$T/other2" 2>/dev/null
	for t in ed25519 ecdsa256 ecdsa384 ecdsa521 rsa; do
		printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 "$T/other2.pub")"
	done >"$T/dbhome2/.ssh/known_hosts"
	out=$(env HOME="$T/dbhome2" timeout 30 setsid dbclient -p "$PORT" \
	    -i "$T/id.db" "$TUSER@127.0.0.1" 'echo db-ok' </dev/null 2>&1)
	rc=$?
	[ $rc -ne 0 ] && ! echo "$out" | grep -q db-ok &&
	    pass dbclient-hostkey-checked ||
	    fail dbclient-hostkey-checked "rc $rc: $out"
	if [ -n "$TPASS" ]; then
		out=$(DROPBEAR_PASSWORD="$TPASS" $DB "$TUSER@127.0.0.1" \
		    'echo db-pw' </dev/null 2>"$T/err")
		want dbclient-password $? 0 "$out" db-pw
	else
		skip dbclient-password "not root: no test account with a password"
	fi
}

echo "interop-peers: (a) plink, paramiko, asyncssh, dbclient -> $SUT_SSHD"
if [ ! -x "$SUT_SSHD" ]; then
	skip a-sshd "$SUT_SSHD not built yet"
elif ! io_sshd_start a "$SUT_SSHD" </dev/null; then
	if io_is_root; then
		fail a-sshd-start "$(tail -n 3 "$T/a.log" 2>/dev/null)"
	else
		skip a-sshd "sshd did not start as non-root:" \
		    "$(tail -n 1 "$T/a.log" 2>/dev/null)"
	fi
else
	A_PID=$IO_PID
	PORT=$IO_PORT
	run_plink
	run_python paramiko
	run_python asyncssh
	run_dbclient
	if io_alive "$A_PID" && io_no_crash "$T/a.log"; then
		pass a-sshd-alive
	else
		fail a-sshd-alive "listener gone or crash logged"
	fi
fi

# ------------------------------------------------------------ (b)

# our_ssh_to NAME PORT KNOWN-HOSTS-FILE: checks through our ssh.
our_ssh_to() {
	n=$1
	cat >"$T/$n.ssh_config" <<EOF
Host sut
	HostName 127.0.0.1
	Port $2
	User $TUSER
	IdentityFile $T/id_ed25519
	IdentitiesOnly yes
	UserKnownHostsFile $3
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	BatchMode yes
	PasswordAuthentication no
	ConnectTimeout 10
EOF
	S="env -u SSH_AUTH_SOCK $SUT_SSH -F $T/$n.ssh_config"
	shift 3
	for h in "$@"; do
		out=$($S -o HostKeyAlgorithms="$h" sut "echo $n-ok; exit 4" \
		    </dev/null 2>&1)
		want "$n-$h" $? 4 "$out" "$n-ok"
	done
	$S sut cat <"$T/data" >"$T/back" 2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] && cmp -s "$T/data" "$T/back" && pass "$n-stdin" ||
	    fail "$n-stdin" "rc $rc $(wc -c <"$T/back") bytes;" \
	    "$(tail -n 2 "$T/err" | tr '\n' ' ')"
	out=$($S sut 'echo o; echo e >&2' </dev/null 2>"$T/err")
	[ "$out" = o ] && grep -qx e "$T/err" && pass "$n-stderr" ||
	    fail "$n-stderr" "out '$out' err '$(head -c 200 "$T/err")'"
}

run_dropbear() {
	if ! command -v dropbear >/dev/null; then
		skip dropbear "dropbear not installed"
		return
	fi
	for t in ed25519 ecdsa256 rsa; do
		dropbearconvert openssh dropbear "$T/hk_$t" "$T/db_$t" \
		    >/dev/null 2>&1 ||
		    { fail dropbear-keys "dropbearconvert $t failed"; return; }
	done
	io_known_hosts "$1" >"$T/dropbear.known_hosts"
	dropbear -F -E -s -p "127.0.0.1:$1" -P "$T/dropbear.pid" \
	    -r "$T/db_ed25519" -r "$T/db_ecdsa256" -r "$T/db_rsa" \
	    2>"$T/dropbear.log" &
	DB_PID=$!
	IO_PIDS="$IO_PIDS $DB_PID"
	if ! io_wait_port "$1" "$DB_PID"; then
		fail dropbear-start "$(tail -n 3 "$T/dropbear.log")"
		return
	fi
	our_ssh_to dropbear "$1" "$T/dropbear.known_hosts" \
	    ssh-ed25519 ecdsa-sha2-nistp256 rsa-sha2-256
}

run_tinysshd() {
	if ! command -v tinysshd >/dev/null || ! command -v socat >/dev/null
	then
		skip tinysshd "tinysshd or socat not installed"
		return
	fi
	tinysshd-makekey "$T/tinykeys" >/dev/null 2>&1 ||
	    { fail tinysshd-keys "tinysshd-makekey failed"; return; }
	printf '[127.0.0.1]:%s %s\n' "$1" \
	    "$(tinysshd-printkey "$T/tinykeys" | grep ssh-ed25519 |
	    cut -d' ' -f1,2)" >"$T/tiny.known_hosts"
	socat "TCP-LISTEN:$1,bind=127.0.0.1,reuseaddr,fork" \
	    "EXEC:tinysshd -v $T/tinykeys" 2>"$T/tinysshd.log" &
	TINY_PID=$!
	IO_PIDS="$IO_PIDS $TINY_PID"
	if ! io_wait_port "$1" "$TINY_PID"; then
		fail tinysshd-start "$(tail -n 3 "$T/tinysshd.log")"
		return
	fi
	our_ssh_to tinysshd "$1" "$T/tiny.known_hosts" ssh-ed25519
}

echo "interop-peers: (b) $SUT_SSH -> dropbear, tinysshd"
if [ ! -x "$SUT_SSH" ]; then
	skip b-ssh "$SUT_SSH not built yet"
elif ! io_is_root; then
	skip b-servers "not root: dropbear and tinysshd would need our own" \
	    "~/.ssh/authorized_keys"
else
	run_dropbear "$(free_port)"
	run_tinysshd "$(free_port)"
fi
