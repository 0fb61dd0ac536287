# regress/lib/test-lib.sh: sourced by every integration script.
#
# Gives each script a private temp directory ($T), the paths of our
# programs ($KEYGEN, ...) and of OpenSSH's peers ($OSSH_KEYGEN, ...), and
# the result functions:
#   pass NAME            this check passed
#   fail NAME WHY...     this check failed (the script goes on)
#   skip NAME WHY...     this check could not run here, and why
#   check NAME CMD...    run CMD; pass if it exits 0, fail otherwise
# Names are single words.  Results go to $RESULTS for regress/run.sh.

set -u
: "${OBJ:?}" "${SRC:?}"
RESULTS=${RESULTS:-/dev/null}
TESTNAME=${TESTNAME:-$(basename "$0" .sh)}

T=$(mktemp -d "${TMPROOT:-${TMPDIR:-/tmp}}/$TESTNAME.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

KEYGEN="$OBJ/ssh-keygen"
SFTP_SERVER="$OBJ/sftp-server"
SFTP="$OBJ/sftp"
SCP="$OBJ/scp"
AGENT="$OBJ/ssh-agent"
ADD="$OBJ/ssh-add"
SSH="$OBJ/ssh"
SSHD="$OBJ/sshd"

OSSH_KEYGEN=/usr/bin/ssh-keygen
OSSH_AGENT=/usr/bin/ssh-agent
OSSH_ADD=/usr/bin/ssh-add
OSSH_SSH=/usr/bin/ssh
OSSH_SFTP=/usr/bin/sftp
OSSH_SCP=/usr/bin/scp
OSSH_SFTP_SERVER=/usr/lib/openssh/sftp-server
OSSH_SSHD=/usr/sbin/sshd

pass() {
	echo "pass $1" >>"$RESULTS"
	echo "  ok   $1"
}

fail() {
	n=$1
	shift
	echo "fail $n $*" >>"$RESULTS"
	echo "  FAIL $n: $*"
}

skip() {
	n=$1
	shift
	echo "skip $n $*" >>"$RESULTS"
	echo "  skip $n: $*"
}

check() {
	n=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		pass "$n"
	else
		fail "$n" "command failed: $* ($(tail -n 3 "$T/check.out" | tr '\n' ' '))"
	fi
}

# A free TCP port on 127.0.0.1 (bound briefly by a helper to find one).
free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}
