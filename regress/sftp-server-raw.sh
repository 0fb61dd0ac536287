#!/bin/sh
# regress/sftp-server-raw.sh: raw SFTP packets to our sftp-server.
#
# regress/sftp-server-raw.py (Debian's python3, plain struct packing)
# sends what no well-behaved client would: requests before INIT, a second
# INIT, lengths beyond the 256 KiB cap, packets truncated at every offset,
# trailing bytes, unknown request types and extensions, bad and stale
# handles, 20000 pipelined requests without reading replies; and checks
# replies, exit statuses and log lines.  Its "parity" check sends one
# long script of ordinary and failing requests to both our server and
# OpenSSH's and requires the same replies (status codes, names, long
# names, attributes, data).

. "$SRC/regress/lib/test-lib.sh"

PY=/usr/bin/python3
if [ ! -x "$SFTP_SERVER" ]; then
	skip sftp-server-built "$SFTP_SERVER not built"
	exit 0
fi
if [ ! -x "$PY" ]; then
	skip sftp-raw "$PY (Debian's python3) not installed"
	exit 0
fi

mkdir -p "$T/work"
timeout 600 "$PY" "$SRC/regress/sftp-server-raw.py" "$SFTP_SERVER" \
    "$OSSH_SFTP_SERVER" "$T/work" >"$T/raw.out" 2>"$T/raw.err"
rc=$?
while read -r verdict name why; do
	case "$verdict" in
	pass) pass "$name" ;;
	fail) fail "$name" "$why" ;;
	skip) skip "$name" "$why" ;;
	esac
done <"$T/raw.out"
if [ $rc -ne 0 ]; then
	fail raw-script "exit $rc: $(tail -n 5 "$T/raw.err" | tr '\n' '|')"
fi
