#!/bin/sh
# regress/interop-openssh.sh: our sshd and ssh against OpenSSH 9.2's.
#
# (a) OpenSSH's ssh -> our sshd, (b) our ssh -> OpenSSH's sshd (each
#     sshd started here on a high port with its own config and keys in
#     $T, one server for the whole matrix): every KEX x cipher x MAC
#     (where the cipher is not AEAD) x host key algorithm of issue 3, one
#     connection each offering exactly those names, publickey login,
#     "echo" as the command; exit status and output checked.  Then, in
#     each direction: remote exit status, stdout/stderr separation,
#     stdin to stdout integrity (1 MB, and 0 B), a rekey mid-transfer,
#     password login (root only: needs a test account).
#
# TRANSPORT_MATRIX=quick (as regress/transport-interop.sh) runs a
# covering subset: every KEX and host key with each other, every
# (cipher, MAC) pair at least once.  Default: the full product.
# INTEROP_SSHD / INTEROP_SSH replace ours (to check this script against
# OpenSSH itself).

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/interop.sh"

KEXES="curve25519-sha256 curve25519-sha256@libssh.org ecdh-sha2-nistp256
ecdh-sha2-nistp384 ecdh-sha2-nistp521 diffie-hellman-group-exchange-sha256
diffie-hellman-group16-sha512 diffie-hellman-group18-sha512
diffie-hellman-group14-sha256"
HOSTKEYS="ssh-ed25519 ecdsa-sha2-nistp256 ecdsa-sha2-nistp384
ecdsa-sha2-nistp521 rsa-sha2-512 rsa-sha2-256"
CIPHERS="chacha20-poly1305@openssh.com aes128-gcm@openssh.com
aes256-gcm@openssh.com aes128-ctr aes192-ctr aes256-ctr"
MACS="hmac-sha2-256-etm@openssh.com hmac-sha2-512-etm@openssh.com
hmac-sha1-etm@openssh.com hmac-sha2-256 hmac-sha2-512 hmac-sha1"
MODE=${TRANSPORT_MATRIX:-full}

commas() {
	echo $* | tr ' ' ','
}

# The (cipher, MAC) pairs: AEAD ciphers once (their MAC is implicit;
# the MAC offered is the first), the others with every MAC.
pairs() {
	for c in $CIPHERS; do
		case $c in
		*gcm*|chacha*)
			echo "$c $(echo $MACS | cut -d' ' -f1)"
			continue ;;
		esac
		for m in $MACS; do
			echo "$c $m"
		done
	done
}

# Lines "kex hostkeyalg cipher mac" to try, for $MODE.
combos() {
	pairs >"$T/pairs"
	np=$(wc -l <"$T/pairs")
	n=0
	for k in $KEXES; do
		for h in $HOSTKEYS; do
			if [ "$MODE" = quick ]; then
				sed -n "$((n % np + 1))p" "$T/pairs" |
				    sed "s/^/$k $h /"
			else
				sed "s/^/$k $h /" "$T/pairs"
			fi
			n=$((n + 1))
		done
	done
}

# matrix_worker FILE OUT CLIENT-COMMAND...: the combinations in FILE,
# one connection each (the client gets -o options, then "sut echo ...");
# a line in OUT per failure.
matrix_worker() {
	f=$1 o=$2
	shift 2
	: >"$o"
	while read -r kk h c m; do
		out=$("$@" -o KexAlgorithms="$kk" -o HostKeyAlgorithms="$h" \
		    -o Ciphers="$c" -o MACs="$m" sut echo "kio-$h-$c" \
		    2>&1 </dev/null)
		rc=$?
		if [ $rc -ne 0 ] || [ "$out" != "kio-$h-$c" ]; then
			echo "[$h $c $m: rc $rc: $(echo "$out" | tail -n 2 |
			    tr '\n' ' ' | cut -c1-160)]" >>"$o"
		fi
	done <"$f"
}

# run_matrix DIR CLIENT-COMMAND...: every combination, two connections
# at a time (INTEROP_JOBS); one result per KEX method.
run_matrix() {
	dir=$1
	shift
	combos >"$T/combos"
	start=$(date +%s)
	total=0
	jobs=${INTEROP_JOBS:-2}
	for k in $KEXES; do
		grep "^$k " "$T/combos" >"$T/combos.k"
		n=$(wc -l <"$T/combos.k")
		j=0 wpids=""
		while [ $j -lt "$jobs" ]; do
			awk -v j=$j -v n="$jobs" 'NR % n == j' "$T/combos.k" \
			    >"$T/combos.$j"
			matrix_worker "$T/combos.$j" "$T/bad.$j" "$@" &
			wpids="$wpids $!"
			j=$((j + 1))
		done
		wait $wpids
		bad=$(cat "$T"/bad.* | tr '\n' ' ')
		rm -f "$T"/bad.*
		total=$((total + n))
		if [ -z "$bad" ] && [ "$n" -gt 0 ]; then
			pass "$dir-matrix-$k"
		else
			fail "$dir-matrix-$k" "$n connections; $(echo "$bad" |
			    cut -c1-600)"
		fi
	done
	echo "  ($dir: $total connections in $(( $(date +%s) - start )) s," \
	    "TRANSPORT_MATRIX=$MODE)"
}

# verify_b_log LINE: OpenSSH's sshd logged (at DEBUG1, after LINE) what
# each matrix connection negotiated: every name as often as the
# combinations asked for it (so our ssh offered what -o told it to).
verify_b_log() {
	tail -n +"$(( $1 + 1 ))" "$T/b.log" | sed 's/ \[preauth\]$//' | awk '
	/^debug1: kex: algorithm: / { print "k " $4 }
	/^debug1: kex: host key algorithm: / { print "h " $6 }
	/^debug1: kex: client->server cipher: / { print "c " $5; print "m " $7 }
	' | sort | uniq -c >"$T/b.got"
	awk '{ print "k " $1; print "h " $2; print "c " $3
		if ($3 ~ /gcm|chacha/) print "m <implicit>"; else print "m " $4 }
	' "$T/combos" | sort | uniq -c >"$T/b.want"
	if cmp -s "$T/b.got" "$T/b.want"; then
		pass b-matrix-negotiated
	else
		fail b-matrix-negotiated "sshd saw other names than asked:" \
		    "$(diff "$T/b.want" "$T/b.got" | grep '^[<>]' | head -n 4 |
		    tr '\n' ' ')"
	fi
}

# Sessions beyond the matrix, through the client command "$@".
run_sessions() {
	dir=$1
	shift
	"$@" sut 'exit 42' </dev/null >/dev/null 2>&1
	rc=$?
	[ $rc -eq 42 ] && pass "$dir-exit-status" ||
	    fail "$dir-exit-status" "rc $rc, want 42"
	"$@" sut 'echo out; echo err >&2; exit 3' </dev/null \
	    >"$T/so" 2>"$T/se"
	rc=$?
	if [ $rc -eq 3 ] && [ "$(cat "$T/so")" = out ] &&
	    grep -qx err "$T/se"; then
		pass "$dir-stdout-stderr"
	else
		fail "$dir-stdout-stderr" "rc $rc out '$(cat "$T/so")'" \
		    "err '$(head -c 200 "$T/se")'"
	fi
	head -c 1000000 /dev/urandom >"$T/data"
	"$@" sut cat <"$T/data" >"$T/data.back" 2>"$T/se"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$T/data" "$T/data.back"; then
		pass "$dir-stdin-1MB"
	else
		fail "$dir-stdin-1MB" "rc $rc, $(wc -c <"$T/data.back") bytes" \
		    "back; $(head -c 200 "$T/se")"
	fi
	out=$("$@" sut 'cat; echo end' </dev/null 2>&1)
	[ "$out" = end ] && pass "$dir-stdin-empty" ||
	    fail "$dir-stdin-empty" "got '$out'"
	# 1 MB both ways with a rekey every 64 KB by the client.
	"$@" -o RekeyLimit=64K sut cat <"$T/data" >"$T/data.back" 2>"$T/se"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$T/data" "$T/data.back"; then
		pass "$dir-rekey-1MB"
	else
		fail "$dir-rekey-1MB" "rc $rc, $(wc -c <"$T/data.back") bytes" \
		    "back; $(head -c 200 "$T/se")"
	fi
	# Compression.
	"$@" -o Compression=yes sut cat <"$T/data" >"$T/data.back" 2>"$T/se"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$T/data" "$T/data.back"; then
		pass "$dir-compression"
	else
		fail "$dir-compression" "rc $rc; $(head -c 200 "$T/se")"
	fi
}

# Password login through SSH_ASKPASS (both clients read it when
# SSH_ASKPASS_REQUIRE=force).
run_password() {
	dir=$1
	shift
	if [ -z "$TPASS" ]; then
		skip "$dir-password" "not root: no test account with a password"
		return
	fi
	printf '#!/bin/sh\necho %s\n' "$TPASS" >"$T/askpass"
	chmod 755 "$T/askpass"
	out=$(SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force \
	    DISPLAY=none setsid "$@" -o BatchMode=no \
	    -o PasswordAuthentication=yes -o PubkeyAuthentication=no \
	    -o PreferredAuthentications=password \
	    -o NumberOfPasswordPrompts=1 sut 'echo pw-ok' </dev/null 2>&1)
	[ "$out" = pw-ok ] && pass "$dir-password" ||
	    fail "$dir-password" "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
	printf '#!/bin/sh\necho wrong\n' >"$T/askpass"
	out=$(SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force \
	    DISPLAY=none setsid "$@" -o BatchMode=no \
	    -o PasswordAuthentication=yes -o PubkeyAuthentication=no \
	    -o PreferredAuthentications=password \
	    -o NumberOfPasswordPrompts=1 sut 'echo pw-ok' </dev/null 2>&1)
	rc=$?
	[ $rc -eq 255 ] && ! echo "$out" | grep -q pw-ok &&
	    pass "$dir-password-wrong" ||
	    fail "$dir-password-wrong" "rc $rc: $(echo "$out" | tail -n 1)"
}

sshd_conf() {
	cat <<EOF
KexAlgorithms $(commas $KEXES)
HostKeyAlgorithms $(commas $HOSTKEYS)
Ciphers $(commas $CIPHERS)
MACs $(commas $MACS)
Compression yes
MaxStartups 100
MaxSessions 20
EOF
}

if ! io_account; then
	fail account "could not set up the test account"
	exit 0
fi
io_hostkeys || { fail hostkeys "ssh-keygen failed"; exit 0; }

# ------------------------------------------------------------ (a)
echo "interop-openssh: (a) OpenSSH ssh -> $SUT_SSHD"
if [ ! -x "$SUT_SSHD" ]; then
	skip a-sshd "$SUT_SSHD not built yet"
elif ! sshd_conf >"$T/a.extra" ||
    ! io_sshd_start a "$SUT_SSHD" <"$T/a.extra"; then
	if io_is_root; then
		fail a-sshd-start "$(tail -n 3 "$T/a.log" 2>/dev/null)"
	else
		skip a-sshd "sshd did not start as non-root:" \
		    "$(tail -n 1 "$T/a.log" 2>/dev/null)"
	fi
else
	A_PID=$IO_PID
	io_ssh_config a "$IO_PORT"
	OSSH="env -u SSH_AUTH_SOCK $OSSH_SSH -F $T/a.ssh_config"
	run_matrix a $OSSH
	run_sessions a $OSSH
	run_password a $OSSH
	if io_alive "$A_PID" && io_no_crash "$T/a.log"; then
		pass a-sshd-alive
	else
		fail a-sshd-alive "listener gone or crash logged:" \
		    "$(grep -m 2 "Sanitizer\|runtime error\|signal" "$T/a.log")"
	fi
fi

# ------------------------------------------------------------ (b)
echo "interop-openssh: (b) $SUT_SSH -> OpenSSH sshd"
if [ ! -x "$SUT_SSH" ]; then
	skip b-ssh "$SUT_SSH not built yet"
elif [ ! -x "$OSSH_SSHD" ]; then
	skip b-ssh "$OSSH_SSHD not installed"
elif ! { sshd_conf; echo "LogLevel DEBUG1"; } >"$T/b.extra" ||
    ! io_sshd_start b "$OSSH_SSHD" <"$T/b.extra"; then
	if io_is_root; then
		fail b-sshd-start "$(tail -n 3 "$T/b.log" 2>/dev/null)"
	else
		skip b-ssh "OpenSSH sshd did not start as non-root:" \
		    "$(tail -n 1 "$T/b.log" 2>/dev/null)"
	fi
else
	io_ssh_config b "$IO_PORT"
	OURS="env -u SSH_AUTH_SOCK $SUT_SSH -F $T/b.ssh_config"
	l0=$(wc -l <"$T/b.log")
	run_matrix b $OURS
	verify_b_log "$l0"
	run_sessions b $OURS
	run_password b $OURS
fi
