#!/bin/sh
# regress/transport-interop.sh: our transport (regress/transport-peer)
# against OpenSSH 9.2's sshd and ssh.
#
# (a) our client -> OpenSSH's sshd (root: its own config, host keys and
#     port in $T, killed by PID): every KEX x cipher x MAC x host key
#     algorithm completes KEX, the host key is verified, ssh-userauth is
#     accepted and "none" gets the methods list; then rekeys started by
#     us and by sshd (RekeyLimit) after a real publickey login, with and
#     without delayed compression, and guessed KEX packets.
# (b) OpenSSH's ssh -> our server: the same matrix, asserted from ssh's
#     -vvv output (negotiated names, host key fingerprint, NEWKEYS,
#     methods); then a login that our server follows with a rekey.
# (c) garbage and protocol 1 version lines and oversized packets, to our
#     server and from a fake server to our client; OpenSSH's answers to
#     the same input as the reference.
#
# TRANSPORT_MATRIX=quick runs a subset of (a) and (b) (each algorithm
# still at least once); the default is the full product.

. "$SRC/regress/lib/test-lib.sh"

PEER="$OBJ/regress/transport-peer"
PY=/usr/bin/python3
RAW="$SRC/regress/transport-raw.py"

if [ ! -x "$PEER" ]; then
	fail peer-built "$PEER not built"
	exit 0
fi

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

commas() {
	echo $* | tr ' ' ','
}

is_aead() {
	case "$1" in
	*gcm*|chacha*) return 0 ;;
	esac
	return 1
}

# Quick mode: of each (cipher, MAC) only the ones on a diagonal.
want_combo() {
	[ "${TRANSPORT_MATRIX:-full}" = quick ] || return 0
	[ $(( ($1 + $2 + $3 + $4) % 6 )) -eq 0 ]
}

# ------------------------------------------------------------ keys

for t in ed25519 ecdsa256 ecdsa384 ecdsa521 rsa; do
	case $t in
	ed25519) a="-t ed25519" ;;
	ecdsa*) a="-t ecdsa -b ${t#ecdsa}" ;;
	rsa) a="-t rsa -b 1024" ;;
	esac
	$OSSH_KEYGEN -q $a -N '' -C "hostkey-$t" -f "$T/hk_$t" || exit 1
done
$OSSH_KEYGEN -q -t ed25519 -N '' -f "$T/user" || exit 1
cp "$T/user.pub" "$T/authorized_keys"
KNOWN="-K $T/hk_ed25519.pub -K $T/hk_ecdsa256.pub -K $T/hk_ecdsa384.pub
-K $T/hk_ecdsa521.pub -K $T/hk_rsa.pub"

# The key file that serves a host key algorithm.
key_of() {
	case "$1" in
	ssh-ed25519) echo hk_ed25519 ;;
	ecdsa-sha2-nistp256) echo hk_ecdsa256 ;;
	ecdsa-sha2-nistp384) echo hk_ecdsa384 ;;
	ecdsa-sha2-nistp521) echo hk_ecdsa521 ;;
	rsa-sha2-*) echo hk_rsa ;;
	esac
}

# ------------------------------------------------------------ (a)

start_sshd() {
	SSHD_PORT=$(free_port)
	cat >"$T/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $T/hk_ed25519
HostKey $T/hk_ecdsa256
HostKey $T/hk_ecdsa384
HostKey $T/hk_ecdsa521
HostKey $T/hk_rsa
PidFile $T/sshd.pid
UsePAM no
AuthorizedKeysFile $T/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KexAlgorithms $(commas $KEXES)
HostKeyAlgorithms $(commas $HOSTKEYS)
Ciphers $(commas $CIPHERS)
MACs $(commas $MACS)
Compression yes
RekeyLimit 64K
ModuliFile $SRC/contrib/moduli
MaxStartups 50
LogLevel VERBOSE
EOF
	mkdir -p /run/sshd
	$OSSH_SSHD -f "$T/sshd_config" -E "$T/sshd.log" || return 1
	i=0
	while [ ! -s "$T/sshd.pid" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$T/sshd.pid" ]
}

stop_sshd() {
	[ -s "$T/sshd.pid" ] && kill "$(cat "$T/sshd.pid")" 2>/dev/null
	rm -f "$T/sshd.pid"
}

# Check the matrix output of one KEX method: every line "ok" with
# exactly the asked names.
check_matrix_a() {
	kex=$1
	out=$2
	bad=$(grep -v '^ok \|^matrix:' "$out" | head -n 3)
	if [ -n "$bad" ]; then
		fail "a-matrix-$kex" "$bad"
		return
	fi
	n=$(grep -c "^ok kex=$kex " "$out")
	want=$(sed -n 's/^matrix: \([0-9]*\) connections.*/\1/p' "$out")
	if [ "$n" != "$want" ] || [ "$n" -eq 0 ]; then
		fail "a-matrix-$kex" "$n of $want connections right"
		return
	fi
	if grep '^ok ' "$out" | grep -v 'strict=1' | grep -q . ||
	    grep '^ok ' "$out" | grep -v 'methods=publickey' | grep -q .; then
		fail "a-matrix-$kex" "no strict KEX or no methods list"
		return
	fi
	pass "a-matrix-$kex"
}

run_a_matrix() {
	ki=0
	for k in $KEXES; do
		ki=$((ki + 1))
		out="$T/a-$ki.out"
		: >"$out"
		if [ "${TRANSPORT_MATRIX:-full}" = quick ]; then
			# Each cipher, MAC and host key once per method.
			hi=0
			for h in $HOSTKEYS; do
				hi=$((hi + 1))
				c=$(echo $CIPHERS | cut -d' ' -f$(( (hi + ki) % 6 + 1 )))
				m=$(echo $MACS | cut -d' ' -f$(( (hi * 2 + ki) % 6 + 1 )))
				$PEER client -p "$SSHD_PORT" $KNOWN -x -k "$k" \
				    -a "$h" -c "$c" -m "$m" 2>&1 |
				    grep -v '^matrix:' >>"$out"
			done
			n=$(grep -c '^ok ' "$out")
			echo "matrix: $n connections" >>"$out"
		else
			$PEER client -p "$SSHD_PORT" $KNOWN -x -k "$k" \
			    -a "$(commas $HOSTKEYS)" -c "$(commas $CIPHERS)" \
			    -m "$(commas $MACS)" >"$out" 2>&1
		fi
		# Each line must name the algorithms asked for.
		grep '^ok ' "$out" | while read -r ok kx hk ci ma rest; do
			[ "$kx" = "kex=$k" ] || echo "mismatch $kx"
		done | grep -q mismatch && echo "FAIL name mismatch" >>"$out"
		check_matrix_a "$k" "$out"
	done
}

run_a_rekey() {
	# Post-auth rekey started by us (OpenSSH refuses KEXINIT before
	# authentication), then by sshd after 200 KB with RekeyLimit 64K.
	out=$($PEER client -p "$SSHD_PORT" $KNOWN -i "$T/user" -u root -r \
	    -I 200000 2>&1)
	case "$out" in
	"ok "*"methods=(authenticated) kexes=3 "*) pass a-rekey-both ;;
	*) fail a-rekey-both "$out" ;;
	esac
	out=$($PEER client -p "$SSHD_PORT" $KNOWN -i "$T/user" -u root -r \
	    -I 200000 -C zlib@openssh.com -c aes256-ctr -m hmac-sha2-256 \
	    -k diffie-hellman-group-exchange-sha256 2>&1)
	case "$out" in
	"ok "*"kexes=3 "*) pass a-rekey-compression ;;
	*) fail a-rekey-compression "$out" ;;
	esac
	grep -q "Accepted publickey for root" "$T/sshd.log" &&
	    pass a-login-logged || fail a-login-logged "no login in sshd log"
}

run_a_guess() {
	# sshd prefers curve25519-sha256 and ssh-ed25519: a right guess.
	out=$($PEER client -p "$SSHD_PORT" $KNOWN -g \
	    -k curve25519-sha256,ecdh-sha2-nistp256 -a ssh-ed25519 2>&1)
	case "$out" in
	"ok kex=curve25519-sha256 "*) pass a-guess-right ;;
	*) fail a-guess-right "$out" ;;
	esac
	# A different first choice: sshd drops our guessed packet.
	out=$($PEER client -p "$SSHD_PORT" $KNOWN -g \
	    -k ecdh-sha2-nistp384,curve25519-sha256 -a ssh-ed25519 2>&1)
	case "$out" in
	"ok kex=ecdh-sha2-nistp384 "*) pass a-guess-wrong ;;
	*) fail a-guess-wrong "$out" ;;
	esac
}

run_a_hostkey_refused() {
	# A host key we do not expect ends the connection.
	out=$($PEER client -p "$SSHD_PORT" -K "$T/user.pub" 2>&1)
	case "$out" in
	*"FAIL"*) pass a-unknown-hostkey-refused ;;
	*) fail a-unknown-hostkey-refused "$out" ;;
	esac
}

echo "transport-interop: (a) our client -> OpenSSH sshd"
if [ "$(id -u)" != 0 ]; then
	skip a-sshd "OpenSSH's sshd needs root for privilege separation"
elif [ ! -x "$OSSH_SSHD" ]; then
	skip a-sshd "$OSSH_SSHD not installed"
elif ! start_sshd; then
	fail a-sshd-start "$(tail -n 3 "$T/sshd.log" 2>/dev/null)"
else
	run_a_matrix
	run_a_rekey
	run_a_guess
	run_a_hostkey_refused
fi

# ------------------------------------------------------------ (b)

SRV_PORT=$(free_port)
"$PEER" server -p "$SRV_PORT" -h "$T/hk_ed25519" -h "$T/hk_ecdsa256" \
    -h "$T/hk_ecdsa384" -h "$T/hk_ecdsa521" -h "$T/hk_rsa" \
    -M "$SRC/contrib/moduli" -A -r -T 20 >"$T/srv.out" 2>"$T/srv.log" &
SRV_PID=$!
trap 'kill $SRV_PID 2>/dev/null; stop_sshd; rm -rf "$T"' EXIT
i=0
while ! grep -q listening "$T/srv.out" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

SSH_OPTS="-F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no
-o UserKnownHostsFile=$T/known_hosts -o GlobalKnownHostsFile=/dev/null
-o PasswordAuthentication=no -o KbdInteractiveAuthentication=no
-o ConnectTimeout=10"

# Fingerprints of our host keys, once.
for t in ed25519 ecdsa256 ecdsa384 ecdsa521 rsa; do
	$OSSH_KEYGEN -lf "$T/hk_$t.pub" | cut -d' ' -f2 >"$T/hk_$t.fp"
done

fp_of() {
	cat "$T/$(key_of "$1").fp"
}

# One OpenSSH client connection with exactly these names; checks its log.
b_combo() {
	k=$1 h=$2 c=$3 m=$4
	if is_aead "$c"; then mshow="<implicit>"; else mshow=$m; fi
	env -u SSH_AUTH_SOCK $OSSH_SSH -vvv $SSH_OPTS \
	    -o PubkeyAuthentication=no -o KexAlgorithms="$k" \
	    -o HostKeyAlgorithms="$h" -o Ciphers="$c" -o MACs="$m" \
	    -p "$SRV_PORT" nobody@127.0.0.1 true >"$T/b.out" 2>&1
	awk -v k="$k" -v h="$h" -v c="$c" -v m="$mshow" -v fp="$(fp_of "$h")" '
	{ sub(/\r$/, "") }
	$0 == "debug1: kex: algorithm: " k { ka = 1 }
	$0 == "debug1: kex: host key algorithm: " h { ha = 1 }
	$0 == "debug1: kex: server->client cipher: " c " MAC: " m \
	    " compression: none" { sc = 1 }
	$0 == "debug1: kex: client->server cipher: " c " MAC: " m \
	    " compression: none" { cs = 1 }
	/^debug1: Server host key: / && index($0, fp) > 0 { hk = 1 }
	/^debug1: SSH2_MSG_NEWKEYS received$/ { nk = 1 }
	/^debug1: Authentications that can continue: publickey,password$/ {
		au = 1
	}
	END {
		if (!(ka && ha && sc && cs && hk && nk && au)) {
			printf "kex=%d hostkey=%d s2c=%d c2s=%d fp=%d newkeys=%d " \
			    "auth=%d", ka, ha, sc, cs, hk, nk, au
			exit 1
		}
	}' "$T/b.out"
}

run_b_matrix() {
	ki=0
	for k in $KEXES; do
		ki=$((ki + 1))
		n=0 bad=""
		hi=0
		for h in $HOSTKEYS; do
			hi=$((hi + 1))
			ci=0
			for c in $CIPHERS; do
				ci=$((ci + 1))
				mi=0
				for m in $MACS; do
					mi=$((mi + 1))
					is_aead "$c" && [ $mi -gt 1 ] && break
					want_combo $ki $hi $ci $mi || continue
					n=$((n + 1))
					why=$(b_combo "$k" "$h" "$c" "$m") ||
					    bad="$bad [$h $c $m: $why]"
				done
			done
		done
		if [ -z "$bad" ] && [ $n -gt 0 ]; then
			pass "b-matrix-$k"
		else
			fail "b-matrix-$k" "$n connections;$(echo "$bad" |
			    cut -c1-300)"
		fi
	done
}

run_b_login_rekey() {
	# A login our server follows with a rekey, then a disconnect; once
	# with delayed compression.
	for comp in no yes; do
		env -u SSH_AUTH_SOCK $OSSH_SSH -vvv $SSH_OPTS -N \
		    -o Compression=$comp -o IdentitiesOnly=yes \
		    -i "$T/user" -p "$SRV_PORT" tester@127.0.0.1 \
		    >"$T/b-login.out" 2>&1
		n=$(grep -c "SSH2_MSG_NEWKEYS received" "$T/b-login.out")
		if grep -q "Authenticated to 127.0.0.1" "$T/b-login.out" &&
		    [ "$n" -eq 2 ] &&
		    grep -q "rekey test done" "$T/b-login.out"; then
			pass "b-login-rekey-compression-$comp"
		else
			fail "b-login-rekey-compression-$comp" \
			    "NEWKEYS $n; $(grep -i 'disconnect\|error' \
			    "$T/b-login.out" | head -n 2 | tr '\n' ' ')"
		fi
	done
	if [ "$comp" = yes ] &&
	    grep -q "compression: zlib@openssh.com" "$T/b-login.out"; then
		pass b-delayed-compression-negotiated
	else
		fail b-delayed-compression-negotiated "not negotiated"
	fi
}

echo "transport-interop: (b) OpenSSH ssh -> our server"
if [ ! -x "$OSSH_SSH" ]; then
	skip b-ssh "$OSSH_SSH not installed"
elif ! grep -q listening "$T/srv.out"; then
	fail b-server-start "$(tail -n 3 "$T/srv.log")"
else
	run_b_matrix
	run_b_login_rekey
fi

# ------------------------------------------------------------ (c)

hex() {
	printf '%b' "$1" | od -An -tx1 | tr -d ' \n'
}

raw_to() {
	timeout 20 "$PY" "$RAW" connect "$1" "$2" 2>&1
}

# What a server answers: the line after its own version line.
answer_line() {
	sed -n '2p' | sed 's/^text //'
}

run_c_server() {
	for case in garbage proto1; do
		case $case in
		garbage) in=$(hex "GET / HTTP/1.1\r\n")
			want="Invalid SSH identification string." ;;
		proto1) in=$(hex "SSH-1.5-Test\r\n")
			want="Protocol major versions differ." ;;
		esac
		ours=$(raw_to "$SRV_PORT" "$in" | answer_line)
		if [ "$ours" = "$want" ]; then
			pass "c-server-$case"
		else
			fail "c-server-$case" "got '$ours'"
		fi
		if [ -n "${SSHD_PORT:-}" ] && [ -s "$T/sshd.pid" ]; then
			theirs=$(raw_to "$SSHD_PORT" "$in" | answer_line)
			[ "$theirs" = "$ours" ] && pass "c-parity-$case" ||
			    fail "c-parity-$case" "sshd '$theirs' ours '$ours'"
		fi
	done
	# A packet length of 1 MiB: refused at once with PROTOCOL_ERROR.
	in=$(hex "SSH-2.0-Raw\r\n")0010000000000000
	out=$(raw_to "$SRV_PORT" "$in")
	if echo "$out" | grep -q "^disconnect 2 Packet corrupt$" &&
	    echo "$out" | grep -q "^closed$"; then
		pass c-server-oversized
	else
		fail c-server-oversized "$(echo "$out" | tr '\n' ' ')"
	fi
	if [ -n "${SSHD_PORT:-}" ] && [ -s "$T/sshd.pid" ]; then
		out=$(raw_to "$SSHD_PORT" "$in")
		echo "$out" | grep -q "^closed$" &&
		    grep -q "Bad packet length 1048576" "$T/sshd.log" &&
		    pass c-parity-oversized ||
		    fail c-parity-oversized "$(echo "$out" | tr '\n' ' ')"
	fi
}

# A fake server on $FAKE_PORT sends $1 (hex) to whoever connects.
fake_start() {
	FAKE_PORT=$(free_port)
	rm -f "$T/fake.out"
	timeout 30 "$PY" "$RAW" listen "$FAKE_PORT" "$1" >"$T/fake.out" 2>&1 &
	FAKE_PID=$!
	i=0
	while ! grep -q listening "$T/fake.out" 2>/dev/null &&
	    [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

fake_wait() {
	wait $FAKE_PID
}

# Our client against the fake server; its status.
fake_ours() {
	fake_start "$1"
	$PEER client -T 10 -p "$FAKE_PORT" >"$T/fake-client.out" 2>&1
	rc=$?
	fake_wait
	return $rc
}

run_c_client() {
	# Protocol 1 server.
	fake_ours "$(hex "SSH-1.5-Old\r\n")"
	rc=$?
	if [ $rc -ne 0 ] && grep -q "Protocol major versions differ: 2 vs. 1" \
	    "$T/fake-client.out"; then
		pass c-client-proto1
	else
		fail c-client-proto1 "rc $rc: $(head -n 2 "$T/fake-client.out")"
	fi
	fake_start "$(hex "SSH-1.5-Old\r\n")"
	env -u SSH_AUTH_SOCK $OSSH_SSH $SSH_OPTS -p "$FAKE_PORT" 127.0.0.1 \
	    true >"$T/fake-client.out" 2>&1
	fake_wait
	grep -q "Protocol major versions differ: 2 vs. 1" \
	    "$T/fake-client.out" && pass c-parity-client-proto1 ||
	    fail c-parity-client-proto1 "$(head -n 2 "$T/fake-client.out")"
	# Lines before the version are fine; too many are not.
	fake_ours "$(hex "Hello\r\nthere\r\nSSH-2.0-Fake\r\n")"
	grep -q "^packet 20$" "$T/fake.out" && pass c-client-banner-lines ||
	    fail c-client-banner-lines "$(tr '\n' ' ' <"$T/fake.out")"
	lines=$(i=0; while [ $i -lt 1100 ]; do printf 'line\r\n'; \
	    i=$((i + 1)); done)
	fake_ours "$(hex "$lines")"
	rc=$?
	if [ $rc -ne 0 ] && grep -q "too many banner lines" \
	    "$T/fake-client.out"; then
		pass c-client-banner-flood
	else
		fail c-client-banner-flood "rc $rc $(head -n 2 \
		    "$T/fake-client.out")"
	fi
	# An oversized packet from the server: DISCONNECT PROTOCOL_ERROR.
	fake_ours "$(hex "SSH-2.0-Fake\r\n")0010000000000000"
	rc=$?
	if [ $rc -ne 0 ] && grep -q "^disconnect 2 Packet corrupt$" \
	    "$T/fake.out"; then
		pass c-client-oversized
	else
		fail c-client-oversized "rc $rc $(tr '\n' ' ' <"$T/fake.out")"
	fi
}

echo "transport-interop: (c) garbage, protocol 1, oversized packets"
if [ ! -x "$PY" ]; then
	skip c-raw "$PY (Debian's python3) not installed"
else
	run_c_server
	run_c_client
fi

# Our server ends cleanly on SIGTERM; a sanitizer build would have
# reported any memory error or leak in its log.
kill $SRV_PID 2>/dev/null
wait $SRV_PID
rc=$?
if [ $rc -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$T/srv.log"; then
	pass b-server-clean-exit
else
	fail b-server-clean-exit "rc $rc: $(grep -m 2 "Sanitizer\|runtime error" \
	    "$T/srv.log")"
fi
stop_sshd
