#!/bin/sh
# regress/agent.sh: our ssh-agent and ssh-add together.
#
# Start-up output for sh and csh (evaluated by sh and by tcsh), -k, the
# socket's directory and modes, the command form exiting with the child
# and the agent leaving when the command is gone; adding, listing,
# testing and removing every key type; passphrases through a scripted
# askpass; lifetimes (ssh-add -t and ssh-agent -t); lock and unlock;
# confirmation through askpass (allowed, refused, impossible); exit codes
# without an agent; and broken requests on the raw socket, which must be
# refused without hurting the agent.

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/agent-lib.sh"

if [ ! -x "$AGENT" ] || [ ! -x "$ADD" ]; then
	skip agent "ssh-agent or ssh-add not built"
	exit 0
fi
agent_keys || { fail agent-keys "ssh-keygen failed"; exit 0; }
K=$T/k

# ------------------------------------------------------------ start-up

TMPDIR=$T
export TMPDIR

out=$(SHELL=/bin/sh "$AGENT" </dev/null)
eval "$out" >/dev/null
agent_track "$SSH_AGENT_PID"
if echo "$out" | head -n 1 | grep -Eq "^SSH_AUTH_SOCK=$T/ssh-[A-Za-z0-9]{12}/agent\.[0-9]+; export SSH_AUTH_SOCK;\$" &&
    echo "$out" | sed -n 2p | grep -Eq '^SSH_AGENT_PID=[0-9]+; export SSH_AGENT_PID;$' &&
    echo "$out" | sed -n 3p | grep -Eq "^echo Agent pid $SSH_AGENT_PID;\$" &&
    [ "$(echo "$out" | wc -l)" -eq 3 ]; then
	pass start-sh-output
else
	fail start-sh-output "$out"
fi
check start-sh-eval test -S "$SSH_AUTH_SOCK"
dir=$(dirname "$SSH_AUTH_SOCK")
check socket-dir-mode sh -c "[ \"\$(stat -c %a '$dir')\" = 700 ]"
check socket-mode sh -c "[ \"\$(stat -c %a '$SSH_AUTH_SOCK')\" = 600 ]"
check socket-dir-owner sh -c "[ \"\$(stat -c %u '$dir')\" = $(id -u) ]"
expect list-empty 1 add ours -l
grep_out list-empty-msg "^The agent has no identities.\$" "$T/expect.out"

# -k prints the unset lines and the agent goes, with its socket.
pid=$SSH_AGENT_PID
out=$("$AGENT" -s -k)
if [ "$out" = "unset SSH_AUTH_SOCK;
unset SSH_AGENT_PID;
echo Agent pid $pid killed;" ]; then
	pass kill-output
else
	fail kill-output "$out"
fi
if agent_pid_gone "$pid" 10 && [ ! -e "$SSH_AUTH_SOCK" ] && [ ! -d "$dir" ]; then
	pass kill-cleanup
else
	fail kill-cleanup "agent $pid or $SSH_AUTH_SOCK still there"
fi
expect kill-no-pid 1 env -u SSH_AGENT_PID "$AGENT" -k
expect kill-bad-pid 1 env SSH_AGENT_PID=abc "$AGENT" -k
grep_out kill-bad-pid-msg 'SSH_AGENT_PID="abc", which is not a good PID: invalid' "$T/expect.out"

# csh output, chosen by $SHELL and by -c, evaluated by tcsh.
out=$(SHELL=/bin/tcsh "$AGENT" </dev/null)
cpid=$(echo "$out" | sed -n 's/^setenv SSH_AGENT_PID \([0-9]*\);$/\1/p')
agent_track "$cpid"
if echo "$out" | head -n 1 | grep -Eq "^setenv SSH_AUTH_SOCK $T/ssh-[A-Za-z0-9]{12}/agent\.[0-9]+;\$" &&
    [ -n "$cpid" ] && echo "$out" | sed -n 3p | grep -q "^echo Agent pid $cpid;\$"; then
	pass start-csh-output
else
	fail start-csh-output "$out"
fi
kill "$cpid" 2>/dev/null
if [ -x /usr/bin/tcsh ]; then
	cat >"$T/t.csh" <<EOF
eval \`$AGENT -c\`
$ADD $K/ed25519 >& /dev/null
$ADD -l
eval \`$AGENT -c -k\`
EOF
	if tcsh -f "$T/t.csh" </dev/null >"$T/csh.out" 2>&1 &&
	    grep -q "key-ed25519 (ED25519)" "$T/csh.out" &&
	    grep -q "^Agent pid [0-9]* killed" "$T/csh.out"; then
		pass csh-eval
	else
		fail csh-eval "$(cat "$T/csh.out")"
	fi
else
	skip csh-eval "tcsh is not installed"
fi
cat >"$T/t.sh" <<EOF
eval \`$AGENT -s\` >/dev/null
$ADD $K/ecdsa256 2>/dev/null
$ADD -l
eval \`$AGENT -k\`
EOF
if sh "$T/t.sh" </dev/null >"$T/sh.out" 2>&1 &&
    grep -q "key-ecdsa256 (ECDSA)" "$T/sh.out" &&
    grep -q "^Agent pid [0-9]* killed" "$T/sh.out"; then
	pass sh-eval
else
	fail sh-eval "$(cat "$T/sh.out")"
fi

# The command form: variables set, exit status passed on, and the agent
# leaves once its command (its parent) is gone.
"$AGENT" sh -c 'echo "$SSH_AGENT_PID $SSH_AUTH_SOCK" >"$0"; exit 7' \
    "$T/cmd.out" </dev/null
rc=$?
read -r cpid csock <"$T/cmd.out"
agent_track "$cpid"
if [ $rc -eq 7 ] && [ -n "$cpid" ]; then
	pass command-exit-status
else
	fail command-exit-status "exit $rc, $(cat "$T/cmd.out")"
fi
if agent_pid_gone "$cpid" 15 && [ ! -e "$csock" ]; then
	pass command-parent-gone
else
	fail command-parent-gone "agent $cpid still running"
fi
expect command-not-found 1 "$AGENT" "$T/no/such/command"
expect usage-cmd-with-k 1 "$AGENT" -k true
expect usage-c-and-s 1 "$AGENT" -c -s
expect bad-lifetime 1 "$AGENT" -t bogus
grep_out bad-lifetime-msg "^Invalid lifetime" "$T/expect.out"

# -d: foreground with debug output, socket removed on SIGTERM.
"$AGENT" -d -a "$T/d.sock" >"$T/d.out" 2>"$T/d.err" </dev/null &
dpid=$!
agent_track "$dpid"
i=0
while [ ! -S "$T/d.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
SSH_AUTH_SOCK=$T/d.sock add ours -l >/dev/null 2>&1
if grep -q "^SSH_AUTH_SOCK=$T/d.sock; export SSH_AUTH_SOCK;\$" "$T/d.out" &&
    grep -q "^echo Agent pid $dpid;\$" "$T/d.out" &&
    ! grep -q SSH_AGENT_PID "$T/d.out"; then
	pass debug-output
else
	fail debug-output "$(cat "$T/d.out")"
fi
kill "$dpid"
if agent_pid_gone "$dpid" 10 && [ ! -e "$T/d.sock" ] &&
    grep -q "debug" "$T/d.err"; then
	pass debug-sigterm
else
	fail debug-sigterm "socket left or no debug output"
fi

# ------------------------------------------------------------ keys

agent_start ours || { fail agent-start "could not start"; exit 0; }
for kt in $AGENT_KEYTYPES; do
	expect "add-$kt" 0 add ours "$K/$kt"
	grep_out "add-$kt-msg" "^Identity added: $K/$kt (key-$kt)\$" "$T/expect.out"
done
add ours -L >"$T/L.out" 2>&1
for kt in $AGENT_KEYTYPES; do
	grep_out "list-L-$kt" "^$(cat "$K/$kt.pub")\$" "$T/L.out"
done
add ours -l >"$T/l.out" 2>&1
add ours -E md5 -l >"$T/lmd5.out" 2>&1
for kt in $AGENT_KEYTYPES; do
	fp=$("$OSSH_KEYGEN" -l -f "$K/$kt.pub")
	grep_out "list-l-$kt" "^$fp\$" "$T/l.out"
	fp=$("$OSSH_KEYGEN" -E md5 -l -f "$K/$kt.pub")
	grep_out "list-l-md5-$kt" "^$fp\$" "$T/lmd5.out"
	expect "test-$kt" 0 add ours -T "$K/$kt.pub"
done
expect remove-ed25519 0 add ours -d "$K/ed25519"
grep_out remove-msg "^Identity removed: $K/ed25519 ED25519 (key-ed25519)\$" "$T/expect.out"
expect remove-again 1 add ours -d "$K/ed25519"
grep_out remove-again-msg "^Could not remove identity \"$K/ed25519\": agent refused operation\$" "$T/expect.out"
expect test-removed 1 add ours -T "$K/ed25519.pub"
grep_out test-removed-msg "^Agent signature failed for $K/ed25519.pub" "$T/expect.out"
expect remove-all 0 add ours -D
grep_out remove-all-msg "^All identities removed.\$" "$T/expect.out"
expect list-after-remove-all 1 add ours -l

# A key file others may read is refused with OpenSSH's warning.
cp "$K/ed25519" "$T/open_key"
chmod 644 "$T/open_key"
expect add-bad-perms 1 add ours "$T/open_key"
grep_out add-bad-perms-msg "UNPROTECTED PRIVATE KEY FILE" "$T/expect.out"
expect add-missing 1 add ours "$T/nonexistent"
grep_out add-missing-msg "nonexistent: No such file or directory" "$T/expect.out"
expect add-stdin 0 sh -c "setsid -w '$ADD' - <'$K/ecdsa384'"
grep_out add-stdin-msg "^Identity added: (stdin) (key-ecdsa384)\$" "$T/expect.out"
add ours -D >/dev/null 2>&1

# ------------------------------------------------------------ passphrases

"$OSSH_KEYGEN" -q -t ed25519 -N 'right horse' -C enc -f "$T/enc" </dev/null
cat >"$T/askpass" <<EOF
#!/bin/sh
# First answer wrong, then right; log the prompts.
echo "\$1" >>"$T/askpass.log"
n=\$(wc -l <"$T/askpass.log")
if [ "\$n" -eq 1 ]; then echo wrong; else echo 'right horse'; fi
EOF
chmod 755 "$T/askpass"
expect add-passphrase 0 env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force \
    setsid -w "$ADD" "$T/enc"
if [ "$(cat "$T/askpass.log")" = "Enter passphrase for $T/enc: 
Bad passphrase, try again for $T/enc: " ]; then
	pass passphrase-prompts
else
	fail passphrase-prompts "$(cat "$T/askpass.log")"
fi
expect add-passphrase-none 1 env SSH_ASKPASS_REQUIRE=never setsid -w "$ADD" "$T/enc"
add ours -D >/dev/null 2>&1

# ------------------------------------------------------------ lifetimes

expect add-lifetime 0 add ours -t 1 "$K/ed25519"
grep_out add-lifetime-msg "^Lifetime set to 1 seconds\$" "$T/expect.out"
add ours "$K/rsa" >/dev/null 2>&1
sleep 2.2
add ours -l >"$T/life.out" 2>&1
if grep -q key-rsa "$T/life.out" && ! grep -q key-ed25519 "$T/life.out"; then
	pass lifetime-expired
else
	fail lifetime-expired "$(cat "$T/life.out")"
fi
expect add-bad-lifetime 1 add ours -t bogus "$K/ed25519"
grep_out add-bad-lifetime-msg "^Invalid lifetime\$" "$T/expect.out"
agent_stop

agent_start ours -t 1 || fail agent-start-t "could not start"
add ours "$K/ecdsa256" >/dev/null 2>&1
expect default-lifetime-before 0 add ours -l
sleep 2.2
expect default-lifetime-after 1 add ours -l
agent_stop

# ------------------------------------------------------------ lock

agent_start ours
add ours "$K/ed25519" "$K/rsa" >/dev/null 2>&1
printf '#!/bin/sh\necho "sesame"\n' >"$T/lockpass"
chmod 755 "$T/lockpass"
lk() {
	env SSH_ASKPASS="$T/lockpass" SSH_ASKPASS_REQUIRE=force \
	    setsid -w "$ADD" "$@" </dev/null
}
expect lock 0 lk -x
grep_out lock-msg "^Agent locked.\$" "$T/expect.out"
expect locked-list 1 add ours -l
expect locked-sign 1 add ours -T "$K/ed25519.pub"
expect locked-add 1 add ours "$K/ecdsa256"
expect locked-relock 1 lk -x
printf '#!/bin/sh\necho "open sesame"\n' >"$T/badpass"
chmod 755 "$T/badpass"
expect unlock-wrong 1 env SSH_ASKPASS="$T/badpass" SSH_ASKPASS_REQUIRE=force \
    setsid -w "$ADD" -X
grep_out unlock-wrong-msg "^Failed to unlock agent: agent refused operation\$" "$T/expect.out"
expect unlock 0 lk -X
grep_out unlock-msg "^Agent unlocked.\$" "$T/expect.out"
expect unlocked-sign-ed25519 0 add ours -T "$K/ed25519.pub"
expect unlocked-sign-rsa 0 add ours -T "$K/rsa.pub"
agent_stop

# ------------------------------------------------------------ confirm

cat >"$T/confirm" <<EOF
#!/bin/sh
echo "\$SSH_ASKPASS_PROMPT|\$1" >>"$T/confirm.log"
cat "$T/confirm.answer"
EOF
chmod 755 "$T/confirm"
export SSH_ASKPASS="$T/confirm" SSH_ASKPASS_REQUIRE=force
agent_start ours
unset SSH_ASKPASS SSH_ASKPASS_REQUIRE
add ours -c "$K/ecdsa521" >"$T/c.out" 2>&1
grep_out confirm-add-msg "^The user must confirm each use of the key\$" "$T/c.out"
echo yes >"$T/confirm.answer"
expect confirm-yes 0 add ours -T "$K/ecdsa521.pub"
: >"$T/confirm.answer"
expect confirm-empty 0 add ours -T "$K/ecdsa521.pub"
echo no >"$T/confirm.answer"
expect confirm-no 1 add ours -T "$K/ecdsa521.pub"
grep_out confirm-prompt "^confirm|Allow use of key key-ecdsa521?" "$T/confirm.log"
agent_stop
export SSH_ASKPASS="$T/confirm" SSH_ASKPASS_REQUIRE=never
agent_start ours
unset SSH_ASKPASS SSH_ASKPASS_REQUIRE
add ours -c "$K/ecdsa521" >/dev/null 2>&1
echo yes >"$T/confirm.answer"
expect confirm-no-askpass 1 add ours -T "$K/ecdsa521.pub"
agent_stop

# ------------------------------------------------------------ no agent

expect no-agent-env 2 env -u SSH_AUTH_SOCK setsid -w "$ADD" -l
grep_out no-agent-env-msg "^Could not open a connection to your authentication agent.\$" "$T/expect.out"
expect no-agent-socket 2 env SSH_AUTH_SOCK="$T/none.sock" setsid -w "$ADD" -l
grep_out no-agent-socket-msg "^Error connecting to agent: No such file or directory\$" "$T/expect.out"

# ------------------------------------------------------------ raw socket

agent_start ours
add ours "$K/ed25519" >/dev/null 2>&1
cat >"$T/raw.py" <<'EOF'
import os, socket, struct, sys

def conn():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(os.environ["SSH_AUTH_SOCK"])
    return s

def request(payload, framed=None):
    s = conn()
    s.sendall(framed if framed is not None else
              struct.pack(">I", len(payload)) + payload)
    hdr = s.recv(4)
    if len(hdr) < 4:
        return None
    n = struct.unpack(">I", hdr)[0]
    data = b""
    while len(data) < n:
        d = s.recv(n - len(data))
        if not d:
            break
        data += d
    s.close()
    return data

def closed(framed):
    s = conn()
    s.sendall(framed)
    try:
        return s.recv(4) == b""
    except ConnectionResetError:
        return True

checks = {
    "raw-unknown-type": request(b"\xc8") == b"\x05",
    "raw-empty": request(b"") == b"\x05",
    "raw-truncated-sign": request(b"\x0d\x00\x00\x00\x20abc") == b"\x05",
    "raw-huge-string": request(b"\x11\xff\xff\xff\xffssh-ed25519") == b"\x05",
    "raw-trailing": request(b"\x0b\x00") == b"\x05",
    "raw-oversize-closed": closed(struct.pack(">I", 256 * 1024 + 1) + b"\x0b"),
    "raw-huge-length-closed": closed(b"\xff\xff\xff\xff\x0b"),
    "raw-pipelined": request(None, framed=b"\x00\x00\x00\x01\x0b" * 3) is not None,
    "raw-list-still-works": (request(b"\x0b") or b"")[:5] == b"\x0c\x00\x00\x00\x01",
}
for name, ok in checks.items():
    print(("pass " if ok else "fail ") + name)
EOF
/usr/bin/python3 "$T/raw.py" >"$T/raw.out" 2>&1
while read -r res name; do
	if [ "$res" = pass ]; then pass "$name"; else fail "$name" "$res"; fi
done <"$T/raw.out"
grep -q "^pass raw-list-still-works" "$T/raw.out" ||
    fail raw-script "$(head -c 300 "$T/raw.out")"
check raw-agent-alive kill -0 "$SSH_AGENT_PID"
agent_stop
