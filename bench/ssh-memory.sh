#!/bin/sh
# bench/ssh-memory.sh: memory per idle connection, our sshd and OpenSSH's.
#
#   OBJ=/path/to/build sh bench/ssh-memory.sh [ROUNDS]
#
# Our ssh logs in to our sshd, and OpenSSH's ssh to OpenSSH's sshd,
# running `sleep`; once the session has been up a second, the resident
# set sizes (VmRSS in /proc) of the server processes that exist for this
# connection (the listener's descendants that run an sshd program: the
# monitor and the session child; the sleep is not counted) are summed.
# RSS counts pages a forked pair shares twice, so the proportional set
# sizes (Pss in /proc/PID/smaps_rollup: each shared page split among its
# users) are summed too; they are what the connection really costs.
# ROUNDS (default 3) connections, alternating; prints the median sums and
# the number of processes for each, the listeners' own RSS, and ours
# relative to OpenSSH's (below 1.00: ours is smaller).
# Not a test: nothing here passes or fails.

ROUNDS=${1:-3}
case $ROUNDS in
''|*[!0-9]*|0) echo "bench: ROUNDS must be a positive number" >&2; exit 1 ;;
esac
if [ ! -r /proc/self/status ]; then
	echo "bench: needs /proc" >&2
	exit 1
fi

. "$(dirname "$0")/ssh-lib.sh"
bl_init
bl_start

# rss PID: VmRSS in KiB (0 if gone).
rss() {
	awk '/^VmRSS:/ { print $2; f = 1 } END { if (!f) print 0 }' \
	    "/proc/$1/status" 2>/dev/null || echo 0
}

# pss PID: Pss in KiB (0 if gone or unreadable).
pss() {
	awk '/^Pss:/ { print $2; f = 1 } END { if (!f) print 0 }' \
	    "/proc/$1/smaps_rollup" 2>/dev/null || echo 0
}

# descendants PID: every PID below PID, from one snapshot of /proc.
descendants() {
	top=$1
	for f in /proc/[0-9]*/stat; do
		# The name may hold spaces and parentheses: the parent is
		# the second field after the last ')'.
		l=$(cat "$f" 2>/dev/null) || continue
		t=${l##*) }
		set -- $t
		echo "${f#/proc/} $2"
	done | sed 's|/stat | |' | awk -v top="$top" '
		{ parent[$1] = $2 }
		END {
			want[top] = 1
			do {
				more = 0
				for (p in parent)
					if ((parent[p] in want) && !(p in want)) {
						want[p] = 1
						more = 1
					}
			} while (more)
			for (p in want)
				if (p != top)
					print p
		}'
}

# is_server PID: 0 if PID runs an sshd program (sshd, sshd-session, ...).
# The name, not /proc/PID/exe: a server process may be undumpable, and
# then its exe link is unreadable to its own unprivileged user.
is_server() {
	read -r comm 2>/dev/null <"/proc/$1/comm" || return 1
	case $comm in
	sshd*) return 0 ;;
	esac
	return 1
}

# one WHO LISTENER: "rss_kib nprocs" of one idle connection.
one() {
	BL_EXEC=1
	bl_ssh "$1" 'sleep 60' </dev/null >/dev/null 2>"$W/err" &
	CLIENT_PID=$!
	BL_EXEC=
	BL_PIDS=$CLIENT_PID
	sleep 1.5
	total=0
	ptotal=0
	n=0
	for p in $(descendants "$2"); do
		if is_server "$p"; then
			total=$((total + $(rss "$p")))
			ptotal=$((ptotal + $(pss "$p")))
			n=$((n + 1))
		fi
	done
	kill "$CLIENT_PID" 2>/dev/null
	wait "$CLIENT_PID" 2>/dev/null
	BL_PIDS=""
	# Let the server side go away before the next round.
	i=0
	while [ -n "$(descendants "$2")" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ $n = 0 ]; then
		echo "bench: $1: no server process for the connection:" >&2
		tail -n 3 "$W/err" >&2
		return 1
	fi
	echo "$total $n $ptotal"
}

: >"$W/ours.m"
: >"$W/theirs.m"
i=0
while [ $i -lt "$ROUNDS" ]; do
	one theirs "$THEIR_PID" >>"$W/theirs.m" || exit 1
	one ours "$OUR_PID" >>"$W/ours.m" || exit 1
	i=$((i + 1))
done
o=$(median "$W/ours.m" 1)
t=$(median "$W/theirs.m" 1)
on=$(median "$W/ours.m" 2)
tn=$(median "$W/theirs.m" 2)
printf 'idle connection, median of %d: ours %.1f MiB in %d processes,' \
    "$ROUNDS" "$(echo "$o" | awk '{ print $1 / 1024 }')" "$on"
printf ' openssh %.1f MiB in %d processes, ratio %s\n' \
    "$(echo "$t" | awk '{ print $1 / 1024 }')" "$tn" "$(ratio "$o" "$t")"
op=$(median "$W/ours.m" 3)
tp=$(median "$W/theirs.m" 3)
printf 'idle connection, proportional (Pss): ours %.1f MiB, openssh %.1f MiB,' \
    "$(echo "$op" | awk '{ print $1 / 1024 }')" \
    "$(echo "$tp" | awk '{ print $1 / 1024 }')"
printf ' ratio %s\n' "$(ratio "$op" "$tp")"
printf 'listener: ours %.1f MiB, openssh %.1f MiB\n' \
    "$(rss "$OUR_PID" | awk '{ print $1 / 1024 }')" \
    "$(rss "$THEIR_PID" | awk '{ print $1 / 1024 }')"
