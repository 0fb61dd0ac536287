#!/bin/sh
# regress/keygen-interop.sh: our ssh-keygen against OpenSSH's, both ways.
#
# For each key type and size, with and without a passphrase, keys written
# by one program are read by the other: -y gives the .pub line, -l (SHA256
# and MD5) and -lv (random art) print the same text from both programs;
# -e exports (RFC4716, PKCS8, PEM) are byte-identical and import with -i
# to the same key; a passphrase or comment changed by one is read by the
# other; PEM and PKCS#8 private keys written by each load in the other.
#
# Every command runs under setsid (no controlling terminal): passphrases
# come from -P/-N, and nothing is ever read from the user's terminal.

. "$SRC/regress/lib/test-lib.sh"

if [ ! -x "$KEYGEN" ]; then
	skip keygen-interop "$KEYGEN not built"
	exit 0
fi
if [ ! -x "$OSSH_KEYGEN" ]; then
	skip keygen-interop "OpenSSH ssh-keygen not installed"
	exit 0
fi

# run WHO ARGS...: run our (ours) or OpenSSH's (theirs) ssh-keygen.
run() {
	if [ "$1" = ours ]; then
		prog=$KEYGEN
	else
		prog=$OSSH_KEYGEN
	fi
	shift
	setsid -w "$prog" "$@" </dev/null
}

other() {
	if [ "$1" = ours ]; then echo theirs; else echo ours; fi
}

# same NAME FILE1 FILE2: pass if the files are identical.
same() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "'$(head -c 200 "$2")' != '$(head -c 200 "$3")'"
	fi
}

# both NAME ARGS...: run both programs; their stdout and status must agree
# (and the status must be 0).
both() {
	bn=$1
	shift
	run ours "$@" >"$T/o.out" 2>"$T/o.err"
	orc=$?
	run theirs "$@" >"$T/t.out" 2>"$T/t.err"
	trc=$?
	if [ $orc -ne 0 ] || [ $trc -ne 0 ]; then
		fail "$bn" "status ours $orc theirs $trc: $(cat "$T/o.err" \
		    "$T/t.err" | tr -d '\r' | head -c 300)"
	else
		same "$bn" "$T/o.out" "$T/t.out"
	fi
}

# publine FILE: "type base64" of a .pub file.
publine() {
	awk '{print $1, $2}' "$1"
}

# check_key WRITER NAME KEYFILE PASS: the reader and the writer agree on
# every view of the key the writer made.
check_key() {
	w=$1 n=$2 k=$3 p=$4
	r=$(other "$w")
	run "$r" -y -P "$p" -f "$k" >"$T/y.out" 2>"$T/y.err"
	same "$n-y-by-$r" "$T/y.out" "$k.pub"
	for h in sha256 md5; do
		both "$n-l-$h" -l -E $h -f "$k"
		both "$n-l-pub-$h" -l -E $h -f "$k.pub"
	done
	both "$n-lv" -lv -f "$k.pub"
	both "$n-lv-md5" -lv -E md5 -f "$k.pub"
}

# check_export WRITER NAME KEYFILE TYPE
check_export() {
	w=$1 n=$2 k=$3 t=$4
	r=$(other "$w")
	for m in RFC4716 PKCS8 PEM; do
		if [ "$t" = ed25519 ] && [ $m != RFC4716 ]; then
			# Neither exports Ed25519 this way (OpenSSH 9.2).
			run ours -e -m $m -f "$k.pub" >/dev/null 2>&1
			orc=$?
			run theirs -e -m $m -f "$k.pub" >/dev/null 2>&1
			trc=$?
			[ $orc -eq 255 ] && [ $trc -eq 255 ] &&
			    pass "$n-e-$m-refused" ||
			    fail "$n-e-$m-refused" "status $orc / $trc"
			continue
		fi
		both "$n-e-$m" -e -m $m -f "$k.pub"
		run "$w" -e -m $m -f "$k.pub" >"$T/exp" 2>/dev/null
		# -m PEM imports PKCS#1 only; ECDSA's PEM export is SPKI.
		im=$m
		[ $m = PEM ] && [ "$t" = ecdsa ] && im=PKCS8
		run "$r" -i -m $im -f "$T/exp" >"$T/imp" 2>"$T/err"
		publine "$k.pub" >"$T/want"
		same "$n-i-$m-by-$r" "$T/imp" "$T/want"
	done
}

# check_change WRITER NAME KEYFILE PASS: the reader changes passphrase and
# comment; the writer reads the result.
check_change() {
	w=$1 n=$2 k=$3 p=$4
	r=$(other "$w")
	run "$r" -p -f "$k" -P "$p" -N 'changed pass' -a "$rounds" \
	    >/dev/null 2>"$T/err" ||
	    fail "$n-p-by-$r" "$(tr -d '\r' <"$T/err")"
	run "$w" -y -P 'changed pass' -f "$k" >"$T/y.out" 2>"$T/err"
	same "$n-p-read-by-$w" "$T/y.out" "$k.pub"
	run "$r" -c -f "$k" -P 'changed pass' -C 'changed comment' \
	    -a "$rounds" >/dev/null 2>"$T/err" ||
	    fail "$n-c-by-$r" "$(tr -d '\r' <"$T/err")"
	mv "$k.pub" "$k.pub.old"
	run "$w" -y -P 'changed pass' -f "$k" >"$T/y.out" 2>"$T/err"
	echo "$(publine "$k.pub.old") changed comment" >"$T/want"
	same "$n-c-read-by-$w" "$T/y.out" "$T/want"
	run "$w" -l -f "$k.pub.old" >"$T/o.out" 2>&1
	grep -q ' changed comment (' "$T/o.out" && pass "$n-c-pub-by-$r" ||
	    fail "$n-c-pub-by-$r" "$(cat "$T/o.out")"
}

for spec in ed25519:256 ecdsa:256 ecdsa:384 ecdsa:521 rsa:2048; do
	t=${spec%:*}
	b=${spec#*:}
	# Fewer KDF rounds keep the run short; Ed25519 keeps the default.
	rounds=4
	[ "$t" = ed25519 ] && rounds=16
	for w in ours theirs; do
		for p in '' 'pass phrase'; do
			n="$w-$t$b"
			[ -n "$p" ] && n="$n-enc"
			k="$T/$n"
			if ! run "$w" -q -t "$t" -b "$b" -f "$k" -N "$p" \
			    -C "made by $w" -a "$rounds" >"$T/out" 2>&1; then
				fail "$n-gen" "$(tr -d '\r' <"$T/out")"
				continue
			fi
			check_key "$w" "$n" "$k" "$p"
			check_export "$w" "$n" "$k" "$t"
			check_change "$w" "$n" "$k" "$p"
		done
	done
done

# PEM and PKCS#8 private keys, plain and encrypted, both ways.
for spec in ecdsa:256 ecdsa:384 ecdsa:521 rsa:2048; do
	t=${spec%:*}
	b=${spec#*:}
	for w in ours theirs; do
		r=$(other "$w")
		for m in PEM PKCS8; do
			for p in '' 'pem passphrase'; do
				n="$w-$t$b-$m"
				[ -n "$p" ] && n="$n-enc"
				k="$T/$n"
				run "$w" -q -t "$t" -b "$b" -m $m -f "$k" -N "$p" \
				    >"$T/out" 2>&1 ||
				    { fail "$n-gen" "$(cat "$T/out")"; continue; }
				run "$r" -y -P "$p" -f "$k" >"$T/y.out" 2>"$T/err"
				publine "$k.pub" >"$T/want"
				same "$n-y-by-$r" "$T/y.out" "$T/want"
				# A new passphrase set by the reader, same format.
				run "$r" -p -f "$k" -P "$p" -N 'new pem pass' \
				    -m $m >/dev/null 2>"$T/err" ||
				    fail "$n-p-by-$r" "$(tr -d '\r' <"$T/err")"
				run "$w" -y -P 'new pem pass' -f "$k" \
				    >"$T/y.out" 2>"$T/err"
				same "$n-p-read-by-$w" "$T/y.out" "$T/want"
			done
		done
	done
done

# RFC 4716 headers with continuation lines are skipped by both.
run theirs -q -t ecdsa -f "$T/hdr" -N '' -C hdr >/dev/null 2>&1
run theirs -e -f "$T/hdr.pub" >"$T/hdr.exp" 2>/dev/null
{
	echo '---- BEGIN SSH2 PUBLIC KEY ----'
	echo 'Subject: somebody'
	echo 'Comment: "a comment that \'
	echo 'goes on and on"'
	echo 'x-private-header: some value'
	sed -n '3,$p' "$T/hdr.exp"
} >"$T/hdr.rfc"
both rfc4716-headers -i -f "$T/hdr.rfc"

# known_hosts / authorized_keys lists: the same lines from both (no line
# whose comment OpenSSH takes from an earlier line).
E=$(publine "$T/theirs-ed25519256.pub.old")
R=$(publine "$T/theirs-rsa2048.pub.old")
C=$(publine "$T/ours-ecdsa384.pub.old")
cat >"$T/list" <<EOF
# comment

$E plain comment
from="10.0.0.1",command="echo \"a b\"" $R
host1,host2 $C
|1|c29tZSBzYWx0IGhlcmUgMTIzNA==|aGFzaGVkIGhvc3QgbmFtZTEyMzQ1Njc= $E
[host3]:2222 $R with comment
@cert-authority *.example.com $C
not a key
EOF
both list-l -l -f "$T/list"
both list-lv-md5 -lv -E md5 -f "$T/list"
