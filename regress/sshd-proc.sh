#!/bin/sh
# regress/sshd-proc.sh: sshd's command line and process model.
#  - flags and messages: -t, -T (-C, -o, -p), a missing config file, no
#    host key, a relative program path, the ignored protocol-1 flags;
#  - a listener on a free port of 127.0.0.1 (-D -e, our own config in
#    $T): "Server listening" line, pid file written and removed;
#  - the pre-auth child while a raw client holds the connection: uid of
#    the privsep user, root directory PRIVSEP_PATH, seccomp mode 2 (from
#    /proc; root only; seccomp not in sanitizer builds);
#  - LoginGraceTime (-g), MaxStartups, SIGHUP restart, SIGTERM;
#  - a protocol-1 version line ("Protocol major versions differ") and
#    garbage instead of a version line;
#  - OpenSSH's ssh logging in with a key and running a command (once the
#    userauth and session parts are in).
. "$SRC/regress/lib/test-lib.sh"

PY=/usr/bin/python3
RAW="$SRC/regress/sshd-raw.py"
if [ ! -x "$SSHD" ]; then
	skip sshd-proc "sshd not built yet"
	exit 0
fi
if [ ! -x "$PY" ]; then
	skip sshd-proc "$PY missing"
	exit 0
fi

PS_USER=$(sed -n 's/^#define PRIVSEP_USER "\(.*\)"$/\1/p' "$OBJ/config.h")
PS_PATH=$(sed -n 's/^#define PRIVSEP_PATH "\(.*\)"$/\1/p' "$OBJ/config.h")
SANITIZER=$(sed -n 's/^#define SANITIZER_BUILD \([01]\)$/\1/p' "$OBJ/config.h")
IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1
ME=$(id -un)

if [ "$IS_ROOT" -eq 1 ]; then
	# sshd needs them (contrib/install-deps.sh makes them too).
	if ! getent passwd "$PS_USER" >/dev/null; then
		PATH="$PATH:/usr/sbin:/sbin" useradd --system --no-create-home \
		    --home-dir /run/sshd --shell /usr/sbin/nologin "$PS_USER" ||
		    fail privsep-user "useradd $PS_USER failed"
	fi
	[ -d "$PS_PATH" ] || mkdir -p "$PS_PATH"
fi

"$KEYGEN" -q -t ed25519 -N '' -f "$T/hk_ed25519" >/dev/null 2>&1 ||
    fail keygen "host key ed25519"
"$KEYGEN" -q -t ecdsa -N '' -f "$T/hk_ecdsa" >/dev/null 2>&1 ||
    fail keygen "host key ecdsa"
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/id_user" >/dev/null 2>&1 ||
    fail keygen "user key"
cp "$T/id_user.pub" "$T/authorized_keys"
chmod 600 "$T/authorized_keys"

PORT=$(free_port)
cat >"$T/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/hk_ed25519
HostKey $T/hk_ecdsa
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
LoginGraceTime 30
LogLevel VERBOSE
EOF
MODULI="$SRC/contrib/moduli"
[ -r "$MODULI" ] && echo "ModuliFile $MODULI" >>"$T/sshd_config"

# ------------------------------------------------------------ helpers

# wait_for FILE PATTERN [N]: up to N (default 50) tenths of a second.
wait_for() {
	i=0
	while [ "$i" -lt "${3:-50}" ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# count_lines FILE PATTERN
count_lines() {
	grep -c -- "$2" "$1" 2>/dev/null || true
}

SSHD_PIDS=""
stop_all() {
	for p in $SSHD_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $SSHD_PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ "$i" -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null
	done
	SSHD_PIDS=""
}
trap 'stop_all; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

# start_sshd LOG ARGS...: a -D -e listener; its pid in $STARTED.
start_sshd() {
	log=$1
	shift
	"$SSHD" -D -e -f "$T/sshd_config" "$@" 2>"$log" &
	STARTED=$!
	SSHD_PIDS="$SSHD_PIDS $STARTED"
	wait_for "$log" "Server listening on" 100
}

children_of() {
	ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' '
}

# ------------------------------------------------------------ flags

if "$SSHD" -t -f "$T/sshd_config" >"$T/t.out" 2>&1; then
	pass t-ok
else
	fail t-ok "sshd -t: $(cat "$T/t.out")"
fi

"$SSHD" -t -f "$T/nonexistent_config" >"$T/t.out" 2>&1
rc=$?
if [ "$rc" -eq 255 ] &&
    grep -q "nonexistent_config: No such file or directory" "$T/t.out"; then
	pass t-no-config
else
	fail t-no-config "rc $rc: $(cat "$T/t.out")"
fi

printf 'Port %s\nHostKey %s/none\n' "$PORT" "$T" >"$T/nokey_config"
"$SSHD" -t -f "$T/nokey_config" >"$T/t.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] &&
    grep -q "sshd: no hostkeys available -- exiting." "$T/t.out" &&
    grep -q "Unable to load host key: $T/none" "$T/t.out"; then
	pass t-no-hostkey
else
	fail t-no-hostkey "rc $rc: $(cat "$T/t.out")"
fi

printf 'Port %s\nHostKey %s/hk_ed25519\nNoSuchKeyword yes\n' "$PORT" "$T" \
    >"$T/bad_config"
"$SSHD" -t -f "$T/bad_config" >"$T/t.out" 2>&1
rc=$?
if [ "$rc" -eq 255 ] &&
    grep -q "line 3: Bad configuration option: NoSuchKeyword" "$T/t.out"; then
	pass t-bad-keyword
else
	fail t-bad-keyword "rc $rc: $(cat "$T/t.out")"
fi

# -h adds a host key, -p replaces the file's ports, -o and -g set options.
"$SSHD" -T -f "$T/nokey_config" -h "$T/hk_ed25519" -p 4242 -p 4243 \
    -o "MaxAuthTries 3" -g 17 >"$T/T.out" 2>"$T/T.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -qx "port 4242" "$T/T.out" &&
    grep -qx "port 4243" "$T/T.out" && ! grep -qx "port $PORT" "$T/T.out" &&
    grep -qx "maxauthtries 3" "$T/T.out" &&
    grep -qx "logingracetime 17" "$T/T.out" &&
    grep -qx "hostkey $T/hk_ed25519" "$T/T.out"; then
	pass T-dump
else
	fail T-dump "rc $rc: $(cat "$T/T.err") $(head -5 "$T/T.out")"
fi

cp "$T/sshd_config" "$T/match_config"
printf 'Match User special\n\tMaxAuthTries 2\n' >>"$T/match_config"
"$SSHD" -T -f "$T/match_config" -C user=special,addr=127.0.0.1,lport=22 \
    >"$T/T.out" 2>&1 && grep -qx "maxauthtries 2" "$T/T.out" &&
    "$SSHD" -T -f "$T/match_config" -C user=other,addr=127.0.0.1 \
    >"$T/T2.out" 2>&1 && grep -qx "maxauthtries 6" "$T/T2.out"
if [ $? -eq 0 ]; then
	pass T-match
else
	fail T-match "$(head -3 "$T/T.out") / $(head -3 "$T/T2.out")"
fi

"$SSHD" -t -f "$T/sshd_config" -p 0 >"$T/t.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q "Bad port number." "$T/t.out"; then
	pass t-bad-port
else
	fail t-bad-port "rc $rc: $(cat "$T/t.out")"
fi

"$SSHD" -t -f "$T/sshd_config" -o "NoSuchOption yes" >"$T/t.out" 2>&1
rc=$?
if [ "$rc" -eq 255 ] &&
    grep -q "command-line: line 0: Bad configuration option: NoSuchOption" \
    "$T/t.out"; then
	pass t-bad-o
else
	fail t-bad-o "rc $rc: $(cat "$T/t.out")"
fi

"$SSHD" -t -f "$T/sshd_config" -b 768 -k 3600 >"$T/t.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q "protocol 1 is not supported" "$T/t.out"; then
	pass t-obsolete-flags
else
	fail t-obsolete-flags "rc $rc: $(cat "$T/t.out")"
fi

(cd "$OBJ" && ./sshd -D -f "$T/sshd_config") >"$T/t.out" 2>&1
rc=$?
if [ "$rc" -eq 255 ] && grep -q \
    "sshd re-exec requires execution with an absolute path" "$T/t.out"; then
	pass relative-path
else
	fail relative-path "rc $rc: $(cat "$T/t.out")"
fi

# ------------------------------------------------------------ listener

LOG="$T/sshd.log"
if ! start_sshd "$LOG"; then
	fail listen "no listening line: $(cat "$LOG")"
	exit 0
fi
MAIN=$STARTED
if grep -q "Server listening on 127.0.0.1 port $PORT." "$LOG"; then
	pass listen
else
	fail listen "$(cat "$LOG")"
fi
if wait_for "$T/sshd.pid" "^$MAIN\$"; then
	pass pidfile-written
else
	fail pidfile-written "pid file: $(cat "$T/sshd.pid" 2>&1), pid $MAIN"
fi

out=$("$PY" "$RAW" "$PORT" banner 2>&1)
case "$out" in
SSH-2.0-Keel_*) pass banner ;;
*) fail banner "$out" ;;
esac

# A protocol-1 client is told so.
out=$("$PY" "$RAW" "$PORT" send "5353482d312e352d746573740d0a" 2>&1)
case "$out" in
*"Protocol major versions differ"*) pass protocol-1 ;;
*) fail protocol-1 "$out" ;;
esac

# Garbage instead of a version line: closed, the listener lives on.
out=$("$PY" "$RAW" "$PORT" send \
    "474554202f20485454502f312e310d0a0d0a" 2>&1)
case "$out" in
timeout) fail garbage-version "connection not closed" ;;
*) pass garbage-version ;;
esac
long=$(printf '%0600d' 0 | sed 's/0/41/g')
out=$("$PY" "$RAW" "$PORT" send "$long" 2>&1)
case "$out" in
timeout) fail garbage-long-line "connection not closed" ;;
*) pass garbage-long-line ;;
esac
if kill -0 "$MAIN" 2>/dev/null; then
	pass listener-alive
else
	fail listener-alive "listener died: $(tail -5 "$LOG")"
fi

# ------------------------------------------------------------ /proc

"$PY" "$RAW" "$PORT" hold 10 >"$T/hold.out" 2>&1 &
HOLD=$!
if wait_for "$T/hold.out" "^held"; then
	MON=$(children_of "$MAIN" | head -n 1)
	PRE=""
	[ -n "$MON" ] && PRE=$(children_of "$MON" | head -n 1)
	if [ -z "$PRE" ]; then
		fail preauth-found "monitor '$MON' has no child"
	elif [ "$IS_ROOT" -ne 1 ]; then
		skip preauth-uid "not root: no privsep user to drop to"
		skip preauth-root "not root: no chroot"
	else
		PS_UID=$(id -u "$PS_USER")
		uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' \
		    "/proc/$PRE/status")
		if [ "$uids" = "$PS_UID $PS_UID $PS_UID $PS_UID" ]; then
			pass preauth-uid
		else
			fail preauth-uid "Uid '$uids', want $PS_UID"
		fi
		root=$(readlink "/proc/$PRE/root")
		if [ "$root" = "$PS_PATH" ]; then
			pass preauth-root
		else
			fail preauth-root "root '$root', want $PS_PATH"
		fi
		muid=$(awk '/^Uid:/ { print $2 }' "/proc/$MON/status")
		if [ "$muid" = 0 ]; then
			pass monitor-root
		else
			fail monitor-root "monitor uid $muid"
		fi
	fi
	if [ -n "$PRE" ]; then
		titles="$(ps -o args= -p "$MAIN") / $(ps -o args= -p "$MON")"
		titles="$titles / $(ps -o args= -p "$PRE")"
		case "$titles" in
		*"[listener] 1 of 10-100 startups / sshd: 127.0.0.1 [priv] / sshd: 127.0.0.1 [net]")
			pass proc-titles ;;
		*)	fail proc-titles "$titles" ;;
		esac
		sc=$(awk '/^Seccomp:/ { print $2 }' "/proc/$PRE/status")
		if [ "$SANITIZER" = 1 ]; then
			skip preauth-seccomp "sanitizer build: null sandbox"
		elif [ "$sc" = 2 ]; then
			pass preauth-seccomp
		else
			fail preauth-seccomp "Seccomp '$sc', want 2"
		fi
	fi
else
	fail preauth-found "raw client: $(cat "$T/hold.out")"
fi
kill "$HOLD" 2>/dev/null
wait "$HOLD" 2>/dev/null

# ------------------------------------------------------------ login

SSHOPTS="-F /dev/null -o UserKnownHostsFile=$T/known_hosts
    -o StrictHostKeyChecking=accept-new -o BatchMode=yes
    -o IdentitiesOnly=yes -o IdentityFile=$T/id_user -o ConnectTimeout=10"
# shellcheck disable=SC2086
timeout 30 "$OSSH_SSH" $SSHOPTS -p "$PORT" "$ME@127.0.0.1" \
    'echo hello-$USER; exit 3' \
    >"$T/ssh.out" 2>"$T/ssh.err" </dev/null
rc=$?
# Not root: the account running the tests may be one that cannot log in.
NOLOGIN=""
if [ "$IS_ROOT" -ne 1 ] && grep -q "User $ME not allowed because" "$LOG"
then
	NOLOGIN="not root, and $(grep -m 1 "User $ME not allowed" "$LOG")"
fi
if [ -n "$NOLOGIN" ]; then
	skip ossh-login-exec "$NOLOGIN"
elif [ "$rc" -eq 3 ] && grep -qx "hello-$ME" "$T/ssh.out"; then
	pass ossh-login-exec
elif grep -q "Accepted publickey for $ME" "$LOG"; then
	fail ossh-login-exec "authenticated, but rc $rc: $(cat "$T/ssh.out") $(tail -3 "$T/ssh.err")"
else
	fail ossh-login-exec "rc $rc: $(tail -3 "$T/ssh.err") / $(tail -5 "$LOG")"
fi

# Group exchange from ModuliFile, read by the monitor for the sandboxed
# child (which cannot open it).
if [ -n "$NOLOGIN" ]; then
	skip ossh-login-gex "$NOLOGIN"
elif [ -r "$MODULI" ]; then
	# shellcheck disable=SC2086
	out=$(timeout 30 "$OSSH_SSH" $SSHOPTS -p "$PORT" \
	    -o KexAlgorithms=diffie-hellman-group-exchange-sha256 \
	    "$ME@127.0.0.1" 'echo gex-ok' 2>"$T/ssh.err" </dev/null)
	if [ "$out" = gex-ok ]; then
		pass ossh-login-gex
	else
		fail ossh-login-gex "$out $(tail -3 "$T/ssh.err")"
	fi
else
	skip ossh-login-gex "no $MODULI"
fi

# -i: the connection on stdin/stdout (inetd).
# shellcheck disable=SC2086
out=$(timeout 30 "$OSSH_SSH" $SSHOPTS -o HostKeyAlias=keel-inetd \
    -o "ProxyCommand=$SSHD -i -f $T/sshd_config" "$ME@inetd" \
    'echo inetd-ok' 2>"$T/ssh.err" </dev/null)
if [ -n "$NOLOGIN" ]; then
	skip inetd "$NOLOGIN"
elif [ "$out" = inetd-ok ]; then
	pass inetd
else
	fail inetd "$out $(tail -3 "$T/ssh.err")"
fi

# -d: one connection, served in the foreground, then exit.
PORT3=$(free_port)
"$SSHD" -d -f "$T/sshd_config" -p "$PORT3" >"$T/sshd-d.log" 2>&1 &
DPID=$!
SSHD_PIDS="$SSHD_PIDS $DPID"
if wait_for "$T/sshd-d.log" "Server listening on" 100; then
	# shellcheck disable=SC2086
	out=$(timeout 30 "$OSSH_SSH" $SSHOPTS -p "$PORT3" "$ME@127.0.0.1" \
	    'echo debug-ok' 2>"$T/ssh.err" </dev/null)
	i=0
	while kill -0 "$DPID" 2>/dev/null && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -n "$NOLOGIN" ]; then
		skip debug-mode "$NOLOGIN"
	elif [ "$out" != debug-ok ]; then
		fail debug-mode "$out $(tail -3 "$T/ssh.err")"
	elif kill -0 "$DPID" 2>/dev/null; then
		fail debug-mode "sshd -d still running after its connection"
	elif ! grep -q "^debug1: " "$T/sshd-d.log"; then
		fail debug-mode "no debug1 lines"
	else
		pass debug-mode
	fi
else
	fail debug-mode "$(cat "$T/sshd-d.log")"
fi

# ------------------------------------------------------------ SIGHUP

kill -HUP "$MAIN"
if wait_for "$LOG" "Received SIGHUP; restarting." &&
    [ "$(count_lines "$LOG" "Server listening on")" -ge 1 ] &&
    i=0 && while [ "$(count_lines "$LOG" "Server listening on")" -lt 2 ] &&
    [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done &&
    [ "$(count_lines "$LOG" "Server listening on")" -ge 2 ]; then
	out=$("$PY" "$RAW" "$PORT" banner 2>&1)
	case "$out" in
	SSH-2.0-Keel_*) pass sighup-restart ;;
	*) fail sighup-restart "after restart: $out" ;;
	esac
else
	fail sighup-restart "$(tail -5 "$LOG")"
fi
if kill -0 "$MAIN" 2>/dev/null && wait_for "$T/sshd.pid" "^$MAIN\$"; then
	pass sighup-same-pid
else
	fail sighup-same-pid "pid file $(cat "$T/sshd.pid" 2>&1)"
fi

# ------------------------------------------------------------ SIGTERM

kill -TERM "$MAIN"
i=0
while kill -0 "$MAIN" 2>/dev/null && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$MAIN" 2>/dev/null; then
	fail sigterm "still running"
elif [ -e "$T/sshd.pid" ]; then
	fail pidfile-removed "pid file left behind"
else
	pass sigterm
	pass pidfile-removed
fi
stop_all

# ------------------------------------------------------------ limits

# MaxStartups 2: a third unauthenticated connection is dropped; -g 2
# ends the held ones, which frees the slots again.
PORT2=$(free_port)
LOG2="$T/sshd2.log"
if ! start_sshd "$LOG2" -p "$PORT2" -o MaxStartups=2 -g 2 \
    -o PidFile=none; then
	fail limits-start "$(cat "$LOG2")"
	exit 0
fi
"$PY" "$RAW" "$PORT2" hold 15 >"$T/h1.out" 2>&1 &
H1=$!
"$PY" "$RAW" "$PORT2" hold 15 >"$T/h2.out" 2>&1 &
H2=$!
if wait_for "$T/h1.out" "^held" && wait_for "$T/h2.out" "^held"; then
	out=$("$PY" "$RAW" "$PORT2" eof 2>&1)
	if [ "$out" = eof ]; then
		pass maxstartups-drop
	else
		fail maxstartups-drop "third connection got: $out"
	fi
else
	fail maxstartups-drop "held clients: $(cat "$T/h1.out" "$T/h2.out")"
fi
wait "$H1" "$H2" 2>/dev/null
if grep -q "^closed after [1-5]$" "$T/h1.out" &&
    grep -q "Timeout before authentication for 127.0.0.1 port" "$LOG2"; then
	pass login-grace-time
else
	fail login-grace-time "$(cat "$T/h1.out") $(tail -3 "$LOG2")"
fi
sleep 0.3
out=$("$PY" "$RAW" "$PORT2" banner 2>&1)
case "$out" in
SSH-2.0-Keel_*) pass maxstartups-recover ;;
*) fail maxstartups-recover "$out" ;;
esac
stop_all

# A child killed by anything but us (SIGSYS: a system call the sandbox
# refused) is logged by its monitor.
if grep -q "child [0-9]* killed by signal" "$LOG" "$LOG2" 2>/dev/null; then
	fail children-not-killed "$(grep -h -m 3 "killed by signal" \
	    "$LOG" "$LOG2")"
else
	pass children-not-killed
fi

# Sanitizer builds: the daemons' own reports land in their logs.
if [ "$SANITIZER" != 1 ]; then
	skip sanitizer-clean "not a sanitizer build"
elif grep -q "Sanitizer\|runtime error:" "$LOG" "$LOG2" 2>/dev/null; then
	fail sanitizer-clean "$(grep -h -m 3 "Sanitizer\|runtime error:" \
	    "$LOG" "$LOG2")"
else
	pass sanitizer-clean
fi
exit 0
