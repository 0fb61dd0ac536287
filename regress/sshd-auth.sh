# regress/sshd-auth.sh: user authentication in our sshd, driven by
# OpenSSH's ssh: publickey with authorized_keys options, password (via
# SSH_ASKPASS), invalid users, StrictModes, MaxAuthTries, locked
# accounts, and many failed attempts across connections.
#
# Needs root (test accounts are created with useradd and removed at
# exit; sshd's monitor runs as root).  Never touches /etc/nologin.
. "$SRC/regress/lib/test-lib.sh"

if [ ! -x "$SSHD" ]; then
	skip sshd-auth "sshd is not built"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	skip sshd-auth "needs root: test accounts and privilege separation"
	exit 0
fi
for p in "$OSSH_SSH" "$OSSH_KEYGEN" /usr/sbin/useradd /usr/sbin/chpasswd \
    /usr/sbin/userdel /usr/sbin/usermod; do
	if [ ! -x "$p" ]; then
		skip sshd-auth "$p is missing"
		exit 0
	fi
done

# Names unique to this run (at most 32 characters).
U1="kau$$a"
U2="kau$$b"
PW1="Pw-$$-one"
PW2="Pw-$$-two"
SSHD_PID=
USERS_MADE=
H=

cleanup() {
	if [ -n "$SSHD_PID" ]; then
		kill "$SSHD_PID" 2>/dev/null
		i=0
		while [ $i -lt 50 ] && kill -0 "$SSHD_PID" 2>/dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
	fi
	for u in $USERS_MADE; do
		/usr/sbin/userdel -f "$u" >/dev/null 2>&1
	done
	rm -rf "$T" "${H:-}"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Homes the users can reach ($T's parents may be private to root).
H=$(mktemp -d "${TMPDIR:-/tmp}/keel-auth-home.XXXXXX") || exit 1
chmod 755 "$H"

make_user() {
	/usr/sbin/useradd -m -d "$H/$1" -s /bin/sh "$1" || return 1
	USERS_MADE="$USERS_MADE $1"
	echo "$1:$2" | /usr/sbin/chpasswd || return 1
	chmod 755 "$H/$1"
	mkdir -m 700 "$H/$1/.ssh"
	: >"$H/$1/.ssh/authorized_keys"
	chmod 600 "$H/$1/.ssh/authorized_keys"
	chown -R "$1" "$H/$1/.ssh"
}

if ! make_user "$U1" "$PW1" || ! make_user "$U2" "$PW2"; then
	fail accounts "could not create the test accounts"
	exit 0
fi
AK1="$H/$U1/.ssh/authorized_keys"
AK2="$H/$U2/.ssh/authorized_keys"

# Client keys: k_plain, k_cmd, k_from, k_exp, k_nopty, k_env, k_restrict,
# and ten keys nobody authorized (k_x0..k_x9).
for k in plain cmd from exp nopty env restrict x0 x1 x2 x3 x4 x5 x6 x7 \
    x8 x9; do
	"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/k_$k" || exit 1
done
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/hostkey" || exit 1
pub() { cat "$T/k_$1.pub"; }
{
	pub plain
	echo "command=\"echo forced-command\" $(pub cmd)"
	echo "from=\"10.99.99.99\" $(pub from)"
	echo "expiry-time=\"20000101\" $(pub exp)"
	echo "no-pty $(pub nopty)"
	echo "environment=\"KEEL_TEST_ENV=env-$$\" $(pub env)"
	echo "restrict $(pub restrict)"
} >"$AK1"
pub plain >"$AK2"

PORT=$(free_port)
cat >"$T/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/hostkey
PidFile $T/sshd.pid
LogLevel VERBOSE
PubkeyAuthentication yes
PasswordAuthentication yes
PermitUserEnvironment yes
StrictModes yes
MaxAuthTries 10
MaxStartups 50:30:100
AuthorizedKeysFile .ssh/authorized_keys
EOF

"$SSHD" -D -e -f "$T/sshd_config" -E "$T/sshd.log" &
SSHD_PID=$!
i=0
while [ $i -lt 100 ] &&
    ! grep -q "Server listening" "$T/sshd.log" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if ! kill -0 "$SSHD_PID" 2>/dev/null; then
	fail sshd-start "sshd did not start:" \
	    "$(tail -n 3 "$T/sshd.log" | tr '\n' ' ')"
	SSHD_PID=
	exit 0
fi

unset SSH_AUTH_SOCK
SSH_OPTS="-F /dev/null -p $PORT -o UserKnownHostsFile=$T/known_hosts
 -o StrictHostKeyChecking=no -o LogLevel=ERROR -o ConnectTimeout=10"

# ssh with key $1 as user $2, then the command.
ssh_key() {
	k=$1
	u=$2
	shift 2
	# shellcheck disable=SC2086
	timeout 30 "$OSSH_SSH" $SSH_OPTS -o BatchMode=yes \
	    -o IdentitiesOnly=yes -o PasswordAuthentication=no \
	    -i "$T/k_$k" "$u@127.0.0.1" "$@" </dev/null
}

# ssh with password $1 (through SSH_ASKPASS) as user $2, then the command.
ssh_pw() {
	printf '#!/bin/sh\necho "%s"\n' "$1" >"$T/askpass"
	chmod 700 "$T/askpass"
	u=$2
	shift 2
	# shellcheck disable=SC2086
	SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	    timeout 30 "$OSSH_SSH" $SSH_OPTS -o PubkeyAuthentication=no \
	    -o PreferredAuthentications=password \
	    -o NumberOfPasswordPrompts="${PROMPTS:-1}" \
	    "$u@127.0.0.1" "$@" </dev/null
}

# The log has (grep -F) this line, waiting a little for it.
log_has() {
	i=0
	while [ $i -lt 50 ]; do
		grep -qF -- "$1" "$T/sshd.log" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# expect NAME WANT OUT: the output must be exactly WANT.
expect_out() {
	if [ "$3" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

# ------------------------------------------------------------ publickey

out=$(ssh_key plain "$U1" 'echo "hi-$(id -un)"' 2>"$T/err")
if log_has "Accepted publickey for $U1 from 127.0.0.1"; then
	pass pubkey-accepted
else
	fail pubkey-accepted "no Accepted publickey line in the log"
fi
# Sessions are another module's: say so rather than fail on them.
if [ "$out" = "hi-$U1" ]; then
	SESSIONS=1
	pass pubkey-session
else
	SESSIONS=0
	skip pubkey-session "no session output (sessions not working yet?):" \
	    "$(tr '\n' ' ' <"$T/err")"
fi

session_check() {
	name=$1
	want=$2
	got=$3
	if [ "$SESSIONS" = 1 ]; then
		expect_out "$name" "$want" "$got"
	else
		skip "$name" "sessions not working"
	fi
}

if ssh_key x0 "$U1" true 2>/dev/null; then
	fail pubkey-unknown-key "a key not in authorized_keys was accepted"
else
	pass pubkey-unknown-key
fi

out=$(ssh_key cmd "$U1" 'echo not-forced' 2>/dev/null)
session_check command-option forced-command "$out"

if ssh_key from "$U1" true 2>/dev/null; then
	fail from-option "from=\"10.99.99.99\" key accepted from 127.0.0.1"
else
	pass from-option
fi

if ssh_key exp "$U1" true 2>/dev/null; then
	fail expiry-option "an expired key was accepted"
else
	pass expiry-option
fi

# A refused pty-req: OpenSSH's client gives up when -tt asked for one.
pty_refused() {
	name=$1
	k=$2
	ssh_key "$k" "$U1" -tt true >/dev/null 2>"$T/err"
	if [ "$SESSIONS" = 0 ]; then
		skip "$name" "sessions not working"
	elif grep -q "PTY allocation request failed" "$T/err"; then
		pass "$name"
	else
		fail "$name" "pty not refused: $(tr '\n' ' ' <"$T/err")"
	fi
}
pty_refused no-pty-option nopty

out=$(ssh_key env "$U1" 'echo "$KEEL_TEST_ENV"' 2>/dev/null)
session_check environment-option "env-$$" "$out"

pty_refused restrict-option restrict
out=$(ssh_key restrict "$U1" 'echo restricted-ok' 2>/dev/null)
session_check restrict-login restricted-ok "$out"

# ------------------------------------------------------------ StrictModes

strict_case() {
	name=$1
	path=$2
	chmod g+w "$path"
	if ssh_key plain "$U1" true 2>/dev/null; then
		fail "$name" "accepted with $path group-writable"
	else
		pass "$name"
	fi
	chmod g-w "$path"
}
strict_case strictmodes-file "$AK1"
strict_case strictmodes-dotssh "$H/$U1/.ssh"
strict_case strictmodes-home "$H/$U1"
if ssh_key plain "$U1" true 2>/dev/null; then
	pass strictmodes-restored
else
	fail strictmodes-restored "the key is refused with safe modes again"
fi

# ------------------------------------------------------------ passwords

out=$(ssh_pw "$PW1" "$U1" 'echo pw-ok' 2>"$T/err")
if log_has "Accepted password for $U1 from 127.0.0.1"; then
	pass password-accepted
else
	fail password-accepted "no Accepted password line:" \
	    "$(tr '\n' ' ' <"$T/err")"
fi
session_check password-session pw-ok "$out"

if ssh_pw "wrong-$PW1" "$U1" true 2>/dev/null; then
	fail password-wrong "a wrong password was accepted"
elif log_has "Failed password for $U1 from 127.0.0.1"; then
	pass password-wrong
else
	fail password-wrong "no Failed password line in the log"
fi

NOUSER="kaunone$$"
ssh_pw "$PW1" "$NOUSER" true 2>"$T/err_invalid"
rc=$?
ssh_pw "wrong-$PW1" "$U1" true 2>"$T/err_wrong"
if [ $rc -ne 0 ] && log_has "Invalid user $NOUSER from 127.0.0.1" &&
    log_has "Failed password for invalid user $NOUSER from 127.0.0.1"; then
	pass invalid-user
else
	fail invalid-user "rc $rc or no Invalid user / Failed password lines"
fi
# The client sees the same thing for both.
if [ "$(sed "s/$NOUSER/X/g" "$T/err_invalid")" = \
    "$(sed "s/$U1/X/g" "$T/err_wrong")" ]; then
	pass invalid-user-same-answer
else
	fail invalid-user-same-answer "$(tr '\n' ' ' <"$T/err_invalid") vs" \
	    "$(tr '\n' ' ' <"$T/err_wrong")"
fi

# ------------------------------------------------------------ locked

/usr/sbin/usermod -L "$U2"
if ssh_pw "$PW2" "$U2" true 2>/dev/null; then
	fail locked-password "a locked account logged in with its password"
else
	pass locked-password
fi
if ssh_key plain "$U2" true 2>/dev/null; then
	fail locked-pubkey "a locked account logged in with a key"
else
	pass locked-pubkey
fi
/usr/sbin/usermod -U "$U2"
if ssh_key plain "$U2" true 2>/dev/null; then
	pass unlocked-pubkey
else
	fail unlocked-pubkey "the unlocked account cannot log in"
fi

# ------------------------------------------------------------ nologin

skip nologin "the nologin path cannot be pointed elsewhere in sshd, and" \
    "this test never creates the real /etc/nologin (unit-tested in" \
    "test_monitor)"

# ------------------------------------------------------------ MaxAuthTries

out=$(PROMPTS=12 ssh_pw "wrong-$PW1" "$U1" true 2>&1)
if echo "$out" | grep -q "Too many authentication failures" &&
    log_has "Disconnecting authenticating user $U1 127.0.0.1 port" ; then
	pass maxauthtries
else
	fail maxauthtries "client said: $(echo "$out" | tr '\n' ' ')"
fi

# ------------------------------------------------------------ many attempts

# Ten unauthorized keys per connection: ten counted failures, then the
# server disconnects.  100 connections: 1000 attempts.
many() {
	n=0
	while [ $n -lt 50 ]; do
		# shellcheck disable=SC2086
		timeout 60 "$OSSH_SSH" $SSH_OPTS -o BatchMode=yes \
		    -o IdentitiesOnly=yes -o PasswordAuthentication=no \
		    -i "$T/k_x0" -i "$T/k_x1" -i "$T/k_x2" -i "$T/k_x3" \
		    -i "$T/k_x4" -i "$T/k_x5" -i "$T/k_x6" -i "$T/k_x7" \
		    -i "$T/k_x8" -i "$T/k_x9" -i "$T/k_x0" \
		    "$U1@127.0.0.1" true </dev/null >/dev/null 2>"$1.one"
		rc=$?
		[ $rc -eq 0 ] && echo "accepted" >>"$T/many.bad"
		grep -q "Too many authentication failures" "$1.one" ||
		    echo "exit status $rc" >>"$1.one"
		cat "$1.one" >>"$1"
		n=$((n + 1))
	done
}
many "$T/many1.err" &
m1=$!
many "$T/many2.err" &
m2=$!
wait $m1 $m2
ended=$(cat "$T/many1.err" "$T/many2.err" |
    grep -c "Too many authentication failures")
if [ -e "$T/many.bad" ]; then
	fail many-attempts "an unauthorized key was accepted"
elif [ "$ended" -eq 100 ]; then
	pass many-attempts
else
	fail many-attempts "$ended of 100 connections ended with Too many" \
	    "authentication failures: $(sort "$T/many1.err" "$T/many2.err" |
	    uniq -c | head -n 5 | tr '\n' ' ')"
fi
# Every connection's processes are gone, and the server still serves.
i=0
while [ $i -lt 50 ] && [ -n "$(pgrep -P "$SSHD_PID")" ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$(pgrep -P "$SSHD_PID")" ]; then
	pass many-attempts-cleaned-up
else
	fail many-attempts-cleaned-up "children left:" \
	    "$(pgrep -P "$SSHD_PID" | tr '\n' ' ')"
fi
if ssh_key plain "$U1" true 2>/dev/null; then
	pass still-serving
else
	fail still-serving "sshd refuses a good key after the attempts"
fi
if kill -0 "$SSHD_PID" 2>/dev/null; then
	pass sshd-alive
else
	fail sshd-alive "sshd died"
fi
