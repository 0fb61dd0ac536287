# regress/lib/ssh-lib.sh: an OpenSSH sshd for the ssh client tests
# (regress/ssh-*.sh).  Sourced after test-lib.sh.
#
#   sshlib_start [extra sshd_config lines, which win over the defaults]
#       Debian's sshd in the foreground on a free port of 127.0.0.1 with
#       an ed25519 host key ($T/hostkey), pubkey and password logins,
#       AuthorizedKeysFile $T/authorized_keys and a banner; sets $PORT
#       and $SSHD_PID.  Returns 1 (after a fail line) if it did not come up.
#       As a normal user sshd runs unprivileged (as OpenSSH's own tests
#       do), logins only as that user; it still needs /run/sshd, which
#       only root can create: then a skip line and 1.
#   sshlib_probe NAME ARGS...   one login with our ssh (ARGS: options);
#       as a normal user whose login sshd refuses (a locked account...)
#       a skip line and 1, as root a fail line and 1
#   sshlib_stop       stop it (by its PID)
#   run_ssh ARGS...   our ssh, no terminal (setsid), bounded by timeout,
#                     with a private config: known hosts in $T/kh
#   expect_rc NAME RC CMD...   pass if CMD exits with RC
#   grep_file NAME PATTERN FILE  pass if FILE has a line with PATTERN

SSHD_PID=""
PORT=""
SSHLIB_PIDS=""
made_privsep=""

sshlib_track() {
	SSHLIB_PIDS="$SSHLIB_PIDS $1"
}

sshlib_cleanup() {
	sshlib_stop
	for p in $SSHLIB_PIDS; do
		kill "$p" 2>/dev/null
	done
	[ -n "$made_privsep" ] && rmdir /run/sshd 2>/dev/null
	rm -rf "$T"
}
trap sshlib_cleanup EXIT

# wait_port PORT PID: 0 once 127.0.0.1:PORT accepts (at most 5 s).
wait_port() {
	i=0
	while [ $i -lt 50 ]; do
		if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; then
			return 0
		fi
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

sshlib_start() {
	if [ ! -d /run/sshd ]; then
		if [ "$(id -u)" != 0 ]; then
			skip "$TESTNAME" "sshd needs /run/sshd (only root can make it)"
			return 1
		fi
		mkdir -m 0755 /run/sshd && made_privsep=1
	fi
	[ -f "$T/hostkey" ] ||
	    "$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/hostkey" </dev/null
	[ -f "$T/authorized_keys" ] || : >"$T/authorized_keys"
	echo "Keel test banner" >"$T/banner"
	PORT=$(free_port)
	# The extra lines first: sshd keeps the first value of a keyword.
	cat >"$T/sshd_config" <<EOF
$*
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/hostkey
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin yes
Banner $T/banner
Subsystem sftp $OSSH_SFTP_SERVER
LogLevel VERBOSE
EOF
	"$OSSH_SSHD" -D -e -f "$T/sshd_config" 2>>"$T/sshd.log" &
	SSHD_PID=$!
	if ! wait_port "$PORT" "$SSHD_PID"; then
		fail sshd-start "$(tail -n 5 "$T/sshd.log")"
		return 1
	fi
	return 0
}

sshlib_probe() {
	pn=$1
	shift
	if run_ssh "$@" true >"$T/probe.out" 2>&1 </dev/null; then
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		skip "$pn" "sshd refuses our login as $(id -un) (locked account?): $(tail -n 2 "$T/sshd.log" | tr '\n' ' ')"
	else
		fail "$pn" "$(tail -n 3 "$T/probe.out" | tr '\r\n' '  ')"
	fi
	return 1
}

sshlib_stop() {
	if [ -n "$SSHD_PID" ]; then
		kill "$SSHD_PID" 2>/dev/null
		i=0
		while kill -0 "$SSHD_PID" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		SSHD_PID=""
	fi
}

run_ssh() {
	setsid -w timeout 30 "$SSH" -F /dev/null \
	    -o UserKnownHostsFile="$T/kh" -o GlobalKnownHostsFile=/dev/null \
	    "$@"
}

expect_rc() {
	n=$1
	want=$2
	shift 2
	"$@" >"$T/rc.out" 2>&1 </dev/null
	got=$?
	if [ "$got" = "$want" ]; then
		pass "$n"
	else
		fail "$n" "exit $got, wanted $want: $(tail -n 3 "$T/rc.out" | tr '\r\n' '  ')"
	fi
}

grep_file() {
	if grep -q -e "$2" "$3" 2>/dev/null; then
		pass "$1"
	else
		fail "$1" "no \"$2\" in: $(tail -n 4 "$3" 2>/dev/null | tr '\r\n' '  ')"
	fi
}
