#!/bin/sh
# regress/transfer-ours.sh: issue #4's transfers over our own ssh and
# sshd.  Our sftp and scp (-S our ssh) against our sshd serving SFTP with
# our sftp-server program and with internal-sftp; scp -O with our scp as
# the remote `scp -t`/`scp -f` (found through PATH set by the key's
# environment= option); OpenSSH's sftp and scp -O through our sshd too.
# Integrity by sha256 for 0, 1, 32767, 32768, 32769 and 10 MiB+1 bytes,
# a tree with odd names, -p times and modes.
. "$SRC/regress/lib/test-lib.sh"

for p in "$SSHD" "$SSH" "$SFTP" "$SCP" "$OBJ/sftp-server"; do
	if [ ! -x "$p" ]; then
		skip transfer-ours "$p not built"
		exit 0
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	skip transfer-ours "needs root (privilege-separated sshd)"
	exit 0
fi
ME=$(id -un)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT

"$KEYGEN" -q -t ed25519 -N '' -f "$T/hk" >/dev/null 2>&1 || fail keygen hk
"$KEYGEN" -q -t ed25519 -N '' -f "$T/id" >/dev/null 2>&1 || fail keygen id
# Our scp must be the remote scp for -O: put the build dir first in PATH.
printf 'environment="PATH=%s:/usr/bin:/bin" %s\n' "$OBJ" \
    "$(cat "$T/id.pub")" >"$T/authorized_keys"

# start_sshd NAME SUBSYSTEM: sets PORT_<NAME>
start_sshd() {
	port=$(free_port)
	cat >"$T/sshd_$1.cfg" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $T/hk
PidFile $T/sshd_$1.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PermitUserEnvironment PATH
Subsystem sftp $2
EOF
	"$SSHD" -f "$T/sshd_$1.cfg" -D -e >"$T/sshd_$1.log" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	while [ $i -lt 50 ] && ! grep -q "Server listening" "$T/sshd_$1.log"
	do
		sleep 0.1
		i=$((i + 1))
	done
	eval "PORT_$1=$port"
}
start_sshd prog "$OBJ/sftp-server"
start_sshd internal internal-sftp

# An ssh_config for both our ssh and OpenSSH's.
cat >"$T/ssh_config" <<EOF
Host prog internal
	HostName 127.0.0.1
	User $ME
	IdentityFile $T/id
	IdentitiesOnly yes
	UserKnownHostsFile /dev/null
	StrictHostKeyChecking no
	BatchMode yes
	LogLevel ERROR
Host prog
	Port $PORT_prog
Host internal
	Port $PORT_internal
EOF

mkdir -p "$T/src" "$T/dst"
for n in 0 1 32767 32768 32769 10485761; do
	head -c $n /dev/urandom >"$T/src/f$n"
done
sums() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum)
}

# transfer NAME: after a copy into $T/dst, compare it with $T/src.
same_tree() {
	if [ "$(sums "$T/src")" = "$(sums "$T/dst/$2")" ]; then
		pass "$1"
	else
		fail "$1" "trees differ"
	fi
}

for host in prog internal; do
	# Our sftp, batch put then get.
	rm -rf "$T/dst" "$T/remote_$host"
	mkdir -p "$T/dst" "$T/remote_$host"
	cat >"$T/batch" <<EOF
cd $T/remote_$host
lcd $T/src
put f0
put f1
put f32767
put f32768
put f32769
put f10485761
lcd $T/dst
mkdir back
EOF
	if timeout 120 "$SFTP" -q -S "$SSH" -F "$T/ssh_config" -b "$T/batch" \
	    "$host" >"$T/out" 2>&1; then
		rm -rf "$T/dst/back"
		cp -r "$T/remote_$host" "$T/dst/back"
		same_tree "sftp-put-$host" back
	else
		fail "sftp-put-$host" "$(cat "$T/out")"
	fi
	rm -rf "$T/dst" && mkdir -p "$T/dst/get"
	printf 'cd %s\nlcd %s\nget f*\n' "$T/src" "$T/dst/get" >"$T/batch"
	if timeout 120 "$SFTP" -q -S "$SSH" -F "$T/ssh_config" -b "$T/batch" \
	    "$host" >"$T/out" 2>&1; then
		same_tree "sftp-get-$host" get
	else
		fail "sftp-get-$host" "$(cat "$T/out")"
	fi
	# scp in SFTP mode and in the legacy mode, recursive, both ways.
	for mode in sftp legacy; do
		flag=""
		[ $mode = legacy ] && flag=-O
		rm -rf "$T/dst" && mkdir -p "$T/dst"
		if timeout 120 "$SCP" $flag -q -r -S "$SSH" -F "$T/ssh_config" \
		    "$T/src" "$host:$T/dst/up" >"$T/out" 2>&1; then
			same_tree "scp-$mode-up-$host" up
		else
			fail "scp-$mode-up-$host" "$(cat "$T/out")"
		fi
		if timeout 120 "$SCP" $flag -q -r -S "$SSH" -F "$T/ssh_config" \
		    "$host:$T/src" "$T/dst/down" >"$T/out" 2>&1; then
			same_tree "scp-$mode-down-$host" down
		else
			fail "scp-$mode-down-$host" "$(cat "$T/out")"
		fi
	done
done

# sftp host:file local (OpenSSH's optional second argument).
rm -rf "$T/dst" && mkdir -p "$T/dst"
if timeout 60 "$SFTP" -q -S "$SSH" -F "$T/ssh_config" \
    "prog:$T/src/f32769" "$T/dst/named copy" >"$T/out" 2>&1 &&
    cmp -s "$T/src/f32769" "$T/dst/named copy"; then
	pass sftp-fetch-to-local-name
else
	fail sftp-fetch-to-local-name "$(cat "$T/out")"
fi

# The legacy remote side really was our scp (its PATH from environment=).
out=$(timeout 30 "$SSH" -F "$T/ssh_config" prog 'command -v scp' 2>&1)
check scp-remote-is-ours test "$out" = "$OBJ/scp"

# -p keeps times and modes (legacy protocol, our scp on both ends).
rm -rf "$T/dst" && mkdir -p "$T/dst"
chmod 640 "$T/src/f1"
touch -d '2001-02-03 04:05:06' "$T/src/f1"
if timeout 60 "$SCP" -O -p -q -S "$SSH" -F "$T/ssh_config" \
    "$T/src/f1" "prog:$T/dst/p1" >"$T/out" 2>&1 &&
    [ "$(stat -c '%a %Y' "$T/src/f1")" = "$(stat -c '%a %Y' "$T/dst/p1")" ]
then
	pass scp-preserve
else
	fail scp-preserve "$(cat "$T/out"; stat -c '%a %Y' "$T/dst/p1")"
fi

# OpenSSH's sftp and scp -O through our sshd (our sftp-server, our scp).
rm -rf "$T/dst" && mkdir -p "$T/dst"
if timeout 120 "$OSSH_SCP" -O -q -r -F "$T/ssh_config" "$T/src" \
    "prog:$T/dst/ossh" >"$T/out" 2>&1; then
	same_tree openssh-scp-legacy-up ossh
else
	fail openssh-scp-legacy-up "$(cat "$T/out")"
fi
rm -rf "$T/dst" && mkdir -p "$T/dst/osftp"
printf 'cd %s\nlcd %s\nget f*\n' "$T/src" "$T/dst/osftp" >"$T/batch"
if timeout 120 "$OSSH_SFTP" -q -F "$T/ssh_config" -b "$T/batch" internal \
    >"$T/out" 2>&1; then
	same_tree openssh-sftp-get-internal osftp
else
	fail openssh-sftp-get-internal "$(cat "$T/out")"
fi

# A missing remote file: non-zero exit and a message naming it.
if timeout 30 "$SCP" -q -S "$SSH" -F "$T/ssh_config" "prog:$T/nonexistent" \
    "$T/dst/x" >"$T/out" 2>&1; then
	fail scp-missing "exit 0"
elif grep -q "nonexistent" "$T/out" && [ ! -e "$T/dst/x" ]; then
	pass scp-missing
else
	fail scp-missing "$(cat "$T/out")"
fi
for p in $PIDS; do
	if ! kill -0 "$p" 2>/dev/null; then
		fail sshd-alive "sshd $p died: $(cat "$T"/sshd_*.log)"
	fi
done
