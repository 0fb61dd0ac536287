#!/bin/sh
# regress/sshd-access.sh: AllowUsers, DenyUsers, AllowGroups, DenyGroups
# (user@host patterns, the user's groups, OpenSSH's log lines) and
# AuthenticationMethods, with
# OpenSSH's ssh logging in by key as the user running the test.
. "$SRC/regress/lib/test-lib.sh"

if [ ! -x "$SSHD" ]; then
	skip sshd-access "sshd not built yet"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	skip sshd-access "needs root (privilege-separated sshd)"
	exit 0
fi
ME=$(id -un)
GRP=$(id -gn)

"$KEYGEN" -q -t ed25519 -N '' -f "$T/hk" >/dev/null 2>&1 || fail keygen hk
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/id" >/dev/null 2>&1 ||
    fail keygen id
cp "$T/id.pub" "$T/authorized_keys"

# try NAME EXPECT(ok|denied) LOGLINE sshd_config-lines...
try() {
	name=$1 expect=$2 logline=$3
	shift 3
	port=$(free_port)
	{
		echo "Port $port"
		echo "ListenAddress 127.0.0.1"
		echo "HostKey $T/hk"
		echo "PidFile $T/sshd.pid"
		echo "AuthorizedKeysFile $T/authorized_keys"
		echo "StrictModes no"
		echo "PermitRootLogin prohibit-password"
		for l in "$@"; do echo "$l"; done
	} >"$T/cfg"
	: >"$T/log"
	"$SSHD" -f "$T/cfg" -D -e >"$T/log" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 50 ] && ! grep -q "Server listening" "$T/log"; do
		sleep 0.1
		i=$((i + 1))
	done
	out=$(timeout 30 "$OSSH_SSH" -F /dev/null -o BatchMode=yes \
	    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	    -o IdentitiesOnly=yes -i "$T/id" -p "$port" "$ME@127.0.0.1" \
	    echo in 2>"$T/err")
	rc=$?
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ "$expect" = ok ]; then
		if [ $rc -eq 0 ] && [ "$out" = in ]; then
			pass "$name"
		else
			fail "$name" "expected login, rc=$rc: $(cat "$T/err")"
		fi
		return
	fi
	if [ $rc -ne 255 ] || [ -n "$out" ]; then
		fail "$name" "expected refusal, rc=$rc out=$out"
	elif ! grep -q "Permission denied" "$T/err"; then
		fail "$name" "no Permission denied: $(cat "$T/err")"
	elif ! grep -qF "$logline" "$T/log"; then
		fail "$name" "log lacks '$logline': $(cat "$T/log")"
	else
		pass "$name"
	fi
}

try access-none ok ""
try access-allowusers-ok ok "" "AllowUsers nosuchuser $ME"
try access-allowusers-host ok "" "AllowUsers $ME@127.0.0.1"
try access-allowusers-wronghost denied \
    "User $ME from 127.0.0.1 not allowed because not listed in AllowUsers" \
    "AllowUsers $ME@10.9.8.7"
try access-allowusers-no denied \
    "User $ME from 127.0.0.1 not allowed because not listed in AllowUsers" \
    "AllowUsers nosuchuser"
try access-denyusers denied \
    "User $ME from 127.0.0.1 not allowed because listed in DenyUsers" \
    "DenyUsers nosuchuser ${ME}*"
try access-allowgroups-ok ok "" "AllowGroups nosuchgroup $GRP"
try access-allowgroups-no denied \
    "not allowed because none of user's groups are listed in AllowGroups" \
    "AllowGroups nosuchgroup"
try access-denygroups denied \
    "User $ME from 127.0.0.1 not allowed because a group is listed in DenyGroups" \
    "DenyGroups $GRP"
# Match applies per user: a DenyUsers inside a Match for another user
# does not hit us.
try access-match-other ok "" "Match User nosuchuser" "DenyUsers *"
# AuthenticationMethods: a single method list enables just that method;
# lists needing two methods are not supported and fail closed.
try authmethods-publickey ok "" "AuthenticationMethods publickey"
try authmethods-password-only denied "" \
    "AuthenticationMethods password"
try authmethods-two-factor denied \
    "AuthenticationMethods list \"publickey,password\" is not supported" \
    "LogLevel VERBOSE" \
    "AuthenticationMethods publickey,password"
# UseDNS: 127.0.0.1's reverse name (localhost, confirmed forward) can be
# matched by user@host patterns; without UseDNS only the address is.
if getent hosts localhost | grep -q '127\.0\.0\.1'; then
	try usedns-name denied \
	    "User $ME from 127.0.0.1 not allowed because listed in DenyUsers" \
	    "UseDNS yes" "DenyUsers $ME@localhost"
	try usedns-off ok "" "UseDNS no" "DenyUsers $ME@localhost"
else
	skip usedns "localhost does not resolve to 127.0.0.1 here"
fi
