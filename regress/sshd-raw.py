"""regress/sshd-raw.py: raw TCP clients for regress/sshd-proc.sh.

  sshd-raw.py PORT banner             print the server's version line
  sshd-raw.py PORT hold SECS          send a version line, read the
                                      server's, print "held", then keep
                                      the connection open for SECS seconds
                                      (or until the server closes it) and
                                      print "closed after N" or "timeout"
  sshd-raw.py PORT send HEX           send the bytes, print everything
                                      the server says until it closes
                                      (repr), or "timeout"
  sshd-raw.py PORT eof                print "eof" if the server closes
                                      without sending anything, else the
                                      first bytes
All waits are bounded (20 s at most).
"""
import socket
import sys
import time

LIMIT = 20.0


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=LIMIT)
    return s


def read_line(s):
    data = b""
    while not data.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            break
        data += c
    return data


def main():
    port = int(sys.argv[1])
    mode = sys.argv[2]
    s = connect(port)
    if mode == "banner":
        print(read_line(s).decode(errors="replace").strip())
    elif mode == "hold":
        secs = min(float(sys.argv[3]), LIMIT)
        s.sendall(b"SSH-2.0-KeelRawTest\r\n")
        line = read_line(s)
        if not line.startswith(b"SSH-2.0-"):
            print("no banner: %r" % line)
            return 1
        print("held", flush=True)
        start = time.time()
        s.settimeout(0.5)
        while time.time() - start < secs:
            try:
                d = s.recv(65536)
            except socket.timeout:
                continue
            except ConnectionError:
                d = b""
            if not d:
                print("closed after %d" % int(time.time() - start))
                return 0
        print("timeout")
    elif mode == "send":
        s.sendall(bytes.fromhex(sys.argv[3]))
        out = b""
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    break
                out += d
        except socket.timeout:
            print("timeout")
            return 1
        except ConnectionError:
            pass
        print(repr(out))
    elif mode == "eof":
        try:
            d = s.recv(256)
        except socket.timeout:
            d = None
        except ConnectionError:
            d = b""
        if d == b"":
            print("eof")
        else:
            print(repr(d))
    return 0


if __name__ == "__main__":
    sys.exit(main())
