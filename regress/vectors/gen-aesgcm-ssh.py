#!/usr/bin/python3
"""Derive aes*-gcm@openssh.com packet known answers (RFC 5647).

Writes regress/vectors/aesgcm-ssh.txt to stdout.  AES-GCM itself comes
from python3-cryptography (Debian package), checked here against
McGrew-Viega test case 4 first; what this script derives independently of
cipher-aesgcm.c is the SSH framing: the IV of the n-th packet is the
4-byte fixed field followed by the 8-byte invocation counter plus n,
modulo 2^64 (RFC 5647 section 7.1), the packet_length field is the AAD
and is sent in the clear (section 7.2), and the tag is 16 bytes.

Run:  /usr/bin/python3 regress/vectors/gen-aesgcm-ssh.py
"""

import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def selftest():
    p = bytes.fromhex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
    out = AESGCM(bytes.fromhex("feffe9928665731c6d6a8f9467308308")).encrypt(
        bytes.fromhex("cafebabefacedbaddecaf888"), p,
        bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"))
    assert out[-16:].hex() == "5bc94fbc3221a5db94fae95ae7121a47"


def packet_iv(iv, n):
    fixed, counter = iv[:4], struct.unpack(">Q", iv[4:])[0]
    return fixed + struct.pack(">Q", (counter + n) % (1 << 64))


def main():
    selftest()
    out = sys.stdout
    out.write("""\
# aes128-gcm@openssh.com and aes256-gcm@openssh.com packet known answers,
# derived by regress/vectors/gen-aesgcm-ssh.py.  One packet per block:
# cipher, key, iv (the 12 bytes from the key exchange), invocation (how
# many packets the context has processed before this one, decimal),
# plaintext (uint32 packet_length || body), ciphertext (the length field,
# in the clear, || the encrypted body) and tag, all hex.
""")
    cases = [
        ("aes128-gcm@openssh.com", 16, "a0a1a2a3fffffffffffffffe", range(4)),
        ("aes128-gcm@openssh.com", 16, "0102030400000000000000ff", range(2)),
        ("aes256-gcm@openssh.com", 32, "deadbeef0000000000000000", range(3)),
        ("aes256-gcm@openssh.com", 32, "00000000fffffffffffffffe", (2,)),
    ]
    for name, klen, ivhex, invocations in cases:
        key = bytes((i * 37 + klen) & 0xFF for i in range(klen))
        iv = bytes.fromhex(ivhex)
        for n in invocations:
            blen = 16 * (n + 1)
            body = bytes((n * 11 + i * 5) & 0xFF for i in range(blen))
            lenf = struct.pack(">I", blen)
            sealed = AESGCM(key).encrypt(packet_iv(iv, n), body, lenf)
            out.write("\ncipher = %s\nkey = %s\niv = %s\ninvocation = %d\n"
                      "plaintext = %s\nciphertext = %s\ntag = %s\n" %
                      (name, key.hex(), iv.hex(), n, (lenf + body).hex(),
                       (lenf + sealed[:-16]).hex(), sealed[-16:].hex()))


if __name__ == "__main__":
    main()
