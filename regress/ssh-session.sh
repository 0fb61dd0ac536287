#!/bin/sh
# shellcheck disable=SC2086,SC1091,SC2016
# regress/ssh-session.sh: our ssh's session loop (clientloop.c) against
# Debian's OpenSSH sshd on a free loopback port (regress/lib/ssh-lib.sh):
# remote exit codes, stdout/stderr apart, 0 B / 1 MiB / 100 MB integrity
# (sha256) in both directions, exit-signal -> 255, SendEnv/SetEnv with
# AcceptEnv, -N ended by signals (status compared with OpenSSH's ssh),
# and a pty session on a pseudo-terminal driven by a python helper:
# local raw mode, terminal modes and TERM sent, window-change on resize,
# ~? help, ~. with its message and status 255, and the local terminal
# settings restored afterwards; then, in a job-control shell under tmux,
# ~^Z (terminal restored while stopped), fg, and ~. again.

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/ssh-lib.sh"

for p in "$OSSH_SSHD" "$OSSH_KEYGEN" "$SSH" /usr/bin/python3; do
	if [ ! -x "$p" ]; then
		skip ssh-session "$p not there"
		exit 0
	fi
done

"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/id_ed" </dev/null
cp "$T/id_ed.pub" "$T/authorized_keys"
sshlib_start "AcceptEnv LC_KEEL_*
Banner none
PrintMotd no
PrintLastLog no" || exit 0
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cat "$T/hostkey.pub")" >"$T/kh"
user=$(id -un)
H=127.0.0.1
KOPTS="-i $T/id_ed -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -p $PORT"

sshlib_probe ssh-session-login $KOPTS "$user@$H" || exit 0

# s ARGS...: our ssh to the test sshd, no terminal.
s() {
	run_ssh $KOPTS "$@"
}

# --- exit codes and stderr
expect_rc ssh-session-exit-0 0 s "$user@$H" true
expect_rc ssh-session-exit-7 7 s "$user@$H" 'exit 7'
expect_rc ssh-session-exit-255-remote 255 s "$user@$H" 'exit 255'
expect_rc ssh-session-exit-signal 255 s "$user@$H" 'kill -TERM $$'
s "$user@$H" 'echo out1; echo err1 >&2; echo out2; exit 3' \
    >"$T/se.out" 2>"$T/se.err" </dev/null
rc=$?
if [ $rc = 3 ] && [ "$(cat "$T/se.out")" = "$(printf 'out1\nout2')" ] &&
    [ "$(cat "$T/se.err")" = "err1" ]; then
	pass ssh-session-stderr-apart
else
	fail ssh-session-stderr-apart "rc $rc out [$(cat "$T/se.out")] err [$(cat "$T/se.err")]"
fi
# A remote killed by a signal: no message from ssh (as OpenSSH).
s "$user@$H" 'kill -KILL $$' >"$T/sig.out" 2>"$T/sig.err" </dev/null
rc=$?
if [ $rc = 255 ] && [ ! -s "$T/sig.err" ]; then
	pass ssh-session-exit-signal-quiet
else
	fail ssh-session-exit-signal-quiet "rc $rc: $(cat "$T/sig.err")"
fi

# --- integrity, both directions
: >"$T/d0"
head -c 1048576 /dev/urandom >"$T/d1"
head -c 100000000 /dev/urandom >"$T/d100"
for d in d0 d1 d100; do
	want=$(sha256sum <"$T/$d" | cut -d' ' -f1)
	got=$(s "$user@$H" sha256sum <"$T/$d" | cut -d' ' -f1)
	if [ "$got" = "$want" ]; then
		pass "ssh-session-upload-$d"
	else
		fail "ssh-session-upload-$d" "sha256 $got, wanted $want"
	fi
	got=$(s "$user@$H" "cat $T/$d" </dev/null | sha256sum | cut -d' ' -f1)
	if [ "$got" = "$want" ]; then
		pass "ssh-session-download-$d"
	else
		fail "ssh-session-download-$d" "sha256 $got, wanted $want"
	fi
done
rm -f "$T/d100"
# Both ways at once through cat, with stdin EOF ending it.
got=$(s "$user@$H" cat <"$T/d1" | sha256sum | cut -d' ' -f1)
want=$(sha256sum <"$T/d1" | cut -d' ' -f1)
if [ "$got" = "$want" ]; then
	pass ssh-session-echo-1m
else
	fail ssh-session-echo-1m "sha256 $got, wanted $want"
fi
# -n: stdin is not read.
got=$(echo nope | s -n "$user@$H" 'cat; echo end')
if [ "$got" = "end" ]; then
	pass ssh-session-stdin-null
else
	fail ssh-session-stdin-null "got [$got]"
fi

# --- environment
got=$(LC_KEEL_A=one LC_OTHER_KEEL=no s -o SendEnv=LC_KEEL_A \
    -o SendEnv=LC_OTHER_KEEL -o SetEnv=LC_KEEL_B=two "$user@$H" \
    'echo "$LC_KEEL_A $LC_KEEL_B ${LC_OTHER_KEEL-unset}"' </dev/null)
if [ "$got" = "one two unset" ]; then
	pass ssh-session-env
else
	fail ssh-session-env "got [$got]"
fi

# --- -N until a signal; the status must be OpenSSH's for the same signal.
# nsig SSH SIGNAL: start SSH -N, send SIGNAL once logged in, print status.
nsig() {
	base=$(grep -c "Accepted publickey" "$T/sshd.log")
	"$1" -F /dev/null -o UserKnownHostsFile="$T/kh" \
	    -o GlobalKnownHostsFile=/dev/null $KOPTS -N "$user@$H" \
	    </dev/null >"$T/n.out" 2>"$T/n.err" &
	np=$!
	sshlib_track "$np"
	i=0
	# Logged in once sshd says so (LogLevel VERBOSE) for this process.
	while [ $i -lt 50 ]; do
		n=$(grep -c "Accepted publickey" "$T/sshd.log")
		[ "$n" -gt "$base" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	# Then the session loop (and its signal handlers) starts.
	sleep 0.5
	kill "-$2" "$np"
	i=0
	while kill -0 "$np" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$np" 2>/dev/null
	wait "$np"
	echo $?
}
for sig in TERM HUP; do
	ours=$(nsig "$SSH" $sig)
	theirs=$(nsig "$OSSH_SSH" $sig)
	if [ "$ours" = "$theirs" ] && [ "$ours" != 137 ]; then
		pass "ssh-session-N-$sig"
	else
		fail "ssh-session-N-$sig" "exit $ours, OpenSSH's ssh $theirs"
	fi
done

# --- a pty session on a pseudo-terminal
# An unprivileged OpenSSH sshd cannot set up a pty where devpts does not
# put new ttys in group tty (it must chown them and may not): then the
# pty checks cannot run here.
if [ "$(id -u)" != 0 ] &&
    ! s -tt "$user@$H" true </dev/null >/dev/null 2>"$T/ptyprobe"
then
	skip ssh-session-pty "the unprivileged test sshd gives no pty here:" \
	    "$(tr '\r\n' '  ' <"$T/ptyprobe")"
	exit 0
fi
cat >"$T/pty.py" <<'EOF'
# Run an ssh command line on a new pseudo-terminal (its controlling tty,
# 24x80, erase ^H), drive the remote shell, print pass/fail lines.
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time


def setsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Term:
    def __init__(self, argv, env):
        self.m, self.s = os.openpty()
        setsize(self.s, 24, 80)
        a = termios.tcgetattr(self.s)
        a[6][termios.VERASE] = b"\x08"
        termios.tcsetattr(self.s, termios.TCSANOW, a)
        self.before = termios.tcgetattr(self.s)
        self.buf = b""
        self.p = subprocess.Popen(
            argv, stdin=self.s, stdout=self.s, stderr=self.s, env=env,
            start_new_session=True, close_fds=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))

    def expect(self, pat, timeout=10):
        end = time.time() + timeout
        while pat not in self.buf:
            left = end - time.time()
            if left <= 0:
                return False
            r, _, _ = select.select([self.m], [], [], left)
            if r:
                try:
                    d = os.read(self.m, 4096)
                except OSError:
                    return False
                if not d:
                    return False
                self.buf += d
        return True

    def send(self, b):
        os.write(self.m, b)

    # A shell command, then a marker the remote shell computes (so the
    # echo of the typed line does not match it).
    def run(self, cmd, n):
        self.buf = b""
        self.send(cmd.encode() + b"; echo M_$((%d+1))\r" % n)
        ok = self.expect(b"M_%d" % (n + 1))
        return ok, self.buf


def report(ok, name, why=""):
    if ok:
        print("pass " + name)
    else:
        print("fail %s %s" % (name, why.replace("\n", " ")[-300:]))
    sys.stdout.flush()


def main():
    host = sys.argv[1]
    env = dict(os.environ)
    env["TERM"] = "vt100"
    t = Term(sys.argv[2:], env)
    ok, out = t.run("echo hello", 41)
    report(ok, "pty-login", repr(out))
    if not ok:
        t.p.kill()
        t.p.wait()
        return
    now = termios.tcgetattr(t.s)
    raw = not (now[3] & (termios.ECHO | termios.ICANON | termios.ISIG)) \
        and not (now[1] & termios.OPOST)
    report(raw, "pty-local-raw", "lflag %o oflag %o" % (now[3], now[1]))
    ok, out = t.run("stty -a", 50)
    # The modes of our terminal before raw mode: erase ^H, cooked.
    cooked = all(w in out.split() for w in [b"icanon", b"echo", b"isig",
                                             b"opost", b"icrnl"])
    report(ok and b"erase = ^H" in out and cooked, "pty-modes", repr(out))
    ok, out = t.run("stty size", 60)
    report(ok and b"24 80" in out, "pty-size", repr(out))
    setsize(t.s, 40, 100)
    time.sleep(0.5)
    ok, out = t.run("stty size", 70)
    report(ok and b"40 100" in out, "pty-window-change", repr(out))
    ok, out = t.run("echo T_$TERM; tty", 80)
    report(ok and b"T_vt100" in out and b"/dev/pts/" in out, "pty-term",
           repr(out))
    t.buf = b""
    t.send(b"\r~?")
    ok = t.expect(b"escapes are only recognized")
    report(ok and b"Supported escape sequences" in t.buf, "escape-help",
           repr(t.buf))
    t.buf = b""
    t.send(b"\r~.")
    ok = t.expect(b"Connection to %s closed." % host.encode())
    report(ok, "escape-disconnect-message", repr(t.buf))
    try:
        rc = t.p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        t.p.kill()
        rc = t.p.wait()
    report(rc == 255, "escape-disconnect-status", "exit %d" % rc)
    after = termios.tcgetattr(t.s)
    report(after == t.before, "tty-restored",
           "before %r after %r" % (t.before[:4], after[:4]))


main()
EOF
timeout 60 /usr/bin/python3 "$T/pty.py" "$H" "$SSH" -F /dev/null \
    -o UserKnownHostsFile="$T/kh" -o GlobalKnownHostsFile=/dev/null \
    $KOPTS "$user@$H" >"$T/pty.res" 2>"$T/pty.err"
n=0
while read -r verdict name why; do
	n=$((n + 1))
	case $verdict in
	pass) pass "ssh-session-$name" ;;
	*) fail "ssh-session-$name" "$why" ;;
	esac
done <"$T/pty.res"
if [ $n -lt 10 ]; then
	fail ssh-session-pty-complete "only $n of 10 pty checks ran: $(tail -n 3 "$T/pty.err" | tr '\n' ' ')"
fi

# -t without a terminal on our side: the pty is still requested (-tt).
got=$(s -tt "$user@$H" 'tty >/dev/null && echo has-tty' </dev/null 2>"$T/tt.err" | tr -d '\r')
if [ "$got" = "has-tty" ] && grep -q "Connection to $H closed." "$T/tt.err"; then
	pass ssh-session-tt
else
	fail ssh-session-tt "got [$got] err [$(tr '\r\n' '  ' <"$T/tt.err")]"
fi

# --- ~^Z: suspend (terminal restored while stopped), fg, then ~. (tmux
# gives a job-control shell around ssh).
TMUX_BIN=$(command -v tmux)
if [ -z "$TMUX_BIN" ] || [ ! -x /bin/bash ]; then
	skip ssh-session-suspend "tmux or bash not installed"
	exit 0
fi
TS="$T/tmux.sock"
tm() {
	"$TMUX_BIN" -S "$TS" "$@"
}
# tm_wait TEXT: 0 once the pane shows TEXT (at most 10 s).
tm_wait() {
	i=0
	while [ $i -lt 100 ]; do
		tm capture-pane -p -t k >"$T/pane" 2>/dev/null
		grep -q -e "$1" "$T/pane" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
tm -f /dev/null new-session -d -s k -x 80 -y 24 \
    "env -i PATH=/usr/bin:/bin TERM=vt100 PS1='sh\$ ' /bin/bash --norc --noprofile -i"
tmux_pid=$(tm display-message -p -t k '#{pane_pid}')
[ -n "$tmux_pid" ] && sshlib_track "$tmux_pid"
tm send-keys -t k "stty -g >$T/g1; echo R_\$((1+1))" Enter
tm_wait R_2
tm send-keys -t k "$SSH -F /dev/null -o UserKnownHostsFile=$T/kh -o GlobalKnownHostsFile=/dev/null $KOPTS $user@$H" Enter
tm send-keys -t k "echo L_\$((2+2))" Enter
if ! tm_wait L_4; then
	fail ssh-session-suspend "no remote shell: $(tr '\n' ' ' <"$T/pane")"
else
	tm send-keys -t k Enter '~' C-z
	# bash reports the stopped job: ssh really is suspended (else
	# what follows would run remotely).
	stopped=0
	tm_wait "Stopped" && stopped=1
	tm send-keys -t k "stty -g >$T/g2; echo S_\$((3+3))" Enter
	if [ $stopped = 1 ] && tm_wait S_6 && cmp -s "$T/g1" "$T/g2"; then
		pass ssh-session-suspend-restores-tty
	else
		fail ssh-session-suspend-restores-tty "$(tr '\n' ' ' <"$T/pane")"
	fi
	tm send-keys -t k "fg" Enter
	sleep 0.5
	tm send-keys -t k "echo F_\$((4+4))" Enter
	if tm_wait F_8; then
		pass ssh-session-suspend-resume
	else
		fail ssh-session-suspend-resume "$(tr '\n' ' ' <"$T/pane")"
	fi
	tm send-keys -t k Enter '~.'
	tm_wait "Connection to $H closed."
	tm send-keys -t k "echo rc=\$?; stty -g >$T/g3; echo E_\$((5+5))" Enter
	if tm_wait E_10 && grep -q "rc=255" "$T/pane" &&
	    cmp -s "$T/g1" "$T/g3"; then
		pass ssh-session-tmux-disconnect
	else
		fail ssh-session-tmux-disconnect "$(tr '\n' ' ' <"$T/pane")"
	fi
fi
tm kill-server 2>/dev/null
