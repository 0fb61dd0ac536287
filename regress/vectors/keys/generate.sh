#!/bin/sh
# regress/vectors/keys/generate.sh: (re)make the key file vectors in this
# directory with OpenSSH's ssh-keygen (and OpenSSL for the Ed25519 PKCS#8
# files, which OpenSSH 9.2 does not write).  The files in the tree were
# made once with OpenSSH_9.2p1 / OpenSSL 3.0 and are kept as test data;
# running this again makes new random keys (then re-run the unit tests).
#
# For each key type T (ed25519 ecdsa256 ecdsa384 ecdsa521 rsa2048), one
# key written in every format:
#   T.key        openssh-key-v1, unencrypted, comment "keel test T"
#   T-enc.key    openssh-key-v1, aes256-ctr, bcrypt_pbkdf 16 rounds
#   T.pem        PEM (PKCS#1 / SEC1), unencrypted      (not for ed25519)
#   T-enc.pem    PEM, encrypted by ssh-keygen           (not for ed25519)
#   T.pkcs8      PKCS#8, unencrypted
#   T-enc.pkcs8  PKCS#8, encrypted
#   T.pub        the public key line ssh-keygen -y prints
#   T.fp         ssh-keygen -lf output (SHA256), T.fp-md5 (-E md5)
# and every encrypted file F has its passphrase in F.pass (no newline).
# Ed25519 once more in each cipher ssh-keygen -Z accepts, 1 KDF round:
#   ed25519-CIPHER.key  (+ .pass)
set -eu
cd "$(dirname "$0")"
KG=/usr/bin/ssh-keygen
PASS="keel test passphrase"

rm -f ./*.key ./*.pem ./*.pkcs8 ./*.pub ./*.fp ./*.fp-md5 ./*.pass

pass_of() {
	printf '%s' "$PASS" >"$1.pass"
}

convert() {	# convert SRC DST FORMAT [passphrase]
	cp "$1" "$2"
	chmod 600 "$2"
	$KG -q -p -f "$2" -P '' -N "${4:-}" -m "$3" >/dev/null
}

for t in ed25519 ecdsa256 ecdsa384 ecdsa521 rsa2048; do
	case $t in
	ed25519) args="-t ed25519" ;;
	ecdsa*) args="-t ecdsa -b ${t#ecdsa}" ;;
	rsa*) args="-t rsa -b ${t#rsa}" ;;
	esac
	# shellcheck disable=SC2086
	$KG -q $args -N '' -C "keel test $t" -f "$t.key"
	mv "$t.key.pub" "$t.pub"
	$KG -lf "$t.pub" >"$t.fp"
	$KG -E md5 -lf "$t.pub" >"$t.fp-md5"
	convert "$t.key" "$t-enc.key" RFC4716 "$PASS"
	pass_of "$t-enc.key"
	if [ "$t" = ed25519 ]; then
		# OpenSSH writes Ed25519 only as openssh-key-v1: take the seed
		# from it and let OpenSSL write PKCS#8 (RFC 8410).
		seed=$(/usr/bin/python3 - "$t.key" <<'PY'
import base64, struct, sys
lines = open(sys.argv[1]).read().split("\n")
blob = base64.b64decode("".join(l for l in lines if l and "-----" not in l))
def s(b, o):
    n = struct.unpack(">I", b[o:o + 4])[0]
    return b[o + 4:o + 4 + n], o + 4 + n
o = len(b"openssh-key-v1\0")
for _ in range(3):
    _, o = s(blob, o)
o += 4
_, o = s(blob, o)
priv, o = s(blob, o)
p = 8
_, p = s(priv, p)
_, p = s(priv, p)
sk, p = s(priv, p)
print(sk[:32].hex())
PY
)
		printf '302e020100300506032b657004220420%s' "$seed" | \
		    xxd -r -p | openssl pkey -inform DER -out "$t.pkcs8"
		openssl pkcs8 -topk8 -in "$t.pkcs8" -out "$t-enc.pkcs8" \
		    -v2 aes-256-cbc -passout "pass:$PASS"
	else
		convert "$t.key" "$t.pem" PEM
		convert "$t.key" "$t-enc.pem" PEM "$PASS"
		pass_of "$t-enc.pem"
		convert "$t.key" "$t.pkcs8" PKCS8
		convert "$t.key" "$t-enc.pkcs8" PKCS8 "$PASS"
	fi
	pass_of "$t-enc.pkcs8"
done

for c in $(/usr/bin/ssh -Q cipher); do
	cp ed25519.key "ed25519-$c.key"
	$KG -q -p -f "ed25519-$c.key" -P '' -N "$PASS" -Z "$c" -a 1 >/dev/null
	pass_of "ed25519-$c.key"
done
chmod 644 ./*
chmod 755 generate.sh
