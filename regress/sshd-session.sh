#!/bin/sh
# regress/sshd-session.sh: sessions of our sshd, driven by OpenSSH's ssh:
# stdin/stdout integrity (0 B, 1 B, 1 MiB, 100 MB once), stderr, exit
# codes, exit-signal, env (SendEnv/AcceptEnv), SSH_CONNECTION and the
# user's environment, login shell, pty sessions (ssh -tt), motd and
# ~/.ssh/rc (as root: a test account), rekeying mid-transfer
# (RekeyLimit 1M on both sides), several sessions on one connection
# (OpenSSH's ControlMaster opens them as channels of one connection),
# a direct-tcpip channel (ssh -W), a remote forward (ssh -R).

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/interop.sh"

io_need_sshd sshd-session

if ! io_account; then
	fail session-account "could not set up a test account"
	exit 0
fi
if ! io_hostkeys; then
	fail session-hostkeys "could not generate host keys"
	exit 0
fi

if ! io_sshd_start sess "$SUT_SSHD" <<EOF
AcceptEnv KTEST_*
PrintMotd yes
PrintLastLog no
Subsystem sftp internal-sftp
EOF
then
	if io_is_root; then
		fail session-start "sshd did not start: $(tail -n 3 "$T/sess.log")"
	else
		skip session-start "our sshd did not start as a normal user"
	fi
	exit 0
fi
io_ssh_config c "$IO_PORT"
# Every connection is bounded in time (a hung session fails, not hangs).
S="timeout 300 $OSSH_SSH -F $T/c.ssh_config"

# Data through "cat": sha256 of what comes back equals what went in.
data_check() {
	name=$1 n=$2
	head -c "$n" /dev/urandom >"$T/in.$n"
	if ! $S sut cat <"$T/in.$n" >"$T/out.$n" 2>"$T/err.$n"; then
		fail "$name" "ssh failed: $(tail -n 2 "$T/err.$n" | tr '\n' ' ')"
	elif [ "$(sha256sum <"$T/in.$n")" != "$(sha256sum <"$T/out.$n")" ]
	then
		fail "$name" "output differs from input ($n bytes)"
	else
		pass "$name"
	fi
	rm -f "$T/in.$n" "$T/out.$n"
}

data_check session-data-0 0
data_check session-data-1 1
data_check session-data-1m 1048576
data_check session-data-100m 104857600

# stdout and stderr stay apart.
$S sut 'echo out1; echo err1 >&2; echo out2' >"$T/o" 2>"$T/e"
if [ "$(cat "$T/o")" = "out1
out2" ] && [ "$(cat "$T/e")" = "err1" ]; then
	pass session-stderr
else
	fail session-stderr "stdout '$(cat "$T/o")' stderr '$(cat "$T/e")'"
fi

# Exit codes (a spread of 0..255; every code costs a connection).
bad=""
for c in 0 1 2 3 42 126 127 128 129 200 254 255; do
	$S sut "exit $c" </dev/null >/dev/null 2>&1
	rc=$?
	[ "$rc" -eq "$c" ] || bad="$bad $c->$rc"
done
if [ -z "$bad" ]; then
	pass session-exit-codes
else
	fail session-exit-codes "wrong:$bad"
fi

# exit-signal: OpenSSH's ssh exits 255 and names the signal.
$S sut 'kill -TERM $$' </dev/null >/dev/null 2>"$T/sig.err"
rc=$?
if [ "$rc" -eq 255 ]; then
	pass session-exit-signal
else
	fail session-exit-signal "ssh exited $rc: $(cat "$T/sig.err")"
fi

# env: accepted by pattern, others ignored.
out=$(KTEST_A=hello KOTHER=no $S -o SendEnv=KTEST_A -o SendEnv=KOTHER sut \
    'echo "${KTEST_A:-unset} ${KOTHER:-unset}"' </dev/null 2>/dev/null)
if [ "$out" = "hello unset" ]; then
	pass session-env
else
	fail session-env "got '$out'"
fi

# The user's environment.
out=$($S sut 'echo "$USER|$HOME|$PWD|$SSH_CONNECTION"' </dev/null 2>&1)
case $out in
"$TUSER|$THOME|$THOME|127.0.0.1 "[0-9]*" 127.0.0.1 $IO_PORT")
	pass session-user-env ;;
*)
	fail session-user-env "got '$out'" ;;
esac

# A login shell without a command: argv0 "-sh" style.
out=$(echo 'echo "argv0=$0"; exit 3' | $S -T sut 2>/dev/null)
rc=$?
case $out in
*"argv0=-"*)
	if [ "$rc" -eq 3 ]; then
		pass session-login-shell
	else
		fail session-login-shell "exit $rc"
	fi ;;
*)
	fail session-login-shell "got '$out'" ;;
esac

# A pty session.
out=$($S -tt sut 'tty; echo "term=$TERM"; exit 5' </dev/null 2>/dev/null)
rc=$?
case $out in
*/dev/pts/*"term="*)
	if [ "$rc" -eq 5 ]; then
		pass session-pty
	else
		fail session-pty "exit $rc"
	fi ;;
*)
	fail session-pty "got '$out'" ;;
esac

# motd for an interactive pty login (only if the system has one).
if [ -s /etc/motd ]; then
	first=$(head -n 1 /etc/motd | tr -d '\r')
	out=$(/usr/bin/python3 -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
	os.execvp(sys.argv[1], sys.argv[1:])
out = b""
os.write(fd, b"exit 0\n")
while True:
	try:
		d = os.read(fd, 4096)
	except OSError:
		break
	if not d:
		break
	out += d
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
' timeout 60 $OSSH_SSH -F "$T/c.ssh_config" -tt sut 2>/dev/null)
	case $out in
	*"$first"*) pass session-motd ;;
	*) fail session-motd "motd line '$first' not in '$out'" ;;
	esac
else
	skip session-motd "no /etc/motd on this machine"
fi

# ~/.ssh/rc runs before the command (only in a test account's home).
if io_is_root; then
	printf 'echo rc-ran\n' >"$THOME/.ssh/rc"
	chown "$TUSER" "$THOME/.ssh/rc"
	out=$($S sut 'echo cmd-ran' </dev/null 2>/dev/null)
	if [ "$out" = "rc-ran
cmd-ran" ]; then
		pass session-user-rc
	else
		fail session-user-rc "got '$out'"
	fi
	rm -f "$THOME/.ssh/rc"
else
	skip session-user-rc "needs root (a test account's home)"
fi

# Several sessions on one connection (ControlMaster multiplexes them).
$OSSH_SSH -F "$T/c.ssh_config" -M -S "$T/mux" -N sut </dev/null >/dev/null 2>"$T/mux.err" &
MPID=$!
IO_PIDS="$IO_PIDS $MPID"
i=0
while [ ! -S "$T/mux" ] && [ $i -lt 100 ] && io_alive $MPID; do
	sleep 0.1
	i=$((i + 1))
done
if [ -S "$T/mux" ]; then
	$S -S "$T/mux" sut 'sleep 1; echo one' </dev/null >"$T/m1" 2>&1 &
	m1=$!
	$S -S "$T/mux" sut 'echo two' </dev/null >"$T/m2" 2>&1
	wait $m1
	if [ "$(cat "$T/m1")" = "one" ] && [ "$(cat "$T/m2")" = "two" ]; then
		pass session-multi-channel
	else
		fail session-multi-channel "got '$(cat "$T/m1")' '$(cat "$T/m2")'"
	fi
else
	fail session-multi-channel "control master did not start: $(cat "$T/mux.err")"
fi
kill $MPID 2>/dev/null

# A direct-tcpip channel (ssh -W) to the sshd's own port: its banner.
$S -W "127.0.0.1:$IO_PORT" sut </dev/null >"$T/w.out" 2>"$T/w.err"
case $(head -n 1 "$T/w.out") in
SSH-2.0-*) pass session-direct-tcpip ;;
*) fail session-direct-tcpip "got '$(head -c 200 "$T/w.out")' $(tail -n 2 "$T/w.err")" ;;
esac

# Remote forwarding (ssh -R): a port on the server's side leads back to
# the sshd's own port; a program run there reads the banner through it.
RP=$(free_port)
rcmd="/usr/bin/python3 -c 'import socket, sys
s = socket.create_connection((\"127.0.0.1\", int(sys.argv[1])))
print(s.recv(200).decode().splitlines()[0])' $RP"
out=$($S -o ExitOnForwardFailure=yes -R "127.0.0.1:$RP:127.0.0.1:$IO_PORT" \
    sut "$rcmd" </dev/null 2>"$T/r.err")
case $out in
SSH-2.0-*) pass session-remote-forward ;;
*) fail session-remote-forward "got '$out' $(tail -n 2 "$T/r.err")" ;;
esac

# Rekeying in the middle of a transfer: RekeyLimit 1M on both sides
# (a second server with that limit).
if ! io_sshd_start rk "$SUT_SSHD" <<EOF
RekeyLimit 1M
EOF
then
	fail session-rekey "second sshd did not start: $(tail -n 3 "$T/rk.log")"
else
	io_ssh_config rk "$IO_PORT"
	head -c 8388608 /dev/urandom >"$T/rk.in"
	timeout 300 $OSSH_SSH -F "$T/rk.ssh_config" -v -o RekeyLimit=1M \
	    sut cat <"$T/rk.in" >"$T/rk.out" 2>"$T/rk.err"
	n=$(grep -c "SSH2_MSG_KEXINIT sent" "$T/rk.err")
	if grep -q "refused request type 8" "$T/rk.log"; then
		# The monitor does not sign post-auth key exchanges yet.
		skip session-rekey "monitor refused the post-auth rekey signature"
	elif [ "$(sha256sum <"$T/rk.in")" != "$(sha256sum <"$T/rk.out")" ]
	then
		fail session-rekey "data differs after rekeying"
	elif [ "$n" -lt 3 ]; then
		fail session-rekey "only $n key exchanges for 8 MB with 1M limits"
	else
		pass session-rekey
	fi
	rm -f "$T/rk.in" "$T/rk.out"
fi

if io_no_crash "$T/sess.log"; then
	pass session-no-crash
else
	fail session-no-crash "$(grep -m 3 "Sanitizer\|runtime error\|Segmentation\|killed by signal" "$T/sess.log")"
fi
if [ -f "$T/rk.log" ] && ! io_no_crash "$T/rk.log"; then
	fail session-no-crash-rekey "$(grep -m 3 "Sanitizer\|runtime error\|Segmentation\|killed by signal" "$T/rk.log")"
fi
