#!/usr/bin/python3
# regress/attack-sshd.py: hostile clients for regress/attack-sshd.sh.
#
#   attack-sshd.py PORT CASE [ARGS]
#
# Raw cases (plaintext, before or during the first key exchange): the
# bytes of CASE are sent, then what comes back is read until the server
# closes or TIMEOUT seconds pass, and printed one item per line:
#   lport N                 our local port (to find the server's log lines)
#   version LINE            the server's version line
#   packet TYPE             a plaintext binary packet from the server
#   disconnect REASON DESC  its SSH_MSG_DISCONNECT
#   closed SECONDS / timeout SECONDS   how the reading ended, and when
# Cases needing keys (CHANNEL_OPEN before authentication, many auth
# attempts) use paramiko for the key exchange and print:
#   disconnect REASON DESC  if the server sent one (from paramiko's log)
#   channel opened / channel refused / closed
# "auth N CONNS THREADS USER" tries N wrong passwords over as many
# connections as MaxAuthTries makes it need, and prints
#   attempts N connections C seconds S
# "maxstartups K" holds K pre-auth connections, then tries one more.
import logging
import os
import socket
import struct
import sys
import threading
import time
import warnings

warnings.filterwarnings("ignore")
HOST = "127.0.0.1"

KEX_C = b"curve25519-sha256,ecdh-sha2-nistp256,kex-strict-c-v00@openssh.com"
HOSTKEYS = b"ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-256"
CIPHERS = b"aes128-ctr,chacha20-poly1305@openssh.com"
MACS = b"hmac-sha2-256"


def string(b):
    return struct.pack(">I", len(b)) + b


def packet(payload, plen=None, padlen=None):
    """A plaintext binary packet (block size 8, at least 4 padding)."""
    if padlen is None:
        padlen = 8 - (5 + len(payload)) % 8
        if padlen < 4:
            padlen += 8
    body = bytes([padlen]) + payload + os.urandom(padlen)
    if plen is None:
        plen = len(body)
    return struct.pack(">I", plen) + body


def kexinit(kex=KEX_C):
    p = bytes([20]) + os.urandom(16)
    for nl in (kex, HOSTKEYS, CIPHERS, CIPHERS, MACS, MACS, b"none",
               b"none", b"", b""):
        p += string(nl)
    return packet(p + b"\0" + b"\0\0\0\0")


def userauth_request():
    return packet(bytes([50]) + string(b"root") + string(b"ssh-connection") +
                  string(b"password") + b"\0" + string(b"x"))


VERSION = b"SSH-2.0-KeelAttack_1.0\r\n"


def case_bytes(name):
    """What to send, and whether to half-close after."""
    if name == "garbage":
        return b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", False
    if name == "binary":
        return os.urandom(4000), False
    if name == "longline":
        return b"SSH-2.0-" + b"A" * 300000, False
    if name == "manylines":
        return b"hello\r\n" * 2000 + VERSION, False
    if name == "nul":
        return b"SSH-2.0-Nul\0byte\r\n", False
    if name == "proto1":
        return b"SSH-1.5-Old\r\n", False
    if name == "eof-in-version":
        return b"SSH-2.0-Trunc", True
    if name == "truncated":
        return VERSION + struct.pack(">I", 1000) + b"\x04\x14abc", True
    if name == "truncated-kexinit":
        return VERSION + kexinit()[:-30], True
    if name == "oversized":
        return VERSION + struct.pack(">I", 1 << 20) + b"\0" * 12, False
    if name == "huge-length":
        return VERSION + b"\xff\xff\xff\xff" + b"\0" * 12, False
    if name == "zero-length":
        return VERSION + b"\0\0\0\0" + b"\0" * 12, False
    if name == "bad-padding":
        return VERSION + packet(b"\x02abc", padlen=40)[:48], False
    if name == "unaligned":
        return VERSION + packet(b"\x02" + b"x" * 10, padlen=4), False
    if name == "short-padding":
        return VERSION + packet(b"\x02abcd", padlen=2), False
    if name == "userauth-before-newkeys":
        return VERSION + kexinit() + userauth_request(), False
    if name == "service-before-newkeys":
        return (VERSION + kexinit() +
                packet(bytes([5]) + string(b"ssh-userauth")), False)
    if name == "newkeys-early":
        return VERSION + kexinit() + packet(bytes([21])), False
    if name == "ignore-before-kexinit":
        return (VERSION + packet(bytes([2]) + string(b"x")) + kexinit(),
                False)
    if name == "double-kexinit":
        return VERSION + kexinit() + kexinit(), False
    if name == "channel-open-plain":
        return (VERSION + kexinit() + packet(bytes([90]) +
                string(b"session") + struct.pack(">III", 0, 32768, 32768)),
                False)
    raise SystemExit("unknown case " + name)


def describe(data):
    out = []
    while True:
        nl = data.find(b"\n")
        if nl < 0:
            return out
        line = data[:nl].decode("latin1").rstrip("\r")
        data = data[nl + 1:]
        if line.startswith("SSH-"):
            out.append("version " + line)
            break
        out.append("text " + line)
    while len(data) >= 6:
        plen, padlen, ptype = struct.unpack(">IBB", data[:6])
        if not (6 <= plen <= 35000 and padlen < plen and
                len(data) >= 4 + plen):
            nl = data.find(b"\n")
            if 0 <= nl < 1024 and all(32 <= c < 127 or c == 13
                                      for c in data[:nl]):
                out.append("text " + data[:nl].decode().rstrip("\r"))
                data = data[nl + 1:]
                continue
            out.append("opaque %d" % len(data))
            break
        payload = data[5:4 + plen - padlen]
        out.append("packet %d" % ptype)
        if ptype == 1 and len(payload) >= 9:
            reason, dlen = struct.unpack(">II", payload[1:9])
            out.append("disconnect %d %s" %
                       (reason, payload[9:9 + dlen].decode("latin1")))
        data = data[4 + plen:]
    return out


def raw(port, name, timeout):
    tosend, halfclose = case_bytes(name)
    s = socket.create_connection((HOST, port), timeout=10)
    print("lport %d" % s.getsockname()[1])
    sys.stdout.flush()
    start = time.time()
    try:
        s.sendall(tosend)
        if halfclose:
            s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    got = b""
    end = "closed"
    s.settimeout(0.5)
    while True:
        if time.time() - start > timeout:
            end = "timeout"
            break
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    for item in describe(got):
        print(item)
    print("%s %.1f" % (end, time.time() - start))


class Catch(logging.Handler):
    """Collects paramiko's "Disconnect (code N): text" messages."""

    def __init__(self):
        logging.Handler.__init__(self)
        self.disc = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("Disconnect (code"):
            self.disc.append(msg)


def catch_paramiko():
    import paramiko  # noqa: F401
    h = Catch()
    lg = logging.getLogger("paramiko")
    lg.setLevel(logging.INFO)
    lg.addHandler(h)
    lg.propagate = False
    return h


def print_disc(h):
    for m in h.disc:
        # "Disconnect (code 2): text"
        code = m[len("Disconnect (code "):].split(")")[0]
        print("disconnect %s %s" % (code, m.split(": ", 1)[-1]))


def channel_before_auth(port):
    import paramiko
    h = catch_paramiko()
    s = socket.create_connection((HOST, port), timeout=10)
    print("lport %d" % s.getsockname()[1])
    t = paramiko.Transport(s)
    t.start_client(timeout=10)
    try:
        ch = t.open_session(timeout=5)
        print("channel opened")
        ch.close()
    except Exception:
        print("channel refused")
    deadline = time.time() + 5
    while t.is_active() and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.2)
    print_disc(h)
    print("closed" if not t.is_active() else "open")
    t.close()


def one_service_request():
    """paramiko sends SERVICE_REQUEST before every auth attempt; RFC 4252
    clients send it once.  Make it send it once per connection, so that
    what is tested is the attempts, not a repeated service request."""
    import paramiko
    from paramiko.auth_handler import AuthHandler
    orig = AuthHandler._request_auth

    def request_auth(self):
        if getattr(self.transport, "_once_svc", False):
            m = paramiko.Message()
            m.add_string("ssh-userauth")
            m.rewind()
            self._parse_service_accept(m)
        else:
            self.transport._once_svc = True
            orig(self)
    AuthHandler._request_auth = request_auth


def auth_attempts(port, n, threads, user):
    import paramiko
    catch_paramiko()
    one_service_request()
    lock = threading.Lock()
    state = {"attempts": 0, "conns": 0, "errors": 0, "accepted": 0}

    def one_conn():
        s = socket.create_connection((HOST, port), timeout=10)
        t = paramiko.Transport(s)
        try:
            t.start_client(timeout=10)
            while True:
                with lock:
                    if state["attempts"] >= n:
                        return
                    state["attempts"] += 1
                try:
                    t.auth_password(user, "wrong-%d" % state["attempts"])
                    with lock:
                        state["accepted"] += 1
                    return
                except paramiko.AuthenticationException:
                    if not t.is_active():
                        return
                except Exception:
                    return
        finally:
            t.close()

    def worker():
        while True:
            with lock:
                if state["attempts"] >= n:
                    return
                state["conns"] += 1
            try:
                one_conn()
            except Exception:
                with lock:
                    state["errors"] += 1
                    if state["errors"] > 50:
                        return

    start = time.time()
    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for th in ts:
        th.start()
    for th in ts:
        th.join()
    print("attempts %d connections %d seconds %.1f errors %d accepted %d" %
          (state["attempts"], state["conns"], time.time() - start,
           state["errors"], state["accepted"]))


def max_startups(port, k):
    held = []
    for _ in range(k):
        s = socket.create_connection((HOST, port), timeout=10)
        s.sendall(VERSION)
        held.append(s)
    ok = 0
    for s in held:
        try:
            if s.recv(256).startswith(b"SSH-"):
                ok += 1
        except OSError:
            pass
    print("held %d" % ok)
    # One more: dropped at once (no version, or closed right after).
    s = socket.create_connection((HOST, port), timeout=10)
    s.settimeout(5)
    start = time.time()
    got = b""
    try:
        s.sendall(VERSION)
        while True:
            c = s.recv(4096)
            if not c:
                break
            got += c
    except socket.timeout:
        print("extra open")
    except OSError:
        print("extra reset %.1f" % (time.time() - start))
    else:
        print("extra dropped %.1f" % (time.time() - start))
    s.close()
    for s in held:
        s.close()
    # Once they are gone, new connections are served again.
    for _ in range(30):
        time.sleep(0.2)
        try:
            s = socket.create_connection((HOST, port), timeout=5)
            s.settimeout(5)
            s.sendall(VERSION)
            v = s.recv(256)
            s.close()
            if v.startswith(b"SSH-"):
                print("after served")
                return
        except OSError:
            pass
    print("after refused")


def main():
    port = int(sys.argv[1])
    name = sys.argv[2]
    if name == "channel-before-auth":
        channel_before_auth(port)
    elif name == "auth":
        auth_attempts(port, int(sys.argv[3]), int(sys.argv[4]),
                      sys.argv[5])
    elif name == "maxstartups":
        max_startups(port, int(sys.argv[3]))
    elif name == "slow":
        raw_slow(port, float(sys.argv[3]))
    else:
        raw(port, name, float(sys.argv[3]) if len(sys.argv) > 3 else 10)


def raw_slow(port, limit):
    """Sends the version, then one byte a second: held past the grace."""
    s = socket.create_connection((HOST, port), timeout=10)
    print("lport %d" % s.getsockname()[1])
    sys.stdout.flush()
    start = time.time()
    s.sendall(VERSION)
    s.settimeout(1)
    tosend = kexinit()
    i = 0
    while time.time() - start < limit:
        try:
            if not s.recv(65536):
                print("closed %.1f" % (time.time() - start))
                return
        except socket.timeout:
            pass
        except OSError:
            print("closed %.1f" % (time.time() - start))
            return
        try:
            if i < len(tosend) - 1:
                s.sendall(tosend[i:i + 1])
                i += 1
        except OSError:
            print("closed %.1f" % (time.time() - start))
            return
    print("timeout %.1f" % (time.time() - start))


if __name__ == "__main__":
    main()
