#!/bin/sh
# bench/agent-sign.sh: signatures per second through our ssh-agent and
# OpenSSH's, side by side.
#
#   OBJ=/path/to/build sh bench/agent-sign.sh [SECONDS] [ROUNDS]
#
# Both agents hold the same keys (Ed25519, ECDSA P-256/384/521, RSA 2048
# and 3072).  For each key type a client keeps one connection open and
# sends SIGN_REQUESTs (64 bytes of data; RSA with the rsa-sha2-512 flag)
# for SECONDS seconds (default 2), ROUNDS times (default 5), alternating
# agents; the median rate of each is printed with ours relative to
# OpenSSH's (above 1.00 means ours signs faster).  The client is the same
# for both, so its overhead cancels out of the ratio.  Not a test:
# nothing here passes or fails.

set -u
: "${OBJ:?set OBJ to the build directory}"
OURS="$OBJ/ssh-agent"
THEIRS=/usr/bin/ssh-agent
ADD=/usr/bin/ssh-add
KEYGEN=/usr/bin/ssh-keygen
PY=/usr/bin/python3
SECS=${1:-2}
ROUNDS=${2:-5}

case $ROUNDS in
''|*[!0-9]*|0) echo "bench: ROUNDS must be a positive number" >&2; exit 1 ;;
esac

for p in "$OURS" "$THEIRS" "$ADD" "$KEYGEN" "$PY"; do
	if [ ! -x "$p" ]; then
		echo "bench: $p missing" >&2
		exit 1
	fi
done

W=$(mktemp -d "${TMPDIR:-/tmp}/agent-bench.XXXXXX") || exit 1
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT

# median FILE: the median of the numbers in FILE, one per line.
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR % 2)
			print v[(NR + 1) / 2]
		else
			print (v[NR / 2] + v[NR / 2 + 1]) / 2
	}'
}

TYPES="ed25519 ecdsa256 ecdsa384 ecdsa521 rsa2048 rsa3072"
for t in $TYPES; do
	case $t in
	ed25519) a="-t ed25519" ;;
	ecdsa*) a="-t ecdsa -b ${t#ecdsa}" ;;
	rsa*) a="-t rsa -b ${t#rsa}" ;;
	esac
	# shellcheck disable=SC2086
	"$KEYGEN" -q $a -N '' -C "$t" -f "$W/$t" </dev/null || exit 1
done

# start NAME PROGRAM: an agent on $W/NAME.sock holding every key.
start() {
	out=$("$2" -s -a "$W/$1.sock" </dev/null) || exit 1
	pid=$(echo "$out" | sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p')
	PIDS="$PIDS $pid"
	for t in $TYPES; do
		SSH_AUTH_SOCK="$W/$1.sock" setsid -w "$ADD" -q "$W/$t" \
		    </dev/null >/dev/null 2>&1 || exit 1
	done
}
start ours "$OURS"
start theirs "$THEIRS"

cat >"$W/sign.py" <<'EOF'
import socket, struct, sys, time

def string(b):
    return struct.pack(">I", len(b)) + b

def recv_exact(s, n):
    data = b""
    while len(data) < n:
        d = s.recv(n - len(data))
        if not d:
            raise SystemExit("agent closed the connection")
        data += d
    return data

sock, pubfile, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
import base64
blob = base64.b64decode(open(pubfile).read().split()[1])
flags = 4 if blob[4:11] == b"ssh-rsa" else 0
req = bytes([13]) + string(blob) + string(b"\x5a" * 64) + struct.pack(">I", flags)
msg = struct.pack(">I", len(req)) + req
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
n = 0
start = time.monotonic()
while time.monotonic() - start < secs:
    s.sendall(msg)
    hdr = recv_exact(s, 4)
    body = recv_exact(s, struct.unpack(">I", hdr)[0])
    if body[0] != 14:
        raise SystemExit("sign failed (type %d)" % body[0])
    n += 1
print("%.1f" % (n / (time.monotonic() - start)))
EOF

printf '%-10s %12s %12s %8s\n' key "ours/s" "openssh/s" ratio
for t in $TYPES; do
	: >"$W/ours.$t"
	: >"$W/theirs.$t"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		"$PY" "$W/sign.py" "$W/ours.sock" "$W/$t.pub" "$SECS" \
		    >>"$W/ours.$t" || exit 1
		"$PY" "$W/sign.py" "$W/theirs.sock" "$W/$t.pub" "$SECS" \
		    >>"$W/theirs.$t" || exit 1
		r=$((r + 1))
	done
	echo "$t $(median "$W/ours.$t") $(median "$W/theirs.$t")" |
	    awk '{printf "%-10s %12.1f %12.1f %8.2f\n", $1, $2, $3, $2 / $3}'
done
