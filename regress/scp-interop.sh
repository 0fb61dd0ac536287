#!/bin/sh
# regress/scp-interop.sh: scp over a real ssh transport.
#
# Debian's sshd runs on a free port of 127.0.0.1 with its own config,
# host key and authorized_keys in $T (as root; killed by its PID at the
# end), and OpenSSH's ssh is the transport (-S /usr/bin/ssh).  Every
# session goes through a forced command that picks the far end from
# KEEL_FAR (sent with SetEnv): our scp / sftp-server ("ours") or
# OpenSSH's ("openssh").  Checked: our scp against both far ends in both
# modes, OpenSSH's scp against ours, integrity at block-size edges and
# 10 MiB + 1, a tree with -r -p, odd names, -3 between two "hosts", and
# a missing-file error worded as OpenSSH's.

. "$SRC/regress/lib/test-lib.sh"

if [ ! -x "$SCP" ] || [ ! -x "$SFTP_SERVER" ]; then
	skip scp-interop-built "$SCP or $SFTP_SERVER not built"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	skip scp-interop-sshd "starting Debian's sshd needs root"
	exit 0
fi
for p in "$OSSH_SSHD" "$OSSH_SSH" "$OSSH_SCP" "$OSSH_KEYGEN" \
    "$OSSH_SFTP_SERVER"; do
	if [ ! -x "$p" ]; then
		skip scp-interop-peers "$p is not installed"
		exit 0
	fi
done

umask 022
PORT=$(free_port)
mkdir -p "$T/ours" "$T/openssh" "$T/src"
ln -s "$SCP" "$T/ours/scp"
ln -s "$OSSH_SCP" "$T/openssh/scp"
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/hostkey" || exit 1
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/id" || exit 1
cp "$T/id.pub" "$T/authorized_keys"
echo "[127.0.0.1]:$PORT $(cat "$T/hostkey.pub")" >"$T/known_hosts"

# The forced command: the far end the client asked for.
cat >"$T/far" <<EOF
#!/bin/sh
case "\${KEEL_FAR:-ours}" in
ours)	PATH="$T/ours:\$PATH" srv="$SFTP_SERVER" ;;
*)	PATH="$T/openssh:\$PATH" srv="$OSSH_SFTP_SERVER" ;;
esac
export PATH
case "\$SSH_ORIGINAL_COMMAND" in
"$T/sftp-subsystem")	exec "\$srv" ;;
*)	exec sh -c "\$SSH_ORIGINAL_COMMAND" ;;
esac
EOF
chmod 755 "$T/far"

cat >"$T/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/hostkey
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AcceptEnv KEEL_FAR
ForceCommand $T/far
Subsystem sftp $T/sftp-subsystem
EOF

[ -d /run/sshd ] || mkdir -p /run/sshd
"$OSSH_SSHD" -f "$T/sshd_config" -E "$T/sshd.log" || {
	skip scp-interop-sshd "sshd did not start: $(tail -n 3 "$T/sshd.log")"
	exit 0
}
stop_sshd() {
	if [ -s "$T/sshd.pid" ]; then
		kill "$(cat "$T/sshd.pid")" 2>/dev/null
	fi
	rm -rf "$T"
}
trap stop_sshd EXIT

SSHOPTS="-F /dev/null -i $T/id -o IdentitiesOnly=yes -o BatchMode=yes \
-o UserKnownHostsFile=$T/known_hosts -o StrictHostKeyChecking=yes \
-o LogLevel=ERROR"

# Wait (bounded) for sshd to answer.
i=0
while [ $i -lt 50 ]; do
	# shellcheck disable=SC2086
	"$OSSH_SSH" $SSHOPTS -p "$PORT" 127.0.0.1 true >/dev/null 2>&1 && break
	sleep 0.1
	i=$((i + 1))
done
# shellcheck disable=SC2086
if ! "$OSSH_SSH" $SSHOPTS -p "$PORT" 127.0.0.1 true >"$T/c.err" 2>&1; then
	fail sshd-reachable "$(cat "$T/c.err") $(tail -n 5 "$T/sshd.log")"
	exit 0
fi
# The forced command really selects our scp.
# shellcheck disable=SC2086
where=$("$OSSH_SSH" $SSHOPTS -o SetEnv=KEEL_FAR=ours -p "$PORT" 127.0.0.1 \
    'command -v scp' 2>&1)
if [ "$where" = "$T/ours/scp" ]; then
	pass far-end-is-ours
else
	fail far-end-is-ours "remote scp is '$where'"
	exit 0
fi

# xscp CLIENT FAR ARGS...: run scp CLIENT (ours|openssh) over ssh with
# far end FAR; output in $T/x.err.
xscp() {
	c=$1 far=$2
	shift 2
	# shellcheck disable=SC2086
	PATH="$T/$c:$PATH" scp -q -S "$OSSH_SSH" $SSHOPTS -P "$PORT" \
	    -o "SetEnv=KEEL_FAR=$far" "$@" >"$T/x.err" 2>&1
}

sum() {
	if [ -f "$1" ]; then
		sha256sum <"$1" | cut -d' ' -f1
	else
		echo missing
	fi
}

SIZES="0 1 32767 32768 32769 10485761"
for n in $SIZES; do
	head -c "$n" /dev/urandom >"$T/src/f.$n"
done

# Integrity: CLIENT FAR MODEFLAG, every size up and down.
for combo in "ours ours -O" "ours openssh -O" "openssh ours -O" \
    "ours ours -s" "ours openssh -s" "openssh ours -s"; do
	# shellcheck disable=SC2086
	set -- $combo
	c=$1 far=$2 flag=$3
	name="$c-$far$flag"
	rm -rf "$T/up" "$T/down"
	mkdir -p "$T/up" "$T/down"
	bad=
	for n in $SIZES; do
		xscp "$c" "$far" $flag "$T/src/f.$n" "127.0.0.1:$T/up/" ||
			bad="$bad up:$n(exit)"
		[ "$(sum "$T/src/f.$n")" = "$(sum "$T/up/f.$n")" ] ||
			bad="$bad up:$n"
		xscp "$c" "$far" $flag "127.0.0.1:$T/src/f.$n" "$T/down/" ||
			bad="$bad down:$n(exit)"
		[ "$(sum "$T/src/f.$n")" = "$(sum "$T/down/f.$n")" ] ||
			bad="$bad down:$n"
	done
	if [ -z "$bad" ]; then
		pass "sshd-integrity-$name"
	else
		fail "sshd-integrity-$name" "$bad: $(cat "$T/x.err")"
	fi
done

# A tree with odd names, -r -p, there and back, compared with the same
# copy made by OpenSSH's scp at both ends.
TREE="$T/tree"
mkdir -p "$TREE/empty" "$TREE/sub"
echo one >"$TREE/sp ace"
echo two >"$TREE/quo'te"
echo three >"$TREE/$(printf 'caf\303\251')"
echo four >"$TREE/sub/file"
ln -s "sp ace" "$TREE/link"
chmod 640 "$TREE/sub/file"
touch -d "2003-04-05 06:07:08" "$TREE/sub/file"

listing() {
	(cd "$1" && find . -printf '%y %m %s %T@ %p\n' |
	    sed 's/\.[0-9]* \./ ./' | LC_ALL=C sort)
}
for flag in -O -s; do
	for who in openssh ours; do
		rm -rf "$T/tree-$who.up" "$T/tree-$who.down"
		xscp "$who" "$who" $flag -r -p "$TREE" \
		    "127.0.0.1:$T/tree-$who.up"
		xscp "$who" "$who" $flag -r -p "127.0.0.1:$T/tree-$who.up" \
		    "$T/tree-$who.down"
	done
	listing "$T/tree-openssh.down" >"$T/l.ref"
	listing "$T/tree-ours.down" >"$T/l.ours"
	if [ -s "$T/l.ref" ] && cmp -s "$T/l.ref" "$T/l.ours"; then
		pass "sshd-tree$flag"
	else
		fail "sshd-tree$flag" "$(diff "$T/l.ref" "$T/l.ours" |
		    head -n 6 | tr '\n' '|')"
	fi
done

# Remote to remote through us (both "hosts" are this sshd).
for flag in -O -s; do
	rm -f "$T/rr.dst"
	xscp ours ours $flag -3 "127.0.0.1:$T/src/f.32769" \
	    "127.0.0.1:$T/rr.dst"
	if [ "$(sum "$T/rr.dst")" = "$(sum "$T/src/f.32769")" ]; then
		pass "sshd-remote-to-remote$flag"
	else
		fail "sshd-remote-to-remote$flag" "$(cat "$T/x.err")"
	fi
done

# A missing file: OpenSSH's words and exit status.
for flag in -O -s; do
	xscp openssh openssh $flag "127.0.0.1:$T/nonexistent" "$T/"
	echo "exit $?" >>"$T/x.err"
	tr -d '\r' <"$T/x.err" >"$T/m.ref"
	xscp ours ours $flag "127.0.0.1:$T/nonexistent" "$T/"
	echo "exit $?" >>"$T/x.err"
	tr -d '\r' <"$T/x.err" >"$T/m.ours"
	if cmp -s "$T/m.ref" "$T/m.ours" && ! grep -q "^exit 0" "$T/m.ours"
	then
		pass "sshd-missing$flag"
	else
		fail "sshd-missing$flag" "$(diff "$T/m.ref" "$T/m.ours" |
		    tr '\n' '|')"
	fi
done
