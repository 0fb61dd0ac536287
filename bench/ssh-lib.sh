# bench/ssh-lib.sh: what the ssh/sshd benchmarks share (sourced).
#
# Two servers on free ports of 127.0.0.1, each with the same temporary
# ed25519 host key and the same authorized user key: ours ($OBJ/sshd)
# and OpenSSH's (/usr/sbin/sshd).  Each pair is measured with its own
# client: our ssh against our sshd, OpenSSH's ssh against OpenSSH's
# sshd.  The user is whoever runs the script (root: the privilege
# separation user must exist, as Debian's openssh-server makes it), or
# $BENCH_USER when set: an existing account with a shell, which logs in
# with the same key (AuthorizedKeysFile points at our temporary file).
# OpenSSH serves a root login in one process and other users in two
# (privilege separation): BENCH_USER measures the usual case as root.
#
#   bl_init            check programs, make $W, keys and configs
#   bl_start           start both servers ($OUR_PID, $THEIR_PID)
#   bl_ssh WHO CMD [OPTIONS]  ours or theirs ssh runs CMD on its server
#   median FILE COLUMN
#
# Every server started here is stopped by its PID at exit.

set -u
: "${OBJ:?set OBJ to the build directory}"
OUR_SSH="$OBJ/ssh"
OUR_SSHD="$OBJ/sshd"
THEIR_SSH=/usr/bin/ssh
THEIR_SSHD=/usr/sbin/sshd
KEYGEN=/usr/bin/ssh-keygen
OUR_PID=""
THEIR_PID=""
BL_PIDS=""	# more processes to stop at exit (clients)
made_privsep=""
W=""

bl_cleanup() {
	for p in $BL_PIDS $OUR_PID $THEIR_PID; do
		kill "$p" 2>/dev/null
	done
	for p in $BL_PIDS $OUR_PID $THEIR_PID; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 30 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null
	done
	[ -n "$made_privsep" ] && rmdir /run/sshd 2>/dev/null
	[ -n "$W" ] && rm -rf "$W"
}

# median FILE COLUMN: the median of that column of FILE.
median() {
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2)
			print v[(NR + 1) / 2]
		else
			print (v[NR / 2] + v[NR / 2 + 1]) / 2
	}'
}

# ratio A B: A / B with two decimals (0 when B is 0).
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_port PORT PID: 0 once 127.0.0.1:PORT accepts (at most 10 s).
wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		if /usr/bin/python3 -c "import socket
socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; then
			return 0
		fi
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

bl_init() {
	for p in "$OUR_SSH" "$OUR_SSHD" "$THEIR_SSH" "$THEIR_SSHD" "$KEYGEN" \
	    /usr/bin/python3; do
		if [ ! -x "$p" ]; then
			echo "bench: $p missing" >&2
			exit 1
		fi
	done
	W=$(mktemp -d "${TMPDIR:-/tmp}/ssh-bench.XXXXXX") || exit 1
	chmod 755 "$W"
	trap bl_cleanup EXIT
	trap 'exit 1' INT TERM
	if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
		mkdir -m 0755 /run/sshd && made_privsep=1
	fi
	"$KEYGEN" -q -t ed25519 -N '' -f "$W/hostkey" </dev/null || exit 1
	"$KEYGEN" -q -t ed25519 -N '' -f "$W/id" </dev/null || exit 1
	cp "$W/id.pub" "$W/authorized_keys"
	chmod 644 "$W/authorized_keys"
	OUR_PORT=$(free_port)
	THEIR_PORT=$(free_port)
	bl_config "$OUR_PORT" >"$W/ours.conf"
	bl_config "$THEIR_PORT" >"$W/theirs.conf"
}

bl_config() {
	cat <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $W/hostkey
PidFile $W/sshd.$1.pid
AuthorizedKeysFile $W/authorized_keys
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin yes
LogLevel ERROR
EOF
}

# Both servers in the foreground (-D), logging to files in $W.
bl_start() {
	"$OUR_SSHD" -D -e -f "$W/ours.conf" 2>>"$W/ours.log" &
	OUR_PID=$!
	"$THEIR_SSHD" -D -e -f "$W/theirs.conf" 2>>"$W/theirs.log" &
	THEIR_PID=$!
	if ! wait_port "$OUR_PORT" "$OUR_PID"; then
		echo "bench: our sshd did not start:" >&2
		tail -n 5 "$W/ours.log" >&2
		exit 1
	fi
	if ! wait_port "$THEIR_PORT" "$THEIR_PID"; then
		echo "bench: OpenSSH's sshd did not start:" >&2
		tail -n 5 "$W/theirs.log" >&2
		exit 1
	fi
	# First contact: learn the host key, check that a login works.
	BL_TIMEOUT=30
	for who in ours theirs; do
		if ! bl_ssh "$who" true -o StrictHostKeyChecking=no \
		    </dev/null >/dev/null 2>"$W/first.err"; then
			echo "bench: $who: ssh to its sshd failed:" >&2
			tail -n 5 "$W/first.err" >&2
			exit 1
		fi
	done
	unset BL_TIMEOUT
}

# bl_ssh ours|theirs CMD [OPTIONS...]: that ssh runs CMD through that
# sshd, with our key and no config file, for at most BL_TIMEOUT seconds
# (default 300).  With BL_EXEC set, the shell becomes the client: run
# in the background, $! is then timeout's PID, and stopping timeout
# stops the ssh.
bl_ssh() {
	if [ "$1" = ours ]; then
		c=$OUR_SSH
		p=$OUR_PORT
	else
		c=$THEIR_SSH
		p=$THEIR_PORT
	fi
	cmd=$2
	shift 2
	set -- timeout "${BL_TIMEOUT:-300}" "$c" -F /dev/null -p "$p" \
	    -i "$W/id" -o IdentitiesOnly=yes -o BatchMode=yes \
	    -o UserKnownHostsFile="$W/known_hosts" \
	    -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR \
	    ${BENCH_USER:+-l "$BENCH_USER"} "$@" 127.0.0.1 "$cmd"
	if [ -n "${BL_EXEC:-}" ]; then
		exec "$@"
	fi
	"$@"
}
