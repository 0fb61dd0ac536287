#!/bin/sh
# shellcheck disable=SC2086,SC1091
# regress/ssh-client.sh: our ssh against Debian's OpenSSH sshd on a free
# loopback port (regress/lib/ssh-lib.sh): remote exit status, stdin and
# stdout integrity, -p/-l/-o/-F, ssh:// URIs, identities with and
# without a passphrase (SSH_ASKPASS), passwords through SSH_ASKPASS (a
# test account created and removed here), agent keys (our ssh-agent),
# BatchMode refusals, "Permission denied" with exit 255, -c/-m/-C,
# -E, -q and the banner, -t without a terminal, -f, ProxyCommand,
# ConnectTimeout against a server that never answers, refused
# connections and bad options.
#
# As root the password tests use a test account made here; as a normal
# user sshd runs unprivileged and those parts are skipped.

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/ssh-lib.sh"

for p in "$OSSH_SSHD" "$OSSH_KEYGEN" "$SSH"; do
	if [ ! -x "$p" ]; then
		skip ssh-client "$p not there"
		exit 0
	fi
done

"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/id_ed" </dev/null
"$OSSH_KEYGEN" -q -t ecdsa -N '' -f "$T/id_ecdsa" </dev/null
"$OSSH_KEYGEN" -q -t rsa -b 2048 -N 'sekrit' -f "$T/id_rsa" </dev/null
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/id_unknown" </dev/null
"$OSSH_KEYGEN" -q -t ecdsa -m PEM -N '' -f "$T/id_pem" </dev/null
cat "$T/id_ed.pub" "$T/id_ecdsa.pub" "$T/id_rsa.pub" "$T/id_pem.pub" \
    >"$T/authorized_keys"
# A PEM key without its .pub, and a key others can read.
rm -f "$T/id_pem.pub"
cp "$T/id_ed" "$T/id_open"
cp "$T/id_ed.pub" "$T/id_open.pub"
chmod 644 "$T/id_open"
sshlib_start || exit 0
user=$(id -un)
H=127.0.0.1
# Only the keys we name: never the real ~/.ssh ones.
NOID="-o IdentityFile=$T/none -o IdentitiesOnly=yes"
ID="-o IdentitiesOnly=yes -i $T/id_ed"
opts="-p $PORT -o StrictHostKeyChecking=accept-new"
sshlib_probe login-probe $opts $ID "$user@$H" || exit 0
mkaskpass() {
	printf '#!/bin/sh\necho "$*" >>%s/askpass.log\necho %s\n' "$T" "$2" \
	    >"$T/$1"
	chmod 755 "$T/$1"
}
mkaskpass ap-sekrit sekrit
mkaskpass ap-wrong wrong

# --- exec and exit status
out=$(run_ssh $opts $ID "$user@$H" echo hello 2>"$T/err")
if [ "$out" = "hello" ]; then pass exec-echo; else
	fail exec-echo "$out $(cat "$T/err")"; fi
expect_rc exit-status-7 7 run_ssh $opts $ID "$user@$H" 'exit 7'
expect_rc exit-status-0 0 run_ssh $opts $ID "$user@$H" true
# The words are joined with spaces, as OpenSSH does.
out=$(run_ssh $opts $ID "$user@$H" echo a '  b' c 2>/dev/null)
if [ "$out" = "a b c" ]; then pass command-join; else
	fail command-join "got '$out'"; fi

# --- stdin/stdout integrity (1 MiB through cat, and the empty input)
head -c 1048576 /dev/urandom >"$T/data"
setsid -w timeout 60 "$SSH" -F /dev/null -o UserKnownHostsFile="$T/kh" \
    $opts $ID "$user@$H" cat <"$T/data" >"$T/data.out" 2>"$T/err"
if cmp -s "$T/data" "$T/data.out"; then pass stdin-stdout-1m; else
	fail stdin-stdout-1m "$(wc -c <"$T/data.out") bytes back $(cat "$T/err")"; fi
n=$(setsid -w timeout 30 "$SSH" -F /dev/null -o UserKnownHostsFile="$T/kh" \
    $opts $ID "$user@$H" 'wc -c' </dev/null 2>/dev/null)
if [ "$n" = "0" ]; then pass stdin-empty; else fail stdin-empty "got '$n'"; fi
# RekeyLimit: rekeying while the data flows loses nothing.
setsid -w timeout 60 "$SSH" -F /dev/null -o UserKnownHostsFile="$T/kh" \
    $opts $ID -v -o RekeyLimit=128K "$user@$H" cat <"$T/data" \
    >"$T/data.out" 2>"$T/err"
n=$(grep -c "key exchange .* done" "$T/err")
if cmp -s "$T/data" "$T/data.out" && [ "$n" -ge 3 ]; then pass rekeylimit
else fail rekeylimit "$n key exchanges, $(wc -c <"$T/data.out") bytes"; fi
# A few algorithm combinations (the full matrix is regress/interop's).
for combo in \
    "curve25519-sha256 ssh-ed25519 chacha20-poly1305@openssh.com hmac-sha2-256" \
    "ecdh-sha2-nistp256 ssh-ed25519 aes256-gcm@openssh.com hmac-sha2-256" \
    "diffie-hellman-group14-sha256 ssh-ed25519 aes128-ctr hmac-sha2-512-etm@openssh.com" \
    "diffie-hellman-group-exchange-sha256 ssh-ed25519 aes256-ctr hmac-sha1" \
    "ecdh-sha2-nistp521 ssh-ed25519 aes192-ctr hmac-sha2-256-etm@openssh.com"; do
	set -- $combo
	out=$(run_ssh $opts $ID -o KexAlgorithms="$1" \
	    -o HostKeyAlgorithms="$2" -c "$3" -m "$4" "$user@$H" echo "$1" \
	    2>"$T/err" </dev/null)
	if [ "$out" = "$1" ]; then pass "algs-$1-$3"; else
		fail "algs-$1-$3" "$(tail -n 2 "$T/err" | tr '\r\n' '  ')"; fi
done
# stderr of the remote command reaches our stderr, stdout stays apart.
run_ssh $opts $ID "$user@$H" 'echo out; echo err >&2' \
    >"$T/o1" 2>"$T/e1" </dev/null
if [ "$(cat "$T/o1")" = out ] && grep -q '^err$' "$T/e1"; then
	pass stderr-separate
else
	fail stderr-separate "out=$(cat "$T/o1") err=$(cat "$T/e1")"
fi

# --- destinations and options
expect_rc uri-port 0 run_ssh -o StrictHostKeyChecking=accept-new $ID \
    "ssh://$user@$H:$PORT" true
expect_rc dash-l-dash-p 0 run_ssh -o StrictHostKeyChecking=accept-new $ID \
    -l "$user" -p "$PORT" "$H" true
expect_rc dash-o-port 0 run_ssh -o StrictHostKeyChecking=accept-new $ID \
    -o Port="$PORT" -o User="$user" "$H" true
# Options after the destination are still options.
expect_rc option-after-host 0 run_ssh $ID "$user@$H" -p "$PORT" true
cat >"$T/config" <<EOF
Host testalias
	HostName $H
	Port $PORT
	User $user
	IdentityFile $T/id_ecdsa
	IdentitiesOnly yes
	UserKnownHostsFile $T/kh
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking accept-new
Host *
	Port 1
EOF
out=$(setsid -w timeout 30 "$SSH" -F "$T/config" testalias echo via-config \
    2>"$T/err" </dev/null)
if [ "$out" = via-config ]; then pass dash-F-host-block; else
	fail dash-F-host-block "$out $(cat "$T/err")"; fi
"$SSH" -F "$T/config" -G testalias >"$T/G" 2>&1
if grep -qx "port $PORT" "$T/G" && grep -qx "hostname $H" "$T/G" &&
    grep -qx "user $user" "$T/G" &&
    grep -qx "identityfile $T/id_ecdsa" "$T/G"; then
	pass dash-G
else
	fail dash-G "$(head -n 5 "$T/G" | tr '\n' ' ')"
fi
"$SSH" -F /dev/null -G -p 2022 -l bob -o Ciphers=aes128-ctr example.org \
    >"$T/G2" 2>&1
if grep -qx "port 2022" "$T/G2" && grep -qx "user bob" "$T/G2" &&
    grep -qx "ciphers aes128-ctr" "$T/G2" &&
    grep -qx "hostname example.org" "$T/G2"; then
	pass dash-G-flags
else
	fail dash-G-flags "$(head -n 5 "$T/G2" | tr '\n' ' ')"
fi
# -L/-R specs as OpenSSH reads them (the one-word command-line form).
if [ -x "$OSSH_SSH" ]; then
	fw="-L 8080:localhost:80 -L 127.0.0.1:8081:[::1]:81 -L 8082:/tmp/s
	    -R 9000 -R 9001:localhost:22"
	"$SSH" -F /dev/null -G $fw example.org 2>&1 </dev/null |
	    grep -E '^(local|remote)forward ' >"$T/fw.ours"
	"$OSSH_SSH" -F /dev/null -G $fw example.org 2>/dev/null </dev/null |
	    grep -E '^(local|remote)forward ' >"$T/fw.theirs"
	if [ -s "$T/fw.ours" ] && cmp -s "$T/fw.ours" "$T/fw.theirs"; then
		pass dash-L-R-specs
	else
		fail dash-L-R-specs "$(cat "$T/fw.ours") vs $(cat "$T/fw.theirs")"
	fi
	out=$("$SSH" -F /dev/null -G -L nonsense example.org 2>&1 | tr -d '\r')
	check dash-L-bad test "$out" = \
	    "Bad local forwarding specification 'nonsense'"
fi
if [ -x "$OSSH_SSH" ]; then
	"$OSSH_SSH" -F /dev/null -G -p 2022 -l bob -o Ciphers=aes128-ctr \
	    example.org >"$T/G3" 2>&1
	for kw in port user hostname ciphers identitiesonly compression \
	    stricthostkeychecking batchmode requesttty loglevel; do
		a=$(grep "^$kw " "$T/G2")
		b=$(grep "^$kw " "$T/G3")
		if [ "$a" != "$b" ]; then
			fail "dash-G-vs-openssh-$kw" "ours '$a' theirs '$b'"
		else
			pass "dash-G-vs-openssh-$kw"
		fi
	done
fi

"$SSH" -F /dev/null -G "ssh://bob@example.org:2022" >"$T/G4" 2>&1
if grep -qx "port 2022" "$T/G4" && grep -qx "user bob" "$T/G4" &&
    grep -qx "hostname example.org" "$T/G4"; then
	pass dash-G-uri
else
	fail dash-G-uri "$(head -n 5 "$T/G4" | tr '\n' ' ')"
fi
# IdentityFile with %-escapes (%r: the remote user).
cp "$T/id_ecdsa" "$T/key-$user"
expect_rc identityfile-percent 0 run_ssh $opts -o IdentitiesOnly=yes \
    -o PreferredAuthentications=publickey -o IdentityFile="$T/key-%r" \
    "$user@$H" true

# --- errors of our own: exit 255
expect_rc bad-option 255 "$SSH" -Z "$H"
expect_rc no-destination 255 "$SSH"
"$SSH" -Z "$H" 2>"$T/err"
grep_file usage-text "^usage: ssh" "$T/err"
run_ssh -F /dev/null -i "$T/nosuchkey" -p 1 "$H" true >/dev/null \
    2>"$T/err" </dev/null
grep_file identity-not-accessible "^Warning: Identity file $T/nosuchkey not accessible: No such file or directory\." "$T/err"
expect_rc dash-6-for-ipv4 255 run_ssh -6 -p 1 "$H" true
cport=$(free_port)
expect_rc refused 255 run_ssh -p "$cport" "$H" true
run_ssh -p "$cport" "$H" true 2>"$T/err" </dev/null
grep_file refused-text "ssh: connect to host $H port $cport: Connection refused" "$T/err"
start=$(date +%s)
expect_rc connection-attempts 255 run_ssh -p "$cport" \
    -o ConnectionAttempts=2 "$H" true
el=$(( $(date +%s) - start ))
if [ $el -ge 1 ]; then pass connection-attempts-wait; else
	fail connection-attempts-wait "no second attempt after a second"; fi
# A listener that accepts and never says anything: ConnectTimeout.
tport=$(free_port)
/usr/bin/python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $tport)); s.listen(5)
conns = []
end = time.time() + 20
while time.time() < end:
    s.settimeout(1)
    try:
        c, _ = s.accept(); conns.append(c)
    except socket.timeout:
        pass
" &
silent_pid=$!
sshlib_track "$silent_pid"
wait_port "$tport" "$silent_pid"
start=$(date +%s)
run_ssh -p "$tport" -o ConnectTimeout=2 "$H" true >/dev/null 2>"$T/err" </dev/null
rc=$?
el=$(( $(date +%s) - start ))
if [ $rc = 255 ] && [ $el -le 8 ]; then pass connect-timeout; else
	fail connect-timeout "exit $rc after ${el}s: $(cat "$T/err")"; fi
grep_file connect-timeout-text "Connection timed out during banner exchange" "$T/err"
kill "$silent_pid" 2>/dev/null

# --- publickey
expect_rc pubkey-ecdsa 0 run_ssh $opts -o IdentitiesOnly=yes \
    -i "$T/id_ecdsa" "$user@$H" true
expect_rc pubkey-not-authorized 255 run_ssh $opts -o IdentitiesOnly=yes \
    -o PreferredAuthentications=publickey -i "$T/id_unknown" "$user@$H" true
run_ssh $opts -o IdentitiesOnly=yes -o PreferredAuthentications=publickey \
    -i "$T/id_unknown" "$user@$H" true 2>"$T/err" </dev/null
grep_file permission-denied-text "^$user@$H: Permission denied (publickey,password)\." "$T/err"
expect_rc pubkey-pem-no-pub 0 run_ssh $opts -o IdentitiesOnly=yes \
    -o PreferredAuthentications=publickey -i "$T/id_pem" "$user@$H" true
run_ssh $opts -o IdentitiesOnly=yes -o PreferredAuthentications=publickey \
    -i "$T/id_open" "$user@$H" true >/dev/null 2>"$T/err" </dev/null
rc=$?
if [ $rc = 255 ] && grep -q "UNPROTECTED PRIVATE KEY FILE" "$T/err" &&
    grep -q "Load key \"$T/id_open\": bad permissions" "$T/err"; then
	pass pubkey-bad-permissions
else
	fail pubkey-bad-permissions "exit $rc $(cat "$T/err")"
fi
# The second key is used after the first is refused.
expect_rc pubkey-second-key 0 run_ssh $opts -o IdentitiesOnly=yes \
    -o PreferredAuthentications=publickey -i "$T/id_unknown" \
    -i "$T/id_ed" "$user@$H" true
: >"$T/askpass.log"
out=$(SSH_ASKPASS="$T/ap-sekrit" SSH_ASKPASS_REQUIRE=force run_ssh $opts \
    -v -o IdentitiesOnly=yes -i "$T/id_rsa" "$user@$H" echo rsa-ok \
    2>"$T/err" </dev/null)
if [ "$out" = rsa-ok ]; then pass passphrase-askpass; else
	fail passphrase-askpass "$out $(cat "$T/err")"; fi
grep_file passphrase-prompt "^Enter passphrase for key '$T/id_rsa': \$" "$T/askpass.log"
grep_file rsa-sha2-512 "Offering public key: ssh-rsa .* rsa-sha2-512" "$T/err"
/usr/bin/python3 "$SRC/regress/lib/askterm.py" \
    "Enter passphrase for key '$T/id_rsa': " sekrit "$SSH" -F /dev/null \
    -o UserKnownHostsFile="$T/kh" $opts -o IdentitiesOnly=yes \
    -i "$T/id_rsa" "$user@$H" echo tty-pp-ok >"$T/tty.out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q "^tty-pp-ok" "$T/tty.out"; then
	pass passphrase-tty
else
	fail passphrase-tty "exit $rc $(tr '\n' ' ' <"$T/tty.out")"
fi
expect_rc passphrase-wrong 255 env SSH_ASKPASS="$T/ap-wrong" \
    SSH_ASKPASS_REQUIRE=force setsid -w timeout 30 "$SSH" -F /dev/null \
    -o UserKnownHostsFile="$T/kh" $opts -o IdentitiesOnly=yes \
    -o PreferredAuthentications=publickey -i "$T/id_rsa" "$user@$H" true
: >"$T/askpass.log"
expect_rc passphrase-batchmode 255 env SSH_ASKPASS="$T/ap-sekrit" \
    SSH_ASKPASS_REQUIRE=force setsid -w timeout 30 "$SSH" -F /dev/null \
    -o UserKnownHostsFile="$T/kh" $opts -o IdentitiesOnly=yes \
    -o BatchMode=yes -i "$T/id_rsa" "$user@$H" true
if [ -s "$T/askpass.log" ]; then fail batchmode-no-prompt "asked: $(cat "$T/askpass.log")"
else pass batchmode-no-prompt; fi

# --- agent keys (our ssh-agent)
if [ -x "$AGENT" ] && [ -x "$ADD" ]; then
	"$AGENT" -D -a "$T/agent.sock" >/dev/null 2>&1 </dev/null &
	apid=$!
	sshlib_track "$apid"
	i=0
	while [ ! -S "$T/agent.sock" ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1)); done
	SSH_AUTH_SOCK="$T/agent.sock" "$ADD" "$T/id_ecdsa" >/dev/null 2>&1
	expect_rc agent-key 0 env SSH_AUTH_SOCK="$T/agent.sock" setsid -w \
	    timeout 30 "$SSH" -F /dev/null -o UserKnownHostsFile="$T/kh" \
	    $opts -o IdentityFile="$T/none" -o BatchMode=yes "$user@$H" true
	# IdentitiesOnly with another file: the agent key is not offered.
	expect_rc agent-identitiesonly 255 env SSH_AUTH_SOCK="$T/agent.sock" \
	    setsid -w timeout 30 "$SSH" -F /dev/null \
	    -o UserKnownHostsFile="$T/kh" $opts -o IdentitiesOnly=yes \
	    -o IdentityFile="$T/id_unknown" -o BatchMode=yes "$user@$H" true
	kill "$apid"
else
	skip agent-key "ssh-agent/ssh-add not built"
fi

# --- passwords through SSH_ASKPASS (a test account)
tuser="ksshc$$"
if [ "$(id -u)" != 0 ]; then
	skip password-askpass "useradd needs root"
elif useradd -M -d "$T" -s /bin/sh -p "$(openssl passwd -6 pw-$$)" \
    "$tuser" 2>/dev/null; then
	mkaskpass ap-pw "pw-$$"
	: >"$T/askpass.log"
	out=$(SSH_ASKPASS="$T/ap-pw" SSH_ASKPASS_REQUIRE=force run_ssh $opts \
	    $NOID "$tuser@$H" id -un 2>"$T/err" </dev/null)
	if [ "$out" = "$tuser" ]; then pass password-askpass; else
		fail password-askpass "$out $(cat "$T/err")"; fi
	grep_file password-prompt "^$tuser@$H's password: \$" "$T/askpass.log"
	# The password typed on the terminal (/dev/tty).
	/usr/bin/python3 "$SRC/regress/lib/askterm.py" \
	    "$tuser@$H's password: " "pw-$$" "$SSH" -F /dev/null \
	    -o UserKnownHostsFile="$T/kh" $opts $NOID "$tuser@$H" \
	    echo tty-pw-ok >"$T/tty.out" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -q "^tty-pw-ok" "$T/tty.out"; then
		pass password-tty
	else
		fail password-tty "exit $rc $(tr '\n' ' ' <"$T/tty.out")"
	fi
	SSH_ASKPASS="$T/ap-wrong" SSH_ASKPASS_REQUIRE=force run_ssh $opts \
	    $NOID "$tuser@$H" true >/dev/null 2>"$T/err" </dev/null
	rc=$?
	n=$(grep -c "Permission denied, please try again\." "$T/err")
	if [ $rc = 255 ] && [ "$n" = 2 ]; then pass password-wrong; else
		fail password-wrong "exit $rc, $n retries: $(cat "$T/err")"; fi
	grep_file password-denied-text "^$tuser@$H: Permission denied (publickey,password)\." "$T/err"
	SSH_ASKPASS="$T/ap-wrong" SSH_ASKPASS_REQUIRE=force run_ssh $opts \
	    $NOID -o NumberOfPasswordPrompts=1 "$tuser@$H" true \
	    >/dev/null 2>"$T/err" </dev/null
	n=$(grep -c "Permission denied, please try again\." "$T/err")
	if [ "$n" = 0 ]; then pass password-prompts-1; else
		fail password-prompts-1 "$n retries"; fi
	: >"$T/askpass.log"
	expect_rc password-batchmode 255 env SSH_ASKPASS="$T/ap-pw" \
	    SSH_ASKPASS_REQUIRE=force setsid -w timeout 30 "$SSH" \
	    -F /dev/null -o UserKnownHostsFile="$T/kh" $opts $NOID \
	    -o BatchMode=yes "$tuser@$H" true
	if [ -s "$T/askpass.log" ]; then fail password-batchmode-no-prompt \
	    "asked: $(cat "$T/askpass.log")"
	else pass password-batchmode-no-prompt; fi
	expect_rc password-disabled 255 env SSH_ASKPASS="$T/ap-pw" \
	    SSH_ASKPASS_REQUIRE=force setsid -w timeout 30 "$SSH" \
	    -F /dev/null -o UserKnownHostsFile="$T/kh" $opts $NOID \
	    -o PasswordAuthentication=no "$tuser@$H" true
	# keyboard-interactive (RFC 4256) through PAM's "Password: ".
	sshlib_stop
	if sshlib_start "UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no"; then
		opts="-p $PORT -o StrictHostKeyChecking=accept-new"
		: >"$T/askpass.log"
		out=$(SSH_ASKPASS="$T/ap-pw" SSH_ASKPASS_REQUIRE=force run_ssh \
		    $opts $NOID "$tuser@$H" echo kbd-ok 2>"$T/err" </dev/null)
		if [ "$out" = kbd-ok ]; then pass kbdint-askpass; else
			fail kbdint-askpass "$out $(cat "$T/err")"; fi
		grep_file kbdint-prompt "^Password: \$" "$T/askpass.log"
		grep_file kbdint-server-log "Accepted keyboard-interactive" \
		    "$T/sshd.log"
		expect_rc kbdint-wrong 255 env SSH_ASKPASS="$T/ap-wrong" \
		    SSH_ASKPASS_REQUIRE=force setsid -w timeout 60 "$SSH" \
		    -F /dev/null -o UserKnownHostsFile="$T/kh" $opts $NOID \
		    -o NumberOfPasswordPrompts=1 "$tuser@$H" true
		sshlib_stop
	fi
	userdel "$tuser" 2>/dev/null
	sshlib_start || exit 0
	opts="-p $PORT -o StrictHostKeyChecking=accept-new"
else
	skip password-askpass "useradd failed"
fi

# --- transport choices, logging
run_ssh $opts $ID -v -c aes128-ctr -m hmac-sha2-256 "$user@$H" true \
    >/dev/null 2>"$T/err" </dev/null
grep_file cipher-mac "client->server cipher: aes128-ctr MAC: hmac-sha2-256 " "$T/err"
out=$(run_ssh $opts $ID -C -v "$user@$H" echo zipped 2>"$T/err" </dev/null)
if [ "$out" = zipped ] && grep -q "compression: zlib@openssh.com" "$T/err"
then pass compression; else fail compression "$out $(grep compression "$T/err")"; fi
run_ssh $opts $ID -v -E "$T/log" "$user@$H" true >/dev/null 2>"$T/err" </dev/null
if grep -q "^debug1: " "$T/log" && ! grep -q "^debug1: " "$T/err"; then
	pass dash-E
else
	fail dash-E "log: $(head -n 2 "$T/log") err: $(head -n 2 "$T/err")"
fi
run_ssh $opts $ID "$user@$H" true >/dev/null 2>"$T/err" </dev/null
grep_file banner "^Keel test banner" "$T/err"
run_ssh $opts $ID -q -t "$user@$H" true >/dev/null 2>"$T/err" </dev/null
# (Remote stderr, e.g. sshd's "Could not chdir", may still show.)
if grep -q "Keel test banner\|Pseudo-terminal" "$T/err"; then
	fail quiet "$(cat "$T/err")"; else pass quiet; fi
run_ssh $opts $ID -t "$user@$H" true >/dev/null 2>"$T/err" </dev/null
grep_file no-tty-message "^Pseudo-terminal will not be allocated because stdin is not a terminal\." "$T/err"
run_ssh $opts $ID -T "$user@$H" true >/dev/null 2>"$T/err" </dev/null
if grep -q "Pseudo-terminal" "$T/err"; then fail dash-T "$(cat "$T/err")"
else pass dash-T; fi

# -tt: a pty even without a terminal here.
out=$(run_ssh $opts $ID -tt "$user@$H" tty 2>"$T/err" </dev/null | tr -d '\r')
case $out in
/dev/pts/*) pass dash-tt ;;
*)
	# An unprivileged sshd cannot chown a pty to the user: it
	# refuses the request or ends the session.
	if [ "$(id -u)" != 0 ]; then
		skip dash-tt "sshd (not root) gave no pty session: $(tr '\r\n' '  ' <"$T/err")"
	else
		fail dash-tt "got '$out' $(tr '\r\n' '  ' <"$T/err")"
	fi
	;;
esac
out=$(run_ssh $opts $ID "$user@$H" 'tty || true' 2>/dev/null </dev/null)
if [ "$out" = "not a tty" ]; then pass no-tty-for-command; else
	fail no-tty-for-command "got '$out'"; fi

# --- -s, and our ssh under our sftp and scp (-S), which pass -x -a...
if [ -x "$SFTP" ] && [ -x "$SCP" ]; then
	echo "payload $$" >"$T/src.txt"
	printf 'put %s %s\nget %s %s\n' "$T/src.txt" "$T/dst.txt" \
	    "$T/dst.txt" "$T/back.txt" >"$T/batch"
	expect_rc sftp-over-ssh 0 setsid -w timeout 30 "$SFTP" -S "$SSH" \
	    -o UserKnownHostsFile="$T/kh" $ID -P "$PORT" -b "$T/batch" \
	    "$user@$H"
	if cmp -s "$T/src.txt" "$T/back.txt"; then pass sftp-roundtrip; else
		fail sftp-roundtrip "$(cat "$T/rc.out")"; fi
	expect_rc scp-over-ssh 0 setsid -w timeout 30 "$SCP" -S "$SSH" \
	    -o UserKnownHostsFile="$T/kh" $ID -P "$PORT" "$T/src.txt" \
	    "$user@$H:$T/scp.txt"
	if cmp -s "$T/src.txt" "$T/scp.txt"; then pass scp-copy; else
		fail scp-copy "$(cat "$T/rc.out")"; fi
else
	skip sftp-over-ssh "sftp or scp not built"
fi
expect_rc subsystem-missing-name 255 run_ssh $opts $ID -s "$user@$H"
expect_rc subsystem-unknown 255 run_ssh $opts $ID -s "$user@$H" nosuchsub

# --- -f: background after authentication
rm -f "$T/bg"
start=$(date +%s)
setsid -w timeout 30 "$SSH" -F /dev/null -o UserKnownHostsFile="$T/kh" \
    $opts $ID -f "$user@$H" "sleep 2; echo bg >$T/bg" \
    >/dev/null 2>"$T/err" </dev/null
rc=$?
el=$(( $(date +%s) - start ))
if [ $rc = 0 ] && [ $el -lt 2 ] && [ ! -f "$T/bg" ]; then pass dash-f-returns
else fail dash-f-returns "exit $rc after ${el}s"; fi
i=0
while [ ! -s "$T/bg" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ "$(cat "$T/bg" 2>/dev/null)" = bg ]; then pass dash-f-runs; else
	fail dash-f-runs "command did not run"; fi
expect_rc dash-f-no-command 255 run_ssh $opts $ID -f "$user@$H"

# -N: no session; ssh stays until it is stopped.
timeout 30 "$SSH" -F /dev/null -o UserKnownHostsFile="$T/kh" \
    $opts $ID -N "$user@$H" >/dev/null 2>&1 </dev/null &
npid=$!
sshlib_track "$npid"
sleep 2
if kill -0 "$npid" 2>/dev/null; then pass dash-N-stays; else
	fail dash-N-stays "ssh -N exited"; fi
kill "$npid" 2>/dev/null

# --- ProxyCommand (a relay in python: nc is not always there)
cat >"$T/relay.py" <<'EOF'
import os, select, socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
open(sys.argv[3], "w").write("relayed\n")
fds = [0, s]
while True:
    r, _, _ = select.select(fds, [], [], 30)
    if not r:
        break
    if 0 in r:
        d = os.read(0, 65536)
        if not d:
            s.shutdown(socket.SHUT_WR); fds.remove(0)
        else:
            s.sendall(d)
    if s in r:
        d = s.recv(65536)
        if not d:
            break
        os.write(1, d)
EOF
out=$(run_ssh $opts $ID \
    -o ProxyCommand="/usr/bin/python3 $T/relay.py %h %p $T/relay.mark" \
    "$user@$H" echo proxied 2>"$T/err" </dev/null)
if [ "$out" = proxied ] && [ -f "$T/relay.mark" ]; then pass proxycommand
else fail proxycommand "$out $(cat "$T/err")"; fi
expect_rc proxycommand-fails 255 run_ssh $opts $ID \
    -o ProxyCommand="exit 1" "$user@$H" true

sshlib_stop
