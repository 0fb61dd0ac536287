#!/bin/sh
# contrib/run-local-sshd.sh: start the freshly built sshd on
# 127.0.0.1:2222 with host keys generated for it, log in once with the
# freshly built ssh to show that it works, and say how to log in.
# Everything lives in $KEEL_RUN_DIR (default /tmp/keel-sshd); running the
# script again stops the earlier server first.  Run from the build
# directory (where ./sshd, ./ssh and ./ssh-keygen are).
set -e
DIR=${KEEL_RUN_DIR:-/tmp/keel-sshd}
PORT=${KEEL_RUN_PORT:-2222}
B=$(pwd)
for p in sshd ssh ssh-keygen; do
	if [ ! -x "$B/$p" ]; then
		echo "run-local-sshd: $B/$p is missing: run make first" >&2
		exit 1
	fi
done
if [ -f "$DIR/sshd.pid" ]; then
	kill "$(cat "$DIR/sshd.pid")" 2>/dev/null || true
	i=0
	while [ $i -lt 50 ] && [ -f "$DIR/sshd.pid" ]; do
		sleep 0.1
		i=$((i + 1))
	done
fi
rm -rf "$DIR"
mkdir -m 755 "$DIR"
for t in ed25519 ecdsa rsa; do
	"$B/ssh-keygen" -q -t $t -N '' -C "keel host key" \
	    -f "$DIR/ssh_host_${t}_key"
done
"$B/ssh-keygen" -q -t ed25519 -N '' -C "keel demo login key" \
    -f "$DIR/id_ed25519"
cp "$DIR/id_ed25519.pub" "$DIR/authorized_keys"
chmod 644 "$DIR/authorized_keys"
cat >"$DIR/sshd_config" <<EOF
# Written by contrib/run-local-sshd.sh
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/ssh_host_ed25519_key
HostKey $DIR/ssh_host_ecdsa_key
HostKey $DIR/ssh_host_rsa_key
PidFile $DIR/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys $DIR/authorized_keys
# $DIR usually sits under /tmp, whose mode (1777) StrictModes refuses
# for a key file's parent directories.
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp $B/sftp-server
EOF
if [ -r "$B/contrib/moduli" ]; then
	echo "ModuliFile $B/contrib/moduli" >>"$DIR/sshd_config"
elif [ -r "$(dirname "$0")/moduli" ]; then
	echo "ModuliFile $(cd "$(dirname "$0")" && pwd)/moduli" \
	    >>"$DIR/sshd_config"
fi
"$B/sshd" -f "$DIR/sshd_config" -E "$DIR/sshd.log"
i=0
while [ $i -lt 50 ] && [ ! -s "$DIR/sshd.pid" ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$DIR/sshd.pid" ]; then
	echo "run-local-sshd: sshd did not start; see $DIR/sshd.log" >&2
	cat "$DIR/sshd.log" >&2
	exit 1
fi
USER_NAME=$(id -un)
LOGIN="$B/ssh -i $DIR/id_ed25519 -o UserKnownHostsFile=$DIR/known_hosts -o StrictHostKeyChecking=accept-new -p $PORT $USER_NAME@127.0.0.1"
echo "sshd (pid $(cat "$DIR/sshd.pid")) is listening on 127.0.0.1 port $PORT;"
echo "its config, keys and log ($DIR/sshd.log) are in $DIR."
echo "A first login, running 'id' on the server:"
$LOGIN -q id
echo
echo "Log in with:"
echo "    $LOGIN"
echo "(or OpenSSH's ssh with the same options). Stop the server with:"
echo "    kill \$(cat $DIR/sshd.pid)"
