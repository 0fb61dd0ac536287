#!/bin/sh
# regress/vectors/keys-fp/generate.sh: how the vectors in this directory
# were made (with OpenSSH 9.2's ssh-keygen; run it from this directory to
# make a fresh set).  For each key NAME:
#   NAME.pub        the public key line
#   NAME.fp-sha256  ssh-keygen -lv -E sha256 output (fingerprint + art)
#   NAME.fp-md5     ssh-keygen -lv -E md5 output
#   NAME.kat        key = value lines (hex):
#                     priv    the private part (PROTOCOL.key, inside the
#                             unencrypted openssh-key-v1 file)
#                     sigdata the bytes ssh-keygen -Y sign signed
#                             (PROTOCOL.sshsig) over the message "keel\n"
#                     sig     the SSH signature blob it made over them
# and heavy.pub / heavy.fp-sha256: made-up Ed25519 public keys whose
# SHA256 walk visits one square 15 or more times (the picture's
# saturated symbol), with ssh-keygen -lv -E sha256 output for each.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'keel\n' >"$tmp/msg"
gen() {
	name=$1
	shift
	rm -f "$tmp/$name" "$tmp/$name.pub"
	ssh-keygen -q -N '' -C "keel-test-$name" "$@" -f "$tmp/$name"
	cp "$tmp/$name.pub" "$name.pub"
	ssh-keygen -lv -E sha256 -f "$name.pub" >"$name.fp-sha256"
	ssh-keygen -lv -E md5 -f "$name.pub" >"$name.fp-md5"
	ssh-keygen -q -Y sign -f "$tmp/$name" -n file "$tmp/msg"
	/usr/bin/python3 - "$tmp/$name" "$tmp/msg.sig" "$tmp/msg" \
	    >"$name.kat" <<'PY'
import base64, hashlib, struct, sys

def unarmor(path):
    lines = open(path).read().strip().split("\n")
    return base64.b64decode("".join(lines[1:-1]))

def string(b, off):
    (n,) = struct.unpack(">I", b[off:off + 4])
    return b[off + 4:off + 4 + n], off + 4 + n

def sshstr(s):
    return struct.pack(">I", len(s)) + s

# Private key file: magic, cipher, kdf, kdfopts, nkeys, pubkey, private.
key = unarmor(sys.argv[1])
off = len(b"openssh-key-v1\0")
for _ in range(3):
    _, off = string(key, off)
off += 4
_, off = string(key, off)
priv, _ = string(key, off)
p = 8                                   # two check integers
start = p
name, p = string(priv, p)
nfields = {b"ssh-ed25519": 2, b"ssh-rsa": 6}.get(name, 3)
for _ in range(nfields):
    _, p = string(priv, p)
print("priv =", priv[start:p].hex())

# Signature file: magic, version, pubkey, namespace, reserved, hash, sig.
s = unarmor(sys.argv[2])
off = 6 + 4
_, off = string(s, off)
ns, off = string(s, off)
res, off = string(s, off)
halg, off = string(s, off)
sig, off = string(s, off)
h = hashlib.new(halg.decode(), open(sys.argv[3], "rb").read()).digest()
sigdata = b"SSHSIG" + sshstr(ns) + sshstr(res) + sshstr(halg) + sshstr(h)
print("sigdata =", sigdata.hex())
print("sig =", sig.hex())
PY
	rm -f "$tmp/msg.sig"
}
gen ed25519 -t ed25519
gen ecdsa256 -t ecdsa -b 256
gen ecdsa384 -t ecdsa -b 384
gen ecdsa521 -t ecdsa -b 521
gen rsa1024 -t rsa -b 1024
gen rsa2048 -t rsa -b 2048
gen rsa3072 -t rsa -b 3072

# Public keys are not checked by ssh-keygen -l, so any 32 bytes will do.
/usr/bin/python3 - >heavy.pub <<'PY'
import base64, hashlib, os, struct

def sshstr(s):
    return struct.pack(">I", len(s)) + s

n = 0
while n < 5:
    blob = sshstr(b"ssh-ed25519") + sshstr(os.urandom(32))
    seen, x, y = {}, 8, 4
    for byte in hashlib.sha256(blob).digest():
        for _ in range(4):
            x = max(0, min(16, x + (1 if byte & 1 else -1)))
            y = max(0, min(8, y + (1 if byte & 2 else -1)))
            seen[(x, y)] = seen.get((x, y), 0) + 1
            byte >>= 2
    if max(seen.values()) >= 15:
        print("ssh-ed25519", base64.b64encode(blob).decode(), "heavy%d" % n)
        n += 1
PY
: >heavy.fp-sha256
while read -r line; do
	printf '%s\n' "$line" >"$tmp/heavy.pub"
	ssh-keygen -lv -E sha256 -f "$tmp/heavy.pub" >>heavy.fp-sha256
done <heavy.pub
