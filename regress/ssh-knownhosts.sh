#!/bin/sh
# shellcheck disable=SC2086,SC1091
# regress/ssh-knownhosts.sh: our ssh's host key checking against
# Debian's OpenSSH sshd (regress/lib/ssh-lib.sh) with an ed25519 and an
# ecdsa host key: StrictHostKeyChecking yes/accept-new/ask/no, the
# "authenticity ... can't be established" question through SSH_ASKPASS
# (yes, no, the fingerprint, BatchMode), "[host]:port" names, hashed
# entries (HashKnownHosts, and files hashed by OpenSSH's ssh-keygen),
# patterns, HostKeyAlias, CheckHostIP, GlobalKnownHostsFile, the
# "REMOTE HOST IDENTIFICATION HAS CHANGED" refusal word for word as
# OpenSSH's ssh prints it, @revoked, and known host key types offered
# first.  Files we write are read back by OpenSSH's ssh.
#
# As a normal user sshd runs unprivileged (regress/lib/ssh-lib.sh).

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/ssh-lib.sh"

for p in "$OSSH_SSHD" "$OSSH_KEYGEN" "$OSSH_SSH" "$SSH"; do
	if [ ! -x "$p" ]; then
		skip ssh-knownhosts "$p not there"
		exit 0
	fi
done

"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/id_ed" </dev/null
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/other" </dev/null
"$OSSH_KEYGEN" -q -t ecdsa -N '' -f "$T/hostkey_ecdsa" </dev/null
cp "$T/id_ed.pub" "$T/authorized_keys"
sshlib_start "HostKey $T/hostkey_ecdsa" || exit 0
user=$(id -un)
H=127.0.0.1
NAME="[$H]:$PORT"
HK=$(cut -d' ' -f1,2 "$T/hostkey.pub")
HKE=$(cut -d' ' -f1,2 "$T/hostkey_ecdsa.pub")
OTHER=$(cut -d' ' -f1,2 "$T/other.pub")
FP=$("$OSSH_KEYGEN" -l -f "$T/hostkey.pub" | cut -d' ' -f2)
ID="-o IdentitiesOnly=yes -i $T/id_ed"

# ours FILE ARGS...: our ssh with FILE as the only known_hosts.
ours() {
	f=$1
	shift
	setsid -w timeout 30 "$SSH" -F /dev/null -p "$PORT" \
	    -o UserKnownHostsFile="$f" -o GlobalKnownHostsFile=/dev/null \
	    $ID "$@"
}
sshlib_probe login-probe -p "$PORT" -o StrictHostKeyChecking=no $ID \
    "$user@$H" || exit 0
theirs() {
	f=$1
	shift
	setsid -w timeout 30 "$OSSH_SSH" -F /dev/null -p "$PORT" \
	    -o UserKnownHostsFile="$f" -o GlobalKnownHostsFile=/dev/null \
	    -o ControlPath=none $ID "$@"
}
answer() {
	printf '#!/bin/sh\necho "$*" >>%s/askpass.log\necho "%s"\n' "$T" "$1" \
	    >"$T/answer"
	chmod 755 "$T/answer"
	: >"$T/askpass.log"
}
askers() {
	SSH_ASKPASS="$T/answer" SSH_ASKPASS_REQUIRE=force "$@"
}

# --- strict: nothing known
expect_rc strict-new-refused 255 ours "$T/kh0" \
    -o StrictHostKeyChecking=yes "$user@$H" true
ours "$T/kh0" -o StrictHostKeyChecking=yes "$user@$H" true \
    >/dev/null 2>"$T/err" </dev/null
grep_file strict-new-text "^No ED25519 host key is known for \[$H\]:$PORT and you have requested strict checking\." "$T/err"
grep_file strict-new-failed "^Host key verification failed\." "$T/err"
if [ -e "$T/kh0" ]; then fail strict-new-nofile "kh0 written"
else pass strict-new-nofile; fi

# --- accept-new adds "[host]:port", later strict checks pass
ours "$T/kh1" -o StrictHostKeyChecking=accept-new "$user@$H" true \
    >/dev/null 2>"$T/err" </dev/null
grep_file accept-new-message "^Warning: Permanently added '\[$H\]:$PORT' (ED25519) to the list of known hosts\." "$T/err"
if [ "$(cat "$T/kh1")" = "$NAME $HK" ]; then pass accept-new-line; else
	fail accept-new-line "$(cat "$T/kh1")"; fi
expect_rc known-strict 0 ours "$T/kh1" -o StrictHostKeyChecking=yes \
    "$user@$H" true
ours "$T/kh1" -o StrictHostKeyChecking=yes "$user@$H" true \
    >/dev/null 2>"$T/err" </dev/null
if grep -q "Permanently added" "$T/err"; then
	fail known-no-readd "$(cat "$T/err")"
else pass known-no-readd; fi
if [ "$(wc -l <"$T/kh1")" = 1 ]; then pass known-one-line
else fail known-one-line "$(cat "$T/kh1")"; fi
expect_rc openssh-reads-ours 0 theirs "$T/kh1" \
    -o StrictHostKeyChecking=yes "$user@$H" true

# --- ask, answered through askpass
answer yes
expect_rc ask-yes 0 askers ours "$T/kh2" -o StrictHostKeyChecking=ask \
    "$user@$H" true
grep_file ask-prompt-1 "^The authenticity of host '\[$H\]:$PORT (\[$H\]:$PORT)' can't be established\.\$" "$T/askpass.log"
grep_file ask-prompt-2 "^ED25519 key fingerprint is $FP\.\$" "$T/askpass.log"
grep_file ask-prompt-3 "^This key is not known by any other names\.\$" "$T/askpass.log"
grep_file ask-prompt-4 "^Are you sure you want to continue connecting (yes/no/\[fingerprint\])? \$" "$T/askpass.log"
grep_file ask-yes-added "^\[$H\]:$PORT ssh-ed25519 " "$T/kh2"
# The question word for word as OpenSSH's ssh asks it, also when the
# key is known under other names.
for case in plain othernames; do
	if [ $case = plain ]; then : >"$T/khq"; else
		printf 'keelother %s\n# c\nkeelhashed %s\n' "$HK" "$HK" \
		    >"$T/khq"
		"$OSSH_KEYGEN" -q -H -f "$T/khq" >/dev/null 2>&1
		echo "keelplain,keelplain2 $HK" >>"$T/khq"
	fi
	answer no
	askers ours "$T/khq" -o StrictHostKeyChecking=ask "$user@$H" true \
	    >/dev/null 2>&1 </dev/null
	mv "$T/askpass.log" "$T/ask.ours"
	answer no
	askers theirs "$T/khq" -o StrictHostKeyChecking=ask "$user@$H" true \
	    >/dev/null 2>&1 </dev/null
	if cmp -s "$T/ask.ours" "$T/askpass.log"; then
		pass "ask-prompt-as-openssh-$case"
	else
		fail "ask-prompt-as-openssh-$case" \
		    "$(diff "$T/ask.ours" "$T/askpass.log" | tr '\n' ' ')"
	fi
done
answer no
expect_rc ask-no 255 askers ours "$T/kh3" -o StrictHostKeyChecking=ask \
    "$user@$H" true
if [ -e "$T/kh3" ]; then fail ask-no-nofile "kh3 written"
else pass ask-no-nofile; fi
answer "$FP"
expect_rc ask-fingerprint 0 askers ours "$T/kh4" \
    -o StrictHostKeyChecking=ask "$user@$H" true
grep_file ask-fingerprint-added "^\[$H\]:$PORT ssh-ed25519 " "$T/kh4"
answer yes
expect_rc ask-batchmode 255 askers ours "$T/kh5" \
    -o StrictHostKeyChecking=ask -o BatchMode=yes "$user@$H" true
if [ -s "$T/askpass.log" ]; then fail ask-batchmode-no-prompt \
    "$(cat "$T/askpass.log")"; else pass ask-batchmode-no-prompt; fi
answer "maybe"
expect_rc ask-other-answer 255 askers ours "$T/kh5" \
    -o StrictHostKeyChecking=ask "$user@$H" true
grep_file ask-reprompt "^Please type 'yes', 'no' or the fingerprint: \$" "$T/askpass.log"

# The same question on a terminal (/dev/tty), answered "yes".
/usr/bin/python3 "$SRC/regress/lib/askterm.py" \
    "(yes/no/[fingerprint])? " yes "$SSH" -F /dev/null -p "$PORT" \
    -o UserKnownHostsFile="$T/khtty" -o GlobalKnownHostsFile=/dev/null \
    $ID -o StrictHostKeyChecking=ask "$user@$H" echo tty-ok >"$T/tty.out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q "^tty-ok" "$T/tty.out" &&
    grep -q "^ED25519 key fingerprint is $FP\.\$" "$T/tty.out"; then
	pass ask-tty-yes
else
	fail ask-tty-yes "exit $rc $(tr '\n' ' ' <"$T/tty.out")"
fi
grep_file ask-tty-added "^\[$H\]:$PORT ssh-ed25519 " "$T/khtty"

# --- hashed entries
ours "$T/kh6" -o StrictHostKeyChecking=accept-new -o HashKnownHosts=yes \
    "$user@$H" true >/dev/null 2>&1 </dev/null
grep_file hashed-written "^|1|[A-Za-z0-9+/=]*|[A-Za-z0-9+/=]* ssh-ed25519 " "$T/kh6"
if grep -q "$H" "$T/kh6"; then fail hashed-no-name "$(cat "$T/kh6")"
else pass hashed-no-name; fi
expect_rc hashed-ours 0 ours "$T/kh6" -o StrictHostKeyChecking=yes \
    "$user@$H" true
expect_rc hashed-openssh-reads 0 theirs "$T/kh6" \
    -o StrictHostKeyChecking=yes "$user@$H" true
cp "$T/kh1" "$T/kh7"
"$OSSH_KEYGEN" -q -H -f "$T/kh7" >/dev/null 2>&1
expect_rc hashed-by-ssh-keygen 0 ours "$T/kh7" -o StrictHostKeyChecking=yes \
    "$user@$H" true

# --- patterns, alias, global file, CheckHostIP
printf '%s %s\n' "*,!nothere" "$HK" >"$T/kh8"
expect_rc pattern 0 ours "$T/kh8" -o StrictHostKeyChecking=yes \
    "$user@$H" true
printf '%s %s\n' "*,!$NAME" "$HK" >"$T/kh8"
expect_rc pattern-negated 255 ours "$T/kh8" -o StrictHostKeyChecking=yes \
    "$user@$H" true
ours "$T/kh9" -o HostKeyAlias=keelalias -o StrictHostKeyChecking=accept-new \
    "$user@$H" true >/dev/null 2>&1 </dev/null
if [ "$(cat "$T/kh9" 2>/dev/null)" = "keelalias $HK" ]; then
	pass hostkeyalias-add; else fail hostkeyalias-add "$(cat "$T/kh9")"; fi
expect_rc hostkeyalias-known 0 ours "$T/kh9" -o HostKeyAlias=keelalias \
    -o StrictHostKeyChecking=yes "$user@$H" true
echo "$NAME $HK" >"$T/global"
expect_rc global-file 0 setsid -w timeout 30 "$SSH" -F /dev/null \
    -p "$PORT" -o UserKnownHostsFile="$T/kh10" \
    -o GlobalKnownHostsFile="$T/global" $ID \
    -o StrictHostKeyChecking=yes "$user@$H" true
if getent hosts localhost | grep -q "127.0.0.1"; then
	ours "$T/kh11" -4 -o CheckHostIP=yes \
	    -o StrictHostKeyChecking=accept-new "$user@localhost" true \
	    >/dev/null 2>"$T/err" </dev/null
	grep_file checkhostip "^\[localhost\]:$PORT,\[$H\]:$PORT ssh-ed25519 " "$T/kh11"
else
	skip checkhostip "localhost is not 127.0.0.1 here"
fi

# --- changed: OpenSSH's words, exit 255
echo "$NAME $OTHER" >"$T/kh12"
ours "$T/kh12" -o StrictHostKeyChecking=ask "$user@$H" true \
    >/dev/null 2>"$T/err.ours" </dev/null
rc=$?
theirs "$T/kh12" -o StrictHostKeyChecking=ask "$user@$H" true \
    >/dev/null 2>"$T/err.theirs" </dev/null
if [ $rc = 255 ]; then pass changed-255; else fail changed-255 "exit $rc"; fi
grep_file changed-banner "^@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @" "$T/err.ours"
tr -d '\r' <"$T/err.ours" >"$T/e1"
tr -d '\r' <"$T/err.theirs" >"$T/e2"
if cmp -s "$T/e1" "$T/e2"; then pass changed-as-openssh; else
	fail changed-as-openssh "$(diff "$T/e1" "$T/e2" | tr '\n' ' ')"; fi
expect_rc changed-strict-yes 255 ours "$T/kh12" \
    -o StrictHostKeyChecking=yes "$user@$H" true
# StrictHostKeyChecking no: on, but no passwords.
ours "$T/kh12" -o StrictHostKeyChecking=no "$user@$H" echo went-on \
    >"$T/out" 2>"$T/err" </dev/null
if [ "$(cat "$T/out")" = went-on ]; then pass changed-shk-no; else
	fail changed-shk-no "$(cat "$T/err")"; fi
grep_file changed-no-passwords "^Password authentication is disabled to avoid man-in-the-middle attacks\." "$T/err"

# --- revoked
printf '@revoked %s %s\n%s %s\n' "$NAME" "$HK" "$NAME" "$HK" >"$T/kh13"
expect_rc revoked 255 ours "$T/kh13" -o StrictHostKeyChecking=no \
    "$user@$H" true
ours "$T/kh13" "$user@$H" true >/dev/null 2>"$T/err" </dev/null
grep_file revoked-text "WARNING: REVOKED HOST KEY DETECTED!" "$T/err"
grep_file revoked-failed "^Host key verification failed\." "$T/err"

# --- known key types are offered first
echo "$NAME $HKE" >"$T/kh14"
ours "$T/kh14" -v -o StrictHostKeyChecking=yes "$user@$H" true \
    >/dev/null 2>"$T/err" </dev/null
rc=$?
if [ $rc = 0 ] && grep -q "Server host key: ecdsa-sha2-nistp256" "$T/err"
then pass known-type-first; else
	fail known-type-first "exit $rc $(grep 'host key' "$T/err" | head -n 2)"; fi

sshlib_stop
