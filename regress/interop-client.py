#!/usr/bin/python3
# regress/interop-client.py: run one command on an SSH server through
# paramiko or asyncssh (Debian's, hence /usr/bin/python3), for
# regress/interop-peers.sh.
#
#   interop-client.py LIB PORT USER KNOWN_HOSTS AUTH COMMAND [STDIN-FILE]
#
# LIB is "paramiko", "asyncssh" or "paramiko-retry" (a wrong password,
# then AUTH, on one connection); AUTH is "key:FILE" (an OpenSSH private
# key) or "password:WORD".  The host key must be in KNOWN_HOSTS (OpenSSH
# format, [127.0.0.1]:PORT entries); unknown keys are refused.  The
# remote stdout and stderr are copied to ours, and we exit with the
# remote exit status (255 on our own errors, as ssh does).
import sys
import warnings

warnings.filterwarnings("ignore")


def run_paramiko(port, user, known, auth, command, data):
    import paramiko
    cl = paramiko.SSHClient()
    cl.load_host_keys(known)
    cl.set_missing_host_key_policy(paramiko.RejectPolicy())
    kw = dict(port=port, username=user, look_for_keys=False,
              allow_agent=False, timeout=10, banner_timeout=10,
              auth_timeout=10)
    kind, val = auth.split(":", 1)
    if kind == "key":
        kw["key_filename"] = val
    else:
        kw["password"] = val
    cl.connect("127.0.0.1", **kw)
    chan = cl.get_transport().open_session()
    chan.exec_command(command)
    if data is not None:
        chan.sendall(data)
    chan.shutdown_write()
    out = chan.makefile("rb").read()
    err = chan.makefile_stderr("rb").read()
    status = chan.recv_exit_status()
    cl.close()
    return out, err, status


def run_paramiko_retry(port, user, known, auth, command, data):
    """A wrong password first, then the key, on one connection (what
    paramiko's SSHClient does when it has several credentials): paramiko
    sends SERVICE_REQUEST again before the second attempt."""
    import paramiko
    import socket
    hk = paramiko.HostKeys(known)
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    t = paramiko.Transport(s)
    t.start_client(timeout=10)
    key = t.get_remote_server_key()
    if not hk.check("[127.0.0.1]:%d" % port, key):
        raise Exception("host key not in known_hosts")
    try:
        t.auth_password(user, "wrong-password")
        raise Exception("a wrong password was accepted")
    except paramiko.AuthenticationException:
        pass
    t.auth_publickey(user, paramiko.Ed25519Key.from_private_key_file(
        auth.split(":", 1)[1]))
    chan = t.open_session()
    chan.exec_command(command)
    chan.shutdown_write()
    out = chan.makefile("rb").read()
    err = chan.makefile_stderr("rb").read()
    status = chan.recv_exit_status()
    t.close()
    return out, err, status


def run_asyncssh(port, user, known, auth, command, data):
    import asyncio
    import asyncssh

    async def go():
        kw = dict(port=port, username=user, known_hosts=known,
                  agent_path=None, connect_timeout=10)
        kind, val = auth.split(":", 1)
        if kind == "key":
            kw["client_keys"] = [val]
            kw["preferred_auth"] = "publickey"
        else:
            kw["client_keys"] = None
            kw["password"] = val
            kw["preferred_auth"] = "password"
        async with asyncssh.connect("127.0.0.1", **kw) as conn:
            r = await conn.run(command, input=data, encoding=None,
                               check=False)
            return r.stdout, r.stderr, r.exit_status
    return asyncio.run(go())


def main():
    if len(sys.argv) not in (7, 8):
        sys.stderr.write(__doc__ if __doc__ else "usage\n")
        return 255
    lib, port, user, known, auth, command = sys.argv[1:7]
    data = None
    if len(sys.argv) == 8:
        with open(sys.argv[7], "rb") as f:
            data = f.read()
    fn = {"paramiko": run_paramiko, "paramiko-retry": run_paramiko_retry,
          "asyncssh": run_asyncssh}[lib]
    try:
        out, err, status = fn(int(port), user, known, auth, command, data)
    except Exception as e:
        sys.stderr.write("%s: %s: %s\n" % (lib, type(e).__name__, e))
        return 255
    sys.stdout.buffer.write(out or b"")
    sys.stdout.flush()
    sys.stderr.buffer.write(err or b"")
    return status if status is not None else 255


if __name__ == "__main__":
    sys.exit(main())
