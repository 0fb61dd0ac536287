#!/usr/bin/python3
# contrib/gen-rfc3526-moduli.py: write contrib/moduli, the RFC 3526 MODP
# groups in moduli(5) format, computed from their definition
#   p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k)
# with pi from Machin's formula in exact integer arithmetic.  The unit
# test regress/unittests/transport checks the same primes independently.
import sys

# k of each group size (RFC 3526 sections 3-7).
K = {2048: 124476, 3072: 1690314, 4096: 240904, 6144: 929484,
     8192: 4743158}


def arctan_inv(x, one):
    """arctan(1/x) scaled by one, truncated."""
    total = term = one // x
    n, sign = 1, -1
    while term:
        term //= x * x
        total += sign * (term // (2 * n + 1))
        sign, n = -sign, n + 1
    return total


def pi_times_2_to(bits):
    """floor(pi * 2^bits), with guard bits to absorb truncation."""
    guard = 64
    one = 1 << (bits + guard)
    return (16 * arctan_inv(5, one) - 4 * arctan_inv(239, one)) >> guard


def main():
    out = sys.stdout
    out.write("# Safe-prime Diffie-Hellman moduli for sshd's group "
              "exchange:\n# the MODP groups of RFC 3526 (2048-8192 bits, "
              "generator 2),\n# written by contrib/gen-rfc3526-moduli.py."
              "\n# Time Type Tests Tries Size Generator Modulus\n")
    for n in sorted(K):
        p = (2 ** n - 2 ** (n - 64) - 1 +
             2 ** 64 * (pi_times_2_to(n - 130) + K[n]))
        out.write("20030501000000 2 6 100 %d 2 %X\n" % (n - 1, p))


if __name__ == "__main__":
    main()
