# regress/sftp-server-raw.py: speak raw SFTP (plain struct packing) to
# an sftp-server and check its answers to malformed, hostile and unusual
# requests.  Run by regress/sftp-server-raw.sh with Debian's python3:
#
#   sftp-server-raw.py OUR-SERVER OPENSSH-SERVER WORKDIR
#
# Prints one "pass NAME" or "fail NAME WHY" line per check.  Where
# OpenSSH's server is given, some answers are compared with its answers.

import os
import select
import struct
import subprocess
import sys
import tempfile
import threading

OURS, THEIRS, WORK = sys.argv[1], sys.argv[2], sys.argv[3]

INIT, VERSION, OPEN, CLOSE, READ, WRITE, LSTAT, FSTAT, SETSTAT = range(1, 10)
FSETSTAT, OPENDIR, READDIR, REMOVE, MKDIR, RMDIR, REALPATH = range(10, 17)
STAT, RENAME, READLINK, SYMLINK = range(17, 21)
STATUS, HANDLE, DATA, NAME, ATTRS = range(101, 106)
EXTENDED, EXTENDED_REPLY = 200, 201
FX_OK, FX_EOF, FX_NO_SUCH_FILE, FX_PERMISSION_DENIED, FX_FAILURE = range(5)
FX_BAD_MESSAGE, FX_OP_UNSUPPORTED = 5, 8
FXF_READ, FXF_WRITE, FXF_APPEND, FXF_CREAT, FXF_TRUNC, FXF_EXCL = (
    1, 2, 4, 8, 16, 32)
MAX_PACKET = 256 * 1024


def u32(v):
    return struct.pack(">I", v)


def u64(v):
    return struct.pack(">Q", v)


def s(b):
    if isinstance(b, str):
        b = b.encode()
    return u32(len(b)) + b


def packet(t, body=b""):
    return u32(len(body) + 1) + bytes([t]) + body


class Reader:
    def __init__(self, data):
        self.d, self.o = data, 0

    def u32(self):
        v = struct.unpack(">I", self.d[self.o:self.o + 4])[0]
        self.o += 4
        return v

    def u64(self):
        v = struct.unpack(">Q", self.d[self.o:self.o + 8])[0]
        self.o += 8
        return v

    def string(self):
        n = self.u32()
        v = self.d[self.o:self.o + n]
        self.o += n
        return v

    def attrs(self):
        flags = self.u32()
        a = {"flags": flags}
        if flags & 1:
            a["size"] = self.u64()
        if flags & 2:
            a["uid"], a["gid"] = self.u32(), self.u32()
        if flags & 4:
            a["perm"] = self.u32()
        if flags & 8:
            a["atime"], a["mtime"] = self.u32(), self.u32()
        return a

    def left(self):
        return len(self.d) - self.o


class Server:
    def __init__(self, path, args=(), cwd=None):
        self.err = tempfile.TemporaryFile()
        self.p = subprocess.Popen([path, "-e"] + list(args),
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=self.err, cwd=cwd or WORK)
        self.buf = b""

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, t, body=b""):
        self.send_raw(packet(t, body))

    def _read(self, n, timeout):
        while len(self.buf) < n:
            r, _, _ = select.select([self.p.stdout], [], [], timeout)
            if not r:
                raise TimeoutError("no reply in %s s" % timeout)
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            self.buf += chunk
        v, self.buf = self.buf[:n], self.buf[n:]
        return v

    def recv(self, timeout=20):
        h = self._read(4, timeout)
        if h is None:
            return None, None
        n = struct.unpack(">I", h)[0]
        d = self._read(n, timeout)
        if d is None:
            return None, None
        return d[0], Reader(d[1:])

    def init(self):
        self.send(INIT, u32(3))
        t, r = self.recv()
        assert t == VERSION, "no VERSION"
        return r

    def finish(self, timeout=20):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
            rc = "timeout"
        self.p.stdout.close()
        self.err.seek(0)
        return rc, self.err.read().decode(errors="replace")

    # Requests that expect one reply.
    def call(self, t, rid, body=b""):
        self.send(t, u32(rid) + body)
        typ, r = self.recv()
        if typ is None:
            raise EOFError("server closed")
        if r.u32() != rid:
            raise ValueError("reply id mismatch")
        return typ, r

    def status(self, t, rid, body=b""):
        typ, r = self.call(t, rid, body)
        if typ != STATUS:
            return ("type", typ)
        code = r.u32()
        msg = r.string()
        lang = r.string()
        return code, msg, lang

    def handle(self, t, rid, body):
        typ, r = self.call(t, rid, body)
        if typ != HANDLE:
            raise ValueError("no handle: type %d" % typ)
        return r.string()


results = []


def report(name, ok, why=""):
    if ok:
        print("pass %s" % name)
    else:
        print("fail %s %s" % (name, why))
    sys.stdout.flush()


def check(name, fn):
    try:
        why = fn()
        report(name, not why, why or "")
    except Exception as e:
        report(name, False, "%s: %s" % (type(e).__name__, e))


def exits_cleanly_with(srv, want_rc, want_log):
    """The server ends by itself with want_rc and a log line."""
    rc, err = srv.finish()
    if rc != want_rc:
        return "exit status %r, want %r (log: %s)" % (rc, want_rc,
                                                     err.strip()[:200])
    if want_log and want_log not in err:
        return "no %r in log: %s" % (want_log, err.strip()[:200])
    return None


# ---------------------------------------------------------------- checks

EXTS = [(b"posix-rename@openssh.com", b"1"), (b"statvfs@openssh.com", b"2"),
        (b"fstatvfs@openssh.com", b"2"), (b"hardlink@openssh.com", b"1"),
        (b"fsync@openssh.com", b"1"), (b"lsetstat@openssh.com", b"1"),
        (b"limits@openssh.com", b"1"), (b"expand-path@openssh.com", b"1"),
        (b"copy-data", b"1"), (b"home-directory", b"1"),
        (b"users-groups-by-id@openssh.com", b"1")]


def t_version():
    srv = Server(OURS)
    r = srv.init()
    if r.u32() != 3:
        return "version not 3"
    exts = []
    while r.left() > 0:
        exts.append((r.string(), r.string()))
    srv.finish()
    if exts != EXTS:
        return "extensions %r" % exts
    return None


def t_before_init():
    srv = Server(OURS)
    srv.send(STAT, u32(1) + s("."))
    return exits_cleanly_with(srv, 11, "before init")


def t_oversize():
    srv = Server(OURS)
    srv.init()
    srv.send_raw(u32(MAX_PACKET + 1) + b"\x06")
    return exits_cleanly_with(srv, 11, "exceeds")


def t_huge_length():
    srv = Server(OURS)
    srv.init()
    srv.send_raw(u32(0xffffffff))
    return exits_cleanly_with(srv, 11, "exceeds")


def t_max_packet():
    srv = Server(OURS)
    srv.init()
    h = srv.handle(OPEN, 1, s("maxpkt") + u32(FXF_WRITE | FXF_CREAT |
                                             FXF_TRUNC) + u32(0))
    # type + id + handle + offset + data string = exactly the maximum.
    fixed = 1 + 4 + 4 + len(h) + 8 + 4
    data = b"m" * (MAX_PACKET - fixed)
    body = u32(2) + s(h) + u64(0) + s(data)
    assert len(body) + 1 == MAX_PACKET
    srv.send(WRITE, body)
    typ, r = srv.recv()
    code = None
    if typ == STATUS and r.u32() == 2:
        code = r.u32()
    srv.finish()
    if typ != STATUS or code != FX_OK:
        return "write of a maximal packet: type %r code %r" % (typ, code)
    if os.path.getsize(os.path.join(WORK, "maxpkt")) != len(data):
        return "wrong size written"
    return None


def t_truncated():
    body = u32(7) + s("somefile") + u32(FXF_READ) + u32(0xf) + \
        u64(1) + u32(2) + u32(3) + u32(4) + u32(5) + u32(6)
    full = bytes([OPEN]) + body
    for cut in range(0, len(full)):
        srv = Server(OURS)
        srv.init()
        srv.send_raw(u32(cut) + full[:cut])
        why = exits_cleanly_with(srv, 11, "")
        if why:
            return "cut at %d: %s" % (cut, why)
    return None


def t_trailing():
    srv = Server(OURS)
    srv.init()
    srv.send(STAT, u32(1) + s(".") + b"\x00")
    return exits_cleanly_with(srv, 11, "malformed stat request")


def t_eof_mid_packet():
    srv = Server(OURS)
    srv.init()
    srv.send_raw(u32(100) + b"\x11\x00\x00")
    return exits_cleanly_with(srv, 0, "")


def t_unknown_types():
    srv = Server(OURS)
    srv.init()
    for rid, t in enumerate([0, VERSION, 21, 99, STATUS, DATA, 150, 201,
                             255]):
        st = srv.status(t, 100 + rid)
        if st[0] != FX_OP_UNSUPPORTED:
            return "type %d: %r" % (t, st)
    st = srv.status(EXTENDED, 200, s("no-such-extension@example.com") +
                    b"junk")
    if st[0] != FX_OP_UNSUPPORTED:
        return "unknown extension: %r" % (st,)
    # The session goes on.
    typ, r = srv.call(REALPATH, 201, s("."))
    srv.finish()
    return None if typ == NAME else "no NAME after unknown requests"


def t_bad_handles():
    srv = Server(OURS)
    srv.init()
    bad = [b"", b"abcd", b"\x00" * 8, b"\xff" * 8, b"\x00\x00\x00\x00\x00"
           b"\x00\x00\x01", b"x" * 300]
    for i, h in enumerate(bad):
        for t, extra in [(CLOSE, b""), (READ, u64(0) + u32(10)),
                         (WRITE, u64(0) + s("x")), (FSTAT, b""),
                         (READDIR, b""), (FSETSTAT, u32(0))]:
            st = srv.status(t, i, s(h) + extra)
            if st[0] != FX_NO_SUCH_FILE:
                return "handle %r type %d: %r" % (h, t, st)
    # A stale handle: closed, then its slot reused.
    h1 = srv.handle(OPEN, 50, s("/dev/null") + u32(FXF_READ) + u32(0))
    srv.status(CLOSE, 51, s(h1))
    h2 = srv.handle(OPEN, 52, s("/dev/null") + u32(FXF_READ) + u32(0))
    st = srv.status(READ, 53, s(h1) + u64(0) + u32(1))
    srv.finish()
    if h1 == h2:
        return "a reused slot gave the same handle"
    if st[0] != FX_NO_SUCH_FILE:
        return "stale handle: %r" % (st,)
    return None


def t_read_cap():
    srv = Server(OURS)
    srv.init()
    h = srv.handle(OPEN, 1, s("/dev/zero") + u32(FXF_READ) + u32(0))
    typ, r = srv.call(READ, 2, s(h) + u64(0) + u32(10 ** 6))
    n = len(r.string()) if typ == DATA else None
    srv.finish()
    if n != MAX_PACKET - 1024:
        return "read of 1e6 bytes gave %r" % n
    return None


def t_pipelined():
    """Thousands of requests sent without reading: all are answered."""
    srv = Server(OURS)
    srv.init()
    n = 20000
    reqs = b"".join(packet(STAT, u32(i) + s(".")) for i in range(n))
    # READs of 255 KiB fill the output queue quickly too.
    h = srv.handle(OPEN, n, s("/dev/zero") + u32(FXF_READ) + u32(0))
    reqs += b"".join(packet(READ, u32(n + 1 + i) + s(h) + u64(0) +
                            u32(MAX_PACKET)) for i in range(64))
    writer = threading.Thread(target=srv.send_raw, args=(reqs,))
    writer.start()
    for i in range(n + 64):
        typ, r = srv.recv()
        if typ is None or r.u32() != i + (1 if i >= n else 0):
            return "reply %d missing or out of order" % i
    writer.join()
    srv.finish()
    return None


def t_status_text():
    srv = Server(OURS)
    srv.init()
    st = srv.status(OPEN, 1, s("no/such/file") + u32(FXF_READ) + u32(0))
    srv.finish()
    if st != (FX_NO_SUCH_FILE, b"No such file or directory", b""):
        return "got %r" % (st,)
    return None


def t_ids():
    srv = Server(OURS)
    srv.init()
    for rid in [0, 1, 0x7fffffff, 0xffffffff]:
        typ, r = srv.call(REALPATH, rid, s("/"))
        if typ != NAME:
            return "id %x" % rid
    srv.finish()
    return None


def t_limits():
    srv = Server(OURS)
    srv.init()
    typ, r = srv.call(EXTENDED, 1, s("limits@openssh.com"))
    v = [r.u64() for _ in range(4)]
    srv.finish()
    if typ != EXTENDED_REPLY or v[:3] != [262144, 261120, 261120] or \
            v[3] < 1:
        return "got %r" % v
    return None


def t_init_twice():
    srv = Server(OURS)
    srv.init()
    srv.send(INIT, u32(3))
    return exits_cleanly_with(srv, 11, "INIT")


# ---------------------------------------------------------------- parity
# The same requests to both servers, in identical fresh directories.

def make_fixture(d):
    os.mkdir(d)
    with open(os.path.join(d, "file"), "w") as f:
        f.write("data\n")
    with open(os.path.join(d, "other"), "w") as f:
        f.write("other\n")
    os.mkdir(os.path.join(d, "dir"))
    os.mkdir(os.path.join(d, "full"))
    with open(os.path.join(d, "full", "x"), "w") as f:
        f.write("x")
    os.symlink("file", os.path.join(d, "link"))
    os.symlink("nowhere", os.path.join(d, "dangling"))
    os.symlink("loop", os.path.join(d, "loop"))
    os.mkfifo(os.path.join(d, "fifo"))
    for n in ["a b", "quote'\"", "nl\nname", "\xfcml\xe4ut", "x" * 200]:
        open(os.path.join(d, n), "w").close()
    t = 1000000000
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            os.utime(os.path.join(root, n), (t, t), follow_symlinks=False)
    os.utime(d, (t, t))


def summary(typ, r):
    """A reply reduced to what must agree between servers."""
    if typ == STATUS:
        return ("STATUS", r.u32())
    if typ == HANDLE:
        return ("HANDLE",)
    if typ == NAME:
        n = r.u32()
        names = []
        for _ in range(n):
            nm, ln, a = r.string(), r.string(), r.attrs()
            a.pop("atime", None)
            names.append((nm, ln, tuple(sorted(a.items()))))
        return ("NAME", tuple(sorted(names)))
    if typ == ATTRS:
        a = r.attrs()
        a.pop("atime", None)
        return ("ATTRS", tuple(sorted(a.items())))
    if typ == DATA:
        return ("DATA", r.string())
    if typ == EXTENDED_REPLY:
        return ("EXTENDED_REPLY", r.d[r.o:])
    return ("TYPE", typ)


def script(srv):
    """Run the parity script; the list of reply summaries."""
    out = []

    def req(t, body):
        rid = len(out) + 1
        srv.send(t, u32(rid) + body)
        typ, r = srv.recv()
        if r.u32() != rid:
            raise ValueError("id mismatch")
        out.append(summary(typ, r))
        return typ, r

    def hreq(t, body):
        typ, r = req(t, body)
        return r.string() if typ == HANDLE else b"\0" * 4
    for p in ["file", "link", "dangling", "loop", "dir", "missing",
              "missing/x", "file/x", "", "."]:
        req(STAT, s(p))
        req(LSTAT, s(p))
        req(READLINK, s(p))
    for p in ["missing", "dir/../file", "dir/new", "missing/new", "file/x",
              "link/", "/", "/.."]:
        typ, r = req(REALPATH, s(p))
    dh = hreq(OPENDIR, s("."))
    for _ in range(4):
        req(READDIR, s(dh))
    req(CLOSE, s(dh))
    req(OPENDIR, s("file"))
    req(OPENDIR, s("missing"))
    fh = hreq(OPEN, s("file") + u32(FXF_READ) + u32(0))
    req(READ, s(fh) + u64(0) + u32(100))
    req(READ, s(fh) + u64(2) + u32(2))
    req(READ, s(fh) + u64(5) + u32(100))
    req(WRITE, s(fh) + u64(0) + s("x"))
    req(FSTAT, s(fh))
    req(CLOSE, s(fh))
    req(CLOSE, s(fh))
    wh = hreq(OPEN, s("new") + u32(FXF_WRITE | FXF_CREAT | FXF_EXCL) +
              u32(4) + u32(0o640))
    req(WRITE, s(wh) + u64(3) + s("abc"))
    req(READ, s(wh) + u64(0) + u32(10))
    req(FSETSTAT, s(wh) + u32(1) + u64(2))
    req(CLOSE, s(wh))
    req(OPEN, s("new") + u32(FXF_WRITE | FXF_CREAT | FXF_EXCL) + u32(0))
    req(OPEN, s("dir") + u32(FXF_WRITE) + u32(0))
    req(OPEN, s("missing/x") + u32(FXF_READ) + u32(0))
    ah = hreq(OPEN, s("new") + u32(FXF_WRITE | FXF_APPEND) + u32(0))
    req(WRITE, s(ah) + u64(0) + s("tail"))
    req(CLOSE, s(ah))
    rh = hreq(OPEN, s("new") + u32(FXF_READ) + u32(0))
    req(READ, s(rh) + u64(0) + u32(100))
    req(CLOSE, s(rh))
    req(MKDIR, s("dir") + u32(0))
    req(MKDIR, s("newdir") + u32(4) + u32(0o700))
    req(MKDIR, s("missing/x") + u32(0))
    req(RMDIR, s("full"))
    req(RMDIR, s("file"))
    req(RMDIR, s("newdir"))
    req(REMOVE, s("dir"))
    req(REMOVE, s("missing"))
    req(RENAME, s("new") + s("other"))
    req(RENAME, s("new") + s("dir"))
    req(RENAME, s("missing") + s("x"))
    req(RENAME, s("new") + s("renamed"))
    req(EXTENDED, s("posix-rename@openssh.com") + s("renamed") +
        s("other"))
    req(EXTENDED, s("hardlink@openssh.com") + s("other") + s("file"))
    req(EXTENDED, s("hardlink@openssh.com") + s("other") + s("hard"))
    req(SYMLINK, s("target") + s("sym"))
    req(SYMLINK, s("target") + s("sym"))
    req(READLINK, s("sym"))
    req(SETSTAT, s("other") + u32(0xd) + u64(3) + u32(0o600) +
        u32(12345) + u32(67890))
    req(STAT, s("other"))
    req(SETSTAT, s("missing") + u32(4) + u32(0o600))
    req(EXTENDED, s("lsetstat@openssh.com") + s("sym") + u32(8) +
        u32(1) + u32(2))
    req(LSTAT, s("sym"))
    req(EXTENDED, s("expand-path@openssh.com") + s("~/dir/.."))
    req(EXTENDED, s("expand-path@openssh.com") + s("~root"))
    req(EXTENDED, s("home-directory") + s("root"))
    req(EXTENDED, s("users-groups-by-id@openssh.com") +
        s(u32(0) + u32(1) + u32(0x7ffffffe)) + s(u32(0) + u32(0x7ffffffe)))
    req(EXTENDED, s("statvfs@openssh.com") + s("missing"))
    req(EXTENDED, s("fsync@openssh.com") + s(b"\0" * 4))
    return out


def t_parity():
    results = {}
    # Both first: making one changes the times of their parent, "..".
    for who in ["ours", "theirs"]:
        make_fixture(os.path.join(WORK, "parity-" + who))
    for who, path in [("ours", OURS), ("theirs", THEIRS)]:
        d = os.path.join(WORK, "parity-" + who)
        srv = Server(path, cwd=d)
        srv.init()
        got = script(srv)
        srv.finish()
        # Paths differ only in the fixture directory's name.
        results[who] = [repr(x).replace("parity-" + who, "parity-X")
                        for x in got]
    for i, (a, b) in enumerate(zip(results["theirs"], results["ours"])):
        if a != b:
            return "reply %d: OpenSSH %s, ours %s" % (i + 1, a[:300],
                                                     b[:300])
    if len(results["theirs"]) != len(results["ours"]):
        return "lengths differ"
    return None


check("version", t_version)
check("before-init", t_before_init)
check("init-twice", t_init_twice)
check("oversize", t_oversize)
check("huge-length", t_huge_length)
check("max-packet", t_max_packet)
check("truncated", t_truncated)
check("trailing-data", t_trailing)
check("eof-mid-packet", t_eof_mid_packet)
check("unknown-types", t_unknown_types)
check("bad-handles", t_bad_handles)
check("read-cap", t_read_cap)
check("pipelined", t_pipelined)
check("status-text", t_status_text)
check("ids", t_ids)
check("limits", t_limits)
if os.access(THEIRS, os.X_OK):
    check("parity", t_parity)
else:
    print("skip parity OpenSSH sftp-server not installed")
