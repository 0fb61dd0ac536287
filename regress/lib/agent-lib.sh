# regress/lib/agent-lib.sh: helpers for the agent tests (regress/agent*.sh).
# Sourced after test-lib.sh.
#
#   agent_keys           make $T/k/<type> (+ .pub) for every type in
#                        $AGENT_KEYTYPES with OpenSSH's ssh-keygen
#   agent_start WHO ...  start our (ours) or OpenSSH's (theirs) ssh-agent
#                        with a socket in $T; sets SSH_AUTH_SOCK and
#                        SSH_AGENT_PID; the agent is killed at exit
#   agent_stop           kill the agent started last
#   add WHO ARGS...      run our or OpenSSH's ssh-add without a terminal
#   agent_pid_gone PID S wait up to S seconds for PID to exit
#
# Every process started here is recorded and killed by its PID at exit.

AGENT_KEYTYPES="ed25519 ecdsa256 ecdsa384 ecdsa521 rsa"
AGENT_PIDS=""

agent_cleanup() {
	for p in $AGENT_PIDS; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap agent_cleanup EXIT

# agent_track PID: kill PID at exit.
agent_track() {
	AGENT_PIDS="$AGENT_PIDS $1"
}

agent_keys() {
	mkdir -p "$T/k"
	for kt in $AGENT_KEYTYPES; do
		case $kt in
		ed25519) a="-t ed25519" ;;
		ecdsa*) a="-t ecdsa -b ${kt#ecdsa}" ;;
		rsa) a="-t rsa -b 2048" ;;
		esac
		# shellcheck disable=SC2086
		"$OSSH_KEYGEN" -q $a -N '' -C "key-$kt" -f "$T/k/$kt" \
		    </dev/null || return 1
	done
}

agent_prog() {
	if [ "$1" = ours ]; then echo "$AGENT"; else echo "$OSSH_AGENT"; fi
}

add_prog() {
	if [ "$1" = ours ]; then echo "$ADD"; else echo "$OSSH_ADD"; fi
}

# agent_start WHO [ARGS...]: a daemon agent on $T/agent.N.sock.
AGENT_N=0
agent_start() {
	who=$1
	shift
	AGENT_N=$((AGENT_N + 1))
	sock="$T/agent.$AGENT_N.sock"
	out=$("$(agent_prog "$who")" -s -a "$sock" "$@" </dev/null) || return 1
	SSH_AGENT_PID=$(echo "$out" | sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p')
	SSH_AUTH_SOCK=$sock
	export SSH_AUTH_SOCK SSH_AGENT_PID
	[ -n "$SSH_AGENT_PID" ] || return 1
	agent_track "$SSH_AGENT_PID"
}

agent_stop() {
	[ -n "${SSH_AGENT_PID:-}" ] && kill "$SSH_AGENT_PID" 2>/dev/null
	agent_pid_gone "${SSH_AGENT_PID:-0}" 10
	unset SSH_AGENT_PID SSH_AUTH_SOCK
}

# add WHO ARGS...: ssh-add in a new session (never our terminal).
add() {
	who=$1
	shift
	setsid -w "$(add_prog "$who")" "$@" </dev/null
}

# agent_pid_gone PID SECS: 0 once PID has exited, 1 after SECS seconds.
agent_pid_gone() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# expect NAME WANT_RC CMD...: pass if CMD exits with WANT_RC.
expect() {
	en=$1
	want=$2
	shift 2
	"$@" >"$T/expect.out" 2>&1 </dev/null
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass "$en"
	else
		fail "$en" "exit $got, wanted $want: $(tr -d '\r' <"$T/expect.out" | head -c 300)"
	fi
}

# grep_out NAME PATTERN FILE: pass if FILE has a line matching PATTERN.
grep_out() {
	if grep -q -e "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "no '$2' in: $(tr -d '\r' <"$3" | head -c 300)"
	fi
}
