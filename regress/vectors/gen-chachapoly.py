#!/usr/bin/env python3
"""Derive chacha20-poly1305@openssh.com known answers independently.

Writes the derived part of regress/vectors/chachapoly-openssh.txt to
stdout.  ChaCha20 and Poly1305 are written out here from their
definitions (RFC 8439 sections 2.3 and 2.5) in plain Python, without
OpenSSL, so the vectors do not share a line of code with cipher-
chachapoly.c or with the library it calls.  Before printing anything the
script checks itself against RFC 8439 (2.3.2, 2.4.2, 2.5.2) and against
the worked example of draft-ietf-sshm-chacha20-poly1305-04, Appendix A.

Run:  python3 regress/vectors/gen-chachapoly.py
"""

import struct
import sys

MASK32 = 0xFFFFFFFF


def rotl(v, n):
    return ((v << n) & MASK32) | (v >> (32 - n))


def quarter(x, a, b, c, d):
    x[a] = (x[a] + x[b]) & MASK32
    x[d] = rotl(x[d] ^ x[a], 16)
    x[c] = (x[c] + x[d]) & MASK32
    x[b] = rotl(x[b] ^ x[c], 12)
    x[a] = (x[a] + x[b]) & MASK32
    x[d] = rotl(x[d] ^ x[a], 8)
    x[c] = (x[c] + x[d]) & MASK32
    x[b] = rotl(x[b] ^ x[c], 7)


def block(key, words12to15):
    """One 64-byte ChaCha20 block; state words 12..15 given as integers."""
    state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    state += list(struct.unpack("<8I", key))
    state += list(words12to15)
    x = list(state)
    for _ in range(10):
        quarter(x, 0, 4, 8, 12)
        quarter(x, 1, 5, 9, 13)
        quarter(x, 2, 6, 10, 14)
        quarter(x, 3, 7, 11, 15)
        quarter(x, 0, 5, 10, 15)
        quarter(x, 1, 6, 11, 12)
        quarter(x, 2, 7, 8, 13)
        quarter(x, 3, 4, 9, 14)
    return struct.pack("<16I", *[(x[i] + state[i]) & MASK32 for i in range(16)])


def stream64(key, counter, nonce8):
    """Keystream generator: 64-bit counter, 64-bit nonce (OpenSSH layout)."""
    n0, n1 = struct.unpack("<2I", nonce8)
    while True:
        yield block(key, (counter & MASK32, counter >> 32, n0, n1))
        counter += 1


def stream_ietf(key, counter, nonce12):
    """Keystream generator: 32-bit counter, 96-bit nonce (RFC 8439)."""
    n = struct.unpack("<3I", nonce12)
    while True:
        yield block(key, (counter,) + n)
        counter += 1


def xor(data, gen):
    out = bytearray()
    while len(out) < len(data):
        ks = next(gen)
        chunk = data[len(out):len(out) + 64]
        out += bytes(a ^ b for a, b in zip(chunk, ks))
    return bytes(out)


def poly1305(key, msg):
    r = int.from_bytes(key[:16], "little") & 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key[16:32], "little")
    p = (1 << 130) - 5
    acc = 0
    for i in range(0, len(msg), 16):
        chunk = msg[i:i + 16] + b"\x01"
        acc = (acc + int.from_bytes(chunk, "little")) * r % p
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def openssh_seal(key64, seqnr, packet):
    """packet = uint32 length || body; returns (ciphertext, tag)."""
    main, header = key64[:32], key64[32:]
    nonce = struct.pack(">Q", seqnr)
    enc_len = xor(packet[:4], stream64(header, 0, nonce))
    enc_body = xor(packet[4:], stream64(main, 1, nonce))
    polykey = next(stream64(main, 0, nonce))[:32]
    ct = enc_len + enc_body
    return ct, poly1305(polykey, ct)


def h(s):
    return bytes.fromhex("".join(s.split()))


def selftest():
    key = bytes(range(32))
    # RFC 8439 2.3.2: the block function.
    got = next(stream_ietf(key, 1, h("000000090000004a00000000")))
    assert got == h("""
        10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e
        d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e
        """), "RFC 8439 2.3.2"
    # RFC 8439 2.4.2: encryption.
    sunscreen = (b"Ladies and Gentlemen of the class of '99: If I could "
                 b"offer you only one tip for the future, sunscreen would "
                 b"be it.")
    got = xor(sunscreen, stream_ietf(key, 1, h("000000000000004a00000000")))
    assert got == h("""
        6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b
        f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8
        07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736
        5af90bbf74a35be6b40b8eedf2785e42874d"""), "RFC 8439 2.4.2"
    # RFC 8439 2.5.2: Poly1305.
    got = poly1305(h("85d6be7857556d337f4452fe42d506a80103808afb0db2fd"
                     "4abff6af4149f51b"), b"Cryptographic Forum Research Group")
    assert got == h("a8061dc1305136c6c22b8baf0c0127a9"), "RFC 8439 2.5.2"
    # draft-ietf-sshm-chacha20-poly1305-04, Appendix A.
    ct, tag = openssh_seal(APPX_A_KEY, 7, APPX_A_PT)
    assert ct == APPX_A_CT and tag == APPX_A_TAG, "draft Appendix A"


APPX_A_KEY = h("""
    8bbff6855fc102338c373e73aac0c914f076a905b2444a32eecaffeae22becc5
    e9b7a7a5825a8249346ec1c28301cf394543fc7569887d76e168f37562ac0740""")
APPX_A_PT = h("""
    00000048065e00000000000000384c6f72656d20697073756d20646f6c6f7220
    73697420616d65742c20636f6e73656374657475722061646970697369636
    96e6720656c69744e43e804dc6c""")
APPX_A_CT = h("""
    2c3ecce4a5bc05895bf07a7ba956b6c68829ac7c83b780b7000ecde745afc705
    bbc378ce03a280236b87b53bed5839662302b164b6286a48cd1e097138e3cb90
    9b8b2b829dd18d2a35ff82d9""")
APPX_A_TAG = h("95349e855bf02c298ef775f2d1a7e8b8")


def packet(body_len, fill):
    """A well-formed SSH packet: length || body (body_len % 8 == 0)."""
    body = bytes((fill + i * 7) & 0xFF for i in range(body_len))
    return struct.pack(">I", body_len) + body


def main():
    selftest()
    # Deterministic key material: not secret, just varied.
    key = bytes((i * 29 + 3) & 0xFF for i in range(64))
    cases = [
        (0, 8), (1, 16), (0x01020304, 40), (0x7FFFFFFF, 64),
        (0x80000000, 72), (0xFFFFFFFE, 136), (0xFFFFFFFF, 1024),
    ]
    out = sys.stdout
    out.write("# Derived by regress/vectors/gen-chachapoly.py "
              "(pure-Python ChaCha20 and\n# Poly1305, self-checked "
              "against RFC 8439 and Appendix A above).\n")
    for seqnr, body_len in cases:
        pt = packet(body_len, seqnr & 0xFF)
        ct, tag = openssh_seal(key, seqnr, pt)
        out.write("\nkey = %s\nseqnr = %u\nplaintext = %s\n"
                  "ciphertext = %s\ntag = %s\n" %
                  (key.hex(), seqnr, pt.hex(), ct.hex(), tag.hex()))


if __name__ == "__main__":
    main()
