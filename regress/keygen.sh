#!/bin/sh
# regress/keygen.sh: our ssh-keygen on its own.
#
# Key generation for each type and size, file modes, comments, -y, -l
# (with -v and -E, of key files and of authorized_keys/known_hosts
# lists), -p, -c, -e/-i round trips, overwrite refusal, wrong
# passphrases, -A, bad options, and the default path under a private
# home directory.  Fingerprints are checked against values computed with
# the openssl command, not with ssh-keygen itself.  Comparisons with
# OpenSSH's ssh-keygen are in keygen-interop.sh.
#
# Prompts are answered on stdin: every command runs under setsid, so it
# has no controlling terminal and reads its answers where OpenSSH's would.

. "$SRC/regress/lib/test-lib.sh"

if [ ! -x "$KEYGEN" ]; then
	skip keygen-built "$KEYGEN not built"
	exit 0
fi

# kg [ARGS...]: our ssh-keygen without a terminal; stdin as given.
kg() {
	setsid -w "$KEYGEN" "$@"
}

# mode FILE: octal permission bits.
mode() {
	stat -c %a "$1"
}

# fp_sha256 PUBFILE / fp_md5 PUBFILE: fingerprints computed by openssl.
fp_sha256() {
	printf 'SHA256:%s\n' "$(awk '{print $2}' "$1" | base64 -d |
	    openssl dgst -sha256 -binary | base64 | tr -d '=')"
}
fp_md5() {
	printf 'MD5:%s\n' "$(awk '{print $2}' "$1" | base64 -d |
	    openssl dgst -md5 -binary | od -An -tx1 | tr -d ' \n' |
	    sed 's/../&:/g; s/:$//')"
}

# expect NAME FILE TEXT: pass if FILE holds exactly TEXT (trailing
# newlines aside; log lines end in \r\n as OpenSSH's do, so \r is dropped).
expect() {
	if [ "$(tr -d '\r' <"$2")" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$(head -c 300 "$2")' want '$3'"
	fi
}

# grep_ok NAME PATTERN FILE: pass if FILE has a line matching PATTERN.
grep_ok() {
	if tr -d '\r' <"$3" | grep -q -e "$2"; then
		pass "$1"
	else
		fail "$1" "no '$2' in: $(head -c 300 "$3")"
	fi
}

# rc_is NAME WANT GOT
rc_is() {
	if [ "$3" -eq "$2" ]; then
		pass "$1"
	else
		fail "$1" "exit status $3, want $2"
	fi
}

me="$(id -un)@$(hostname)"

# ------------------------------------------------------------ generation

# gen_check NAME TYPE BITS TYPENAME SHORT
gen_check() {
	f="$T/gen-$1"
	if ! kg -q -t "$2" -b "$3" -f "$f" -N '' -C "comment $1" \
	    </dev/null >"$T/out" 2>&1; then
		fail "gen-$1" "exit status $? ($(cat "$T/out"))"
		return
	fi
	expect "gen-$1-quiet" "$T/out" ""
	[ "$(mode "$f")" = 600 ] && [ "$(mode "$f.pub")" = 644 ] &&
	    pass "gen-$1-modes" ||
	    fail "gen-$1-modes" "$(mode "$f") $(mode "$f.pub")"
	expect "gen-$1-pub" "$f.pub" \
	    "$4 $(awk '{print $2}' "$f.pub") comment $1"
	kg -l -f "$f" >"$T/out" 2>&1
	expect "gen-$1-l" "$T/out" "$3 $(fp_sha256 "$f.pub") comment $1 ($5)"
	kg -y -f "$f" >"$T/out" 2>&1
	if cmp -s "$T/out" "$f.pub"; then
		pass "gen-$1-y"
	else
		fail "gen-$1-y" "-y differs from .pub: $(cat "$T/out")"
	fi
}

gen_check ed25519 ed25519 256 ssh-ed25519 ED25519
gen_check ecdsa256 ecdsa 256 ecdsa-sha2-nistp256 ECDSA
gen_check ecdsa384 ecdsa 384 ecdsa-sha2-nistp384 ECDSA
gen_check ecdsa521 ecdsa 521 ecdsa-sha2-nistp521 ECDSA
gen_check rsa1024 rsa 1024 ssh-rsa RSA
gen_check rsa2048 rsa 2048 ssh-rsa RSA

# -t takes full key type names too; the curve then gives the size.
kg -q -t ecdsa-sha2-nistp384 -f "$T/full" -N '' </dev/null
kg -l -f "$T/full.pub" >"$T/out" 2>&1
grep_ok gen-fullname '^384 SHA256:.* (ECDSA)$' "$T/out"

# Without -t: Ed25519, default comment user@host.
kg -q -f "$T/dflt" -N '' </dev/null
expect gen-default-type "$T/dflt.pub" \
    "ssh-ed25519 $(awk '{print $2}' "$T/dflt.pub") $me"

# The chatty form: what OpenSSH prints, in its order.
kg -t ed25519 -f "$T/loud" -N '' -C 'loud key' </dev/null >"$T/out" 2>&1
sed -n 1,5p "$T/out" >"$T/head"
expect gen-output "$T/head" "Generating public/private ed25519 key pair.
Your identification has been saved in $T/loud
Your public key has been saved in $T/loud.pub
The key fingerprint is:
$(fp_sha256 "$T/loud.pub") loud key"
sed -n 6,7p "$T/out" >"$T/art"
expect gen-art-head "$T/art" "The key's randomart image is:
+--[ED25519 256]--+"
sed -n '8,16p' "$T/out" | grep -c '^|.................|$' >"$T/n"
expect gen-art-rows "$T/n" 9
sed -n '17,$p' "$T/out" >"$T/art"
expect gen-art-foot "$T/art" "+----[SHA256]-----+"

# -E md5 applies to the fingerprint shown after generation.
kg -t ecdsa -f "$T/md5gen" -N '' -C x -E md5 </dev/null >"$T/out" 2>&1
sed -n 5p "$T/out" >"$T/line"
expect gen-md5 "$T/line" "$(fp_md5 "$T/md5gen.pub") x"

# An empty -C leaves the comment empty (with OpenSSH's trailing space).
kg -q -t ed25519 -f "$T/nocomment" -N '' -C '' </dev/null
expect gen-empty-comment "$T/nocomment.pub" \
    "ssh-ed25519 $(awk '{print $2}' "$T/nocomment.pub") "

# Passphrases asked on stdin (no terminal): a mismatch asks again.
printf 'one\ntwo\nsecret\nsecret\n' | kg -t ed25519 -f "$T/asked" -C a \
    >"$T/out" 2>"$T/err"
grep_ok gen-mismatch 'Passphrases do not match.  Try again.' "$T/out"
grep_ok gen-prompt 'Enter passphrase (empty for no passphrase): ' "$T/err"
kg -y -P secret -f "$T/asked" >"$T/out" 2>&1
grep_ok gen-asked-passphrase '^ssh-ed25519 ' "$T/out"

# --------------------------------------------------------- bad -t / -b

# bad NAME WANT-MESSAGE ARGS...: refused with status 255, no file left.
bad() {
	bad_name=$1 bad_msg=$2
	shift 2
	rm -f "$T/bad" "$T/bad.pub"
	kg "$@" -f "$T/bad" -N '' </dev/null >"$T/out" 2>&1
	bad_rc=$?
	if [ $bad_rc -eq 255 ] && tr -d '\r' <"$T/out" | grep -qxF "$bad_msg" &&
	    [ ! -e "$T/bad" ]; then
		pass "$bad_name"
	else
		fail "$bad_name" "status $bad_rc: $(cat "$T/out")"
	fi
}
bad bad-type 'unknown key type foo' -t foo
bad bad-dsa 'unknown key type dsa' -t dsa
bad bad-rsa-small 'Invalid RSA key length: minimum is 1024 bits' -t rsa -b 1023
bad bad-rsa-large 'Invalid RSA key length: maximum is 16384 bits' \
    -t rsa -b 16385
bad bad-ecdsa 'Invalid ECDSA key length: valid lengths are 256, 384 or 521 bits' \
    -t ecdsa -b 300
bad bad-bits-text 'Bits has bad value x1 (invalid)' -b x1
bad bad-bits-zero 'Bits has bad value 0 (too small)' -b 0
bad bad-format 'Unsupported conversion format "foo"' -m foo
bad bad-cipher "Invalid OpenSSH-format cipher 'foo'" -Z foo
bad bad-rounds 'Invalid number: 0 (too small)' -a 0

kg -j >"$T/out" 2>&1
rc_is usage-status 1 $?
grep_ok usage-unknown '^unknown option -- j$' "$T/out"
grep_ok usage-text '^usage: ssh-keygen ' "$T/out"
kg -l -f "$T/loud.pub" extra >"$T/out" 2>&1
rc_is usage-extra 1 $?
grep_ok usage-extra-msg '^Too many arguments.$' "$T/out"
kg -p -c -f "$T/loud" >"$T/out" 2>&1
rc_is usage-p-c 1 $?
grep_ok usage-p-c-msg '^Can only have one of -p and -c.$' "$T/out"

# ------------------------------------------------------------ overwrite

sum_before=$(sha256sum <"$T/loud")
echo n | kg -t ed25519 -f "$T/loud" -N '' >"$T/out" 2>&1
rc_is overwrite-no-status 1 $?
expect overwrite-no-prompt "$T/out" "Generating public/private ed25519 key pair.
$T/loud already exists.
Overwrite (y/n)? "
[ "$(sha256sum <"$T/loud")" = "$sum_before" ] && pass overwrite-no-kept ||
    fail overwrite-no-kept "key file changed"
kg -q -t ed25519 -f "$T/loud" -N '' </dev/null >"$T/out" 2>&1
rc_is overwrite-eof 1 $?
echo y | kg -q -t ed25519 -f "$T/loud" -N '' >"$T/out" 2>&1
rc_is overwrite-yes 0 $?
[ "$(sha256sum <"$T/loud")" != "$sum_before" ] && pass overwrite-yes-new ||
    fail overwrite-yes-new "key file not replaced"

# ----------------------------------------------------------- -y and -l

kg -q -t ecdsa -f "$T/enc" -N 'correct horse' -C 'enc key' </dev/null
kg -y -f "$T/enc" -P 'correct horse' >"$T/out" 2>&1
expect y-passphrase "$T/out" "$(cat "$T/enc.pub")"
echo 'correct horse' | kg -y -f "$T/enc" >"$T/out" 2>"$T/err"
expect y-stdin "$T/out" "$(cat "$T/enc.pub")"
expect y-stdin-prompt "$T/err" "Enter passphrase: "
kg -y -f "$T/enc" -P wrong >"$T/out" 2>&1
rc_is y-wrong-status 255 $?
expect y-wrong-msg "$T/out" \
    "Load key \"$T/enc\": incorrect passphrase supplied to decrypt private key"
kg -y -f "$T/nonexistent" >"$T/out" 2>&1
rc_is y-missing-status 255 $?
expect y-missing-msg "$T/out" "$T/nonexistent: No such file or directory"
kg -l -f "$T/nonexistent" >"$T/out" 2>&1
rc_is l-missing-status 255 $?
expect l-missing-msg "$T/out" \
    "ssh-keygen: $T/nonexistent: No such file or directory"

# A private key others can read is refused (keyfile_check_perm's warning).
cp "$T/enc" "$T/open"
chmod 644 "$T/open"
kg -y -f "$T/open" -P 'correct horse' >"$T/out" 2>&1
rc_is perm-status 255 $?
grep_ok perm-warning '^@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @$' \
    "$T/out"
grep_ok perm-mode "^Permissions 0644 for '$T/open' are too open.$" "$T/out"
grep_ok perm-msg "^Load key \"$T/open\": bad permissions$" "$T/out"

# An askpass program answers when stdin is not a terminal and there is a
# display, as in OpenSSH; it gets the prompt as its argument.
cat >"$T/askpass" <<'EOF'
#!/bin/sh
printf '%s\n' "$1" >>"$ASKPASS_LOG"
echo 'correct horse'
EOF
chmod +x "$T/askpass"
env ASKPASS_LOG="$T/askpass.log" DISPLAY=:99 SSH_ASKPASS="$T/askpass" \
    setsid -w "$KEYGEN" -y -f "$T/enc" </dev/null >"$T/out" 2>&1
expect askpass-key "$T/out" "$(cat "$T/enc.pub")"
expect askpass-prompt "$T/askpass.log" "Enter passphrase: "
env ASKPASS_LOG="$T/askpass.log" DISPLAY=:99 SSH_ASKPASS="$T/askpass" \
    SSH_ASKPASS_REQUIRE=never setsid -w "$KEYGEN" -y -f "$T/enc" \
    </dev/null >"$T/out" 2>&1
rc_is askpass-never 255 $?

# -l of the encrypted private key needs no passphrase (uses the .pub).
kg -l -f "$T/enc" >"$T/out" 2>&1
expect l-private "$T/out" "256 $(fp_sha256 "$T/enc.pub") enc key (ECDSA)"
kg -l -E md5 -f "$T/enc.pub" >"$T/out" 2>&1
expect l-md5 "$T/out" "256 $(fp_md5 "$T/enc.pub") enc key (ECDSA)"
kg -lv -E md5 -f "$T/enc.pub" >"$T/out" 2>&1
sed -n '2p;12p' "$T/out" >"$T/art"
expect lv-md5-art "$T/art" "+---[ECDSA 256]---+
+------[MD5]------+"
kg -E sha3 -l -f "$T/enc.pub" >"$T/out" 2>&1
rc_is l-bad-hash 255 $?
grep_ok l-bad-hash-msg '^Invalid hash algorithm "sha3"$' "$T/out"
kg -l -f - <"$T/enc.pub" >"$T/out" 2>&1
expect l-stdin "$T/out" "256 $(fp_sha256 "$T/enc.pub") enc key (ECDSA)"
# Without its .pub, an encrypted key's public section has no comment.
mv "$T/enc.pub" "$T/enc.pub.saved"
kg -l -f "$T/enc" >"$T/out" 2>&1
expect l-private-nopub "$T/out" \
    "256 $(fp_sha256 "$T/enc.pub.saved") no comment (ECDSA)"
mv "$T/enc.pub.saved" "$T/enc.pub"

# A list of keys: authorized_keys options, known_hosts names, hashed
# names, markers (skipped, as OpenSSH does), comments and junk.
E=$(awk '{print $1, $2}' "$T/gen-ed25519.pub")
R=$(awk '{print $1, $2}' "$T/gen-rsa1024.pub")
C=$(awk '{print $1, $2}' "$T/gen-ecdsa384.pub")
FE=$(fp_sha256 "$T/gen-ed25519.pub")
FR=$(fp_sha256 "$T/gen-rsa1024.pub")
FC=$(fp_sha256 "$T/gen-ecdsa384.pub")
cat >"$T/keylist" <<EOF
# authorized_keys and known_hosts lines

$E plain comment
from="10.0.0.1",command="echo \"a b\"" $R
no-pty,no-port-forwarding $C with  two  spaces
host1,host2 $E
[host3]:2222,10.0.0.2 $R known host comment
|1|c29tZSBzYWx0IGhlcmUgMTIzNA==|aGFzaGVkIGhvc3QgbmFtZTEyMzQ1Njc= $C
@cert-authority *.example.com $E
@revoked * $R
2048 35 1234567 old-ssh1-key
not a key at all
  $C
EOF
kg -l -f "$T/keylist" >"$T/out" 2>&1
rc_is l-list-status 0 $?
expect l-list "$T/out" "256 $FE plain comment (ED25519)
1024 $FR from=\"10.0.0.1\",command=\"echo \\\"a b\\\"\" (RSA)
384 $FC with  two  spaces (ECDSA)
256 $FE host1,host2 (ED25519)
1024 $FR known host comment (RSA)
384 $FC |1|c29tZSBzYWx0IGhlcmUgMTIzNA==|aGFzaGVkIGhvc3QgbmFtZTEyMzQ1Njc= (ECDSA)
384 $FC no comment (ECDSA)"
printf '# nothing\nnot a key\n' >"$T/nokeys"
kg -l -f "$T/nokeys" >"$T/out" 2>&1
rc_is l-nokeys-status 255 $?
expect l-nokeys-msg "$T/out" "$T/nokeys is not a public key file."

# ---------------------------------------------------------------- -p

kg -q -t ed25519 -f "$T/pp" -N 'first pass' -C 'pp comment' </dev/null
kg -p -f "$T/pp" -P 'first pass' -N 'second pass' >"$T/out" 2>&1
rc_is p-status 0 $?
expect p-output "$T/out" "Key has comment 'pp comment'
Your identification has been saved with the new passphrase."
kg -y -f "$T/pp" -P 'first pass' >/dev/null 2>&1
rc_is p-old-refused 255 $?
kg -y -f "$T/pp" -P 'second pass' >"$T/out" 2>&1
expect p-new-works "$T/out" "$(cat "$T/pp.pub")"
kg -p -f "$T/pp" -P 'bad' -N x >"$T/out" 2>&1
rc_is p-wrong-status 255 $?
expect p-wrong-msg "$T/out" \
    "Failed to load key $T/pp: incorrect passphrase supplied to decrypt private key"
printf 'second pass\nnew1\nnew2\n' | kg -p -f "$T/pp" >"$T/out" 2>"$T/err"
rc_is p-mismatch-status 1 $?
grep_ok p-mismatch-msg '^Pass phrases do not match.  Try again.$' "$T/out"
printf 'second pass\nthird pass\nthird pass\n' | kg -p -f "$T/pp" \
    >"$T/out" 2>"$T/err"
rc_is p-stdin-status 0 $?
expect p-stdin-prompts "$T/err" "Enter old passphrase: Enter new passphrase (empty for no passphrase): Enter same passphrase again: "
kg -p -f "$T/pp" -P 'third pass' -N '' >/dev/null 2>&1
kg -y -f "$T/pp" </dev/null >"$T/out" 2>&1
expect p-removed "$T/out" "$(cat "$T/pp.pub")"
[ "$(mode "$T/pp")" = 600 ] && pass p-mode || fail p-mode "$(mode "$T/pp")"
kg -q -t ecdsa -f "$T/pem" -N '' </dev/null
kg -p -f "$T/pem" -N abcd -m PEM >"$T/out" 2>&1
rc_is p-pem-short 1 $?
grep_ok p-pem-short-msg \
    'failed: passphrase is too short (minimum five characters)$' "$T/out"
kg -p -f "$T/pem" -N 'pem pass' -m PEM >/dev/null 2>&1
grep_ok p-pem-written '^-----BEGIN EC PRIVATE KEY-----$' "$T/pem"
grep_ok p-pem-encrypted '^Proc-Type: 4,ENCRYPTED$' "$T/pem"
kg -y -f "$T/pem" -P 'pem pass' >"$T/out" 2>&1
expect p-pem-readable "$T/out" "$(awk '{print $1, $2}' "$T/pem.pub")"

# ---------------------------------------------------------------- -c

kg -q -t ed25519 -f "$T/cc" -N 'cc pass' -C 'old words' </dev/null
kg -c -f "$T/cc" -P 'cc pass' -C 'new words' >"$T/out" 2>&1
rc_is c-status 0 $?
expect c-output "$T/out" "Old comment: old words
Comment 'new words' applied"
expect c-pub "$T/cc.pub" "ssh-ed25519 $(awk '{print $2}' "$T/cc.pub") new words"
mv "$T/cc.pub" "$T/cc.pub.saved"
kg -y -f "$T/cc" -P 'cc pass' >"$T/out" 2>&1
expect c-private "$T/out" "$(cat "$T/cc.pub.saved")"
mv "$T/cc.pub.saved" "$T/cc.pub"
printf 'cc pass\nasked words\n' | kg -c -f "$T/cc" >"$T/out" 2>/dev/null
expect c-asked "$T/out" "Old comment: new words
New comment: Comment 'asked words' applied"
kg -c -f "$T/cc" -P 'cc pass' -C 'asked words' >"$T/out" 2>&1
expect c-nochange "$T/out" "Old comment: asked words
No change to comment"
kg -c -f "$T/cc" -P 'nope' -C x >"$T/out" 2>&1
rc_is c-wrong-status 255 $?
expect c-wrong-msg "$T/out" \
    "Cannot load private key \"$T/cc\": incorrect passphrase supplied to decrypt private key"
kg -p -f "$T/cc" -P 'cc pass' -N 'other' >"$T/out" 2>&1
grep_ok p-keeps-comment "^Key has comment 'asked words'$" "$T/out"

# ------------------------------------------------------------ -e / -i

for k in gen-ed25519 gen-ecdsa256 gen-rsa2048; do
	for m in RFC4716 PKCS8 PEM; do
		case "$k.$m" in
		gen-ed25519.PKCS8|gen-ed25519.PEM)
			kg -e -m $m -f "$T/$k.pub" >"$T/out" 2>&1
			rc_is "e-$k-$m-refused" 255 $?
			continue ;;
		esac
		kg -e -m $m -f "$T/$k.pub" >"$T/exp" 2>"$T/err" ||
		    { fail "e-$k-$m" "$(cat "$T/err")"; continue; }
		# OpenSSH exports ECDSA as SubjectPublicKeyInfo for -m PEM
		# too, and imports only PKCS#1 (RSA) with -m PEM.
		im=$m
		[ "$k.$m" = gen-ecdsa256.PEM ] && im=PKCS8
		kg -i -m $im -f "$T/exp" >"$T/out" 2>&1
		expect "ei-$k-$m" "$T/out" "$(awk '{print $1, $2}' "$T/$k.pub")"
	done
done
kg -e -f "$T/gen-rsa2048.pub" >"$T/exp" 2>&1
sed -n '1,2p;$p' "$T/exp" >"$T/out"
expect e-rfc4716-frame "$T/out" "---- BEGIN SSH2 PUBLIC KEY ----
Comment: \"2048-bit RSA, converted by $me from OpenSSH\"
---- END SSH2 PUBLIC KEY ----"
awk 'NR > 2 && !/^----/ && length($0) > 70' "$T/exp" >"$T/out"
expect e-rfc4716-width "$T/out" ""
kg -e -m PEM -f "$T/gen-rsa2048.pub" >"$T/out" 2>&1
sed -n '1p;$p' "$T/out" >"$T/line"
expect e-pem-rsa "$T/line" "-----BEGIN RSA PUBLIC KEY-----
-----END RSA PUBLIC KEY-----"
# Headers with continuation lines, and another header, are skipped.
kg -e -f "$T/gen-ecdsa256.pub" >"$T/exp" 2>&1
{
	echo '---- BEGIN SSH2 PUBLIC KEY ----'
	echo 'Subject: someone'
	echo 'Comment: "a comment that goes \'
	echo 'on: and on"'
	sed -n '3,$p' "$T/exp"
} >"$T/headers"
kg -i -f "$T/headers" >"$T/out" 2>&1
expect i-headers "$T/out" "$(awk '{print $1, $2}' "$T/gen-ecdsa256.pub")"
kg -i -f "$T/gen-ecdsa256.pub" >"$T/out" 2>&1
rc_is i-not-rfc4716 255 $?
kg -e -m PEM -f "$T/gen-ecdsa256.pub" >"$T/exp" 2>&1
kg -i -m PEM -f "$T/exp" >"$T/out" 2>&1
rc_is i-pem-spki-refused 255 $?
expect i-pem-spki-msg "$T/out" \
    "do_convert_from_pem: unrecognised raw private key format"

# -e of a private key without .pub: its public section.
cp "$T/enc" "$T/enc2"
kg -e -f "$T/enc2" </dev/null >"$T/exp" 2>&1
kg -i -f "$T/exp" >"$T/out" 2>&1
expect e-private "$T/out" "$(awk '{print $1, $2}' "$T/enc.pub")"

# ---------------------------------------------------------------- -A

sysconf=$(sed -n 's/^sysconfdir = //p' "$OBJ/Makefile")
prefix=$(sed -n 's/^prefix = //p' "$OBJ/Makefile")
sshdir=$(printf '%s\n' "$sysconf" | sed "s|\${prefix}|$prefix|")
mkdir -p "$T/root$sshdir"
kg -A -f "$T/root" </dev/null >"$T/out" 2>&1
rc_is A-status 0 $?
expect A-output "$T/out" "ssh-keygen: generating new host keys: RSA ECDSA ED25519 "
for t in rsa ecdsa ed25519; do
	f="$T/root$sshdir/ssh_host_${t}_key"
	[ "$(mode "$f")" = 600 ] && [ "$(mode "$f.pub")" = 644 ] &&
	    pass "A-$t-files" || fail "A-$t-files" "missing or bad modes"
done
kg -l -f "$T/root$sshdir/ssh_host_rsa_key.pub" >"$T/out" 2>&1
grep_ok A-rsa-default-bits "^3072 SHA256:.* $me (RSA)$" "$T/out"
kg -A -f "$T/root" </dev/null >"$T/out" 2>&1
expect A-again "$T/out" ""
rm "$T/root$sshdir/ssh_host_ecdsa_key" "$T/root$sshdir/ssh_host_ecdsa_key.pub"
kg -A -f "$T/root" </dev/null >"$T/out" 2>&1
expect A-missing-one "$T/out" "ssh-keygen: generating new host keys: ECDSA "

# ------------------------------------------- default path, ~/.ssh made

# Only inside a private mount namespace with a scratch home directory,
# so the real ~/.ssh is never touched.
home=$(getent passwd "$(id -u)" | cut -d: -f6)
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	skip default-path "needs root and unshare -m for a private home"
elif [ -z "$home" ] || [ "$home" = / ]; then
	skip default-path "no usable home directory"
else
	printf '\n' | unshare -m sh -c 'mount -t tmpfs keel "$1" &&
	    setsid -w "$2" -t ecdsa -N "" -C dflt &&
	    stat -c "%a %n" "$1/.ssh" "$1/.ssh/id_ecdsa" "$1/.ssh/id_ecdsa.pub"' \
	    sh "$home" "$KEYGEN" >"$T/out" 2>"$T/err"
	grep_ok default-path-prompt \
	    "^Enter file in which to save the key ($home/.ssh/id_ecdsa): " \
	    "$T/out"
	grep_ok default-path-created "^Created directory '$home/.ssh'.$" \
	    "$T/err"
	grep_ok default-path-dirmode "^700 $home/.ssh$" "$T/out"
	grep_ok default-path-keymode "^600 $home/.ssh/id_ecdsa$" "$T/out"
	grep_ok default-path-saved \
	    "Your identification has been saved in $home/.ssh/id_ecdsa$" \
	    "$T/out"
fi
