#!/usr/bin/python3
# regress/transport-raw.py: send raw bytes to an SSH peer and describe
# what comes back, for regress/transport-interop.sh.
#
#   transport-raw.py connect PORT HEX    connect to 127.0.0.1:PORT
#   transport-raw.py listen PORT HEX     accept one connection there
#
# HEX is what to send first (hex digits; may be empty).  The reply is
# read until the peer closes or 5 seconds pass, then printed one item per
# line:
#   version <line>          the peer's SSH- version line
#   text <line>             any other line before the binary protocol
#   packet <type>           a plaintext binary packet
#   disconnect <reason> <description>
#   closed / timeout        how the reading ended
import socket
import struct
import sys
import time


def describe(data):
    out = []
    # Lines until the version line.
    while True:
        nl = data.find(b"\n")
        if nl < 0:
            if data:
                out.append("text " + data.decode("latin1").rstrip("\r"))
            return out
        line = data[:nl].decode("latin1").rstrip("\r")
        data = data[nl + 1:]
        if line.startswith("SSH-"):
            out.append("version " + line)
            break
        out.append("text " + line)
    # Plaintext packets (before NEWKEYS), or text lines (errors).
    while data:
        if len(data) >= 6:
            plen, padlen, ptype = struct.unpack(">IBB", data[:6])
        else:
            plen = padlen = ptype = 0
        if 6 <= plen <= 35000 and padlen < plen and len(data) >= 4 + plen:
            payload = data[5:4 + plen - padlen]
            out.append("packet %d" % ptype)
            if ptype == 1 and len(payload) >= 9:
                reason, dlen = struct.unpack(">II", payload[1:9])
                desc = payload[9:9 + dlen].decode("latin1")
                out.append("disconnect %d %s" % (reason, desc))
            data = data[4 + plen:]
            continue
        nl = data.find(b"\n")
        if 0 <= nl < 1024 and all(32 <= c < 127 or c == 13
                                  for c in data[:nl]):
            out.append("text " + data[:nl].decode("ascii").rstrip("\r"))
            data = data[nl + 1:]
            continue
        out.append("opaque %d" % len(data))
        break
    return out


def exchange(sock, tosend):
    sock.settimeout(5)
    if tosend:
        sock.sendall(tosend)
    got = b""
    end = "closed"
    deadline = time.time() + 5
    try:
        while time.time() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        end = "timeout"
    except ConnectionResetError:
        end = "closed"
    for item in describe(got):
        print(item)
    print(end)


def main():
    mode, port, hexdata = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    tosend = bytes.fromhex(hexdata)
    if mode == "connect":
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        exchange(sock, tosend)
        sock.close()
        return
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", port))
    lsock.listen(1)
    print("listening", flush=True)
    lsock.settimeout(20)
    conn, _ = lsock.accept()
    exchange(conn, tosend)
    conn.close()
    lsock.close()


if __name__ == "__main__":
    main()
