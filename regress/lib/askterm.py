#!/usr/bin/python3
# regress/lib/askterm.py: run a program on a new pseudo-terminal and
# answer its questions there, for tests of prompts read from /dev/tty.
#
#   askterm.py SUFFIX ANSWER PROGRAM [ARGS...]
#
# Whenever the program's output ends with SUFFIX, ANSWER and a newline
# are typed (at most 5 times).  At the end the output (CR removed) is
# written to stdout and the program's exit status is ours (99 if it did
# not exit normally).  Everything is bounded to 30 seconds.
import os
import pty
import select
import sys
import time

suffix = sys.argv[1].encode()
answer = sys.argv[2].encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[3], sys.argv[3:])
out = b""
seen = 0
answered = 0
end = time.time() + 30
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 1)
    if not r:
        continue
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
    if answered < 5 and out.endswith(suffix) and len(out) > seen:
        os.write(fd, answer)
        answered += 1
        seen = len(out)
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 99)
