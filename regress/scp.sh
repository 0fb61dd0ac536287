#!/bin/sh
# regress/scp.sh: our scp in both modes, with no sshd.
#
# scp runs "ssh" through -S; here that is $T/rsh, a stand-in that runs
# the remote side locally (in $RHOME, the "remote home"):
#   - for the legacy protocol (-O) the remote command `scp -t/-f ...`,
#     with OUR scp or OpenSSH's first in PATH ($REMOTE_SCP_DIR);
#   - for SFTP (ssh -s ... sftp) the sftp-server in $SFTP_SRV, ours or
#     OpenSSH's.
# So OpenSSH's scp -O drives our `scp -t/-f` and ours drives OpenSSH's.
# Where the right answer is OpenSSH's behaviour, the same copy is also
# done with OpenSSH's programs and the results (files, messages, exit
# status, the ssh command line) must agree.
#
# Covered: integrity at 0, 1, 32767, 32768, 32769 and 10 MiB+1 bytes
# (1 GiB with KEEL_BIG_TESTS=1); -r trees with symlinks, empty
# directories and odd names; -p modes and times; hostile legacy servers
# (names with "..", "/", names not asked for); interrupted copies (the
# far end killed or its stream cut); missing-file and permission errors
# (as nobody); ssh command lines; -3, -R, local copies, URIs, the
# progress meter, -l, -q, -v and usage errors.

. "$SRC/regress/lib/test-lib.sh"

if [ ! -x "$SCP" ]; then
	skip scp-built "$SCP not built"
	exit 0
fi
if [ ! -x "$OSSH_SCP" ] || [ ! -x "$OSSH_SFTP_SERVER" ]; then
	skip scp-peers "OpenSSH scp / sftp-server not installed"
	exit 0
fi
if [ ! -x "$SFTP_SERVER" ]; then
	skip scp-sftp-server "$SFTP_SERVER not built"
	exit 0
fi

umask 022
RHOME="$T/home"
mkdir -p "$RHOME" "$T/ours" "$T/ossh" "$T/src"
ln -s "$SCP" "$T/ours/scp"
ln -s "$OSSH_SCP" "$T/ossh/scp"
REMOTE_SCP_DIR="$T/ours"
SFTP_SRV="$SFTP_SERVER"
export RHOME REMOTE_SCP_DIR SFTP_SRV

# The ssh stand-in.  Options up to "--" are ssh's ("-s": a subsystem);
# then the host and the command words, joined as ssh joins them.
#   ARGS_LOG      append our argv, one per line, then "--end--"
#   SFTP_SRV      the server run for a subsystem request
#   REMOTE_SCP_DIR  put first in PATH for the remote command
#   NESTED_S      -S for an scp the remote command runs (-R)
#   REMOTE_SCRIPT run this instead of the command (hostile servers)
#   WRAP_FILTER   pipe the remote command's output through this
#   KILL_AFTER    kill the remote side after this many seconds
cat >"$T/rsh" <<'EOF'
#!/bin/sh
if [ -n "${ARGS_LOG:-}" ]; then
	printf '%s\n' "$@" "--end--" >>"$ARGS_LOG"
fi
sub=0
while [ $# -gt 0 ]; do
	case "$1" in
	--) shift; break ;;
	-s) sub=1 ;;
	esac
	shift
done
shift	# the host
cd "$RHOME" || exit 1
HOME=$RHOME
PATH="$REMOTE_SCP_DIR:$PATH"
export HOME PATH
if [ $sub = 1 ]; then
	cmd="exec $SFTP_SRV"
elif [ -n "${REMOTE_SCRIPT:-}" ]; then
	cmd="exec $REMOTE_SCRIPT"
else
	cmd="$*"
	case "$cmd" in
	"scp "*)
		if [ -n "${NESTED_S:-}" ]; then
			cmd="scp -S $NESTED_S ${cmd#scp }"
		fi
		cmd="exec $cmd"
		;;
	esac
fi
if [ -n "${KILL_AFTER:-}" ]; then
	# (an asynchronous command's stdin is /dev/null unless redirected,
	# and dash takes "<&0" for no redirection)
	exec 3<&0
	sh -c "$cmd" <&3 3<&- &
	pid=$!
	( sleep "$KILL_AFTER"; kill "$pid" 2>/dev/null ) &
	wait "$pid"
	exit $?
fi
if [ -n "${WRAP_FILTER:-}" ]; then
	sh -c "$cmd" | $WRAP_FILTER
	exit $?
fi
eval "$cmd"
EOF
chmod 755 "$T/rsh"
RSH="$T/rsh"

# sha256 of a file, or "missing".
sum() {
	if [ -f "$1" ]; then
		sha256sum <"$1" | cut -d' ' -f1
	else
		echo missing
	fi
}

# same_text NAME A B: pass if the files hold the same text (CRs dropped:
# log lines end in CRLF).
same_text() {
	tr -d '\r' <"$2" >"$T/same.a"
	tr -d '\r' <"$3" >"$T/same.b"
	if cmp -s "$T/same.a" "$T/same.b"; then
		pass "$1"
	else
		fail "$1" "differ: $(diff "$T/same.a" "$T/same.b" | head -n 8 |
		    tr '\n' '|')"
	fi
}

# grep_ok NAME PATTERN FILE
grep_ok() {
	if grep -q -e "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "no '$2' in: $(head -c 400 "$3" | tr '\n' '|')"
	fi
}

# A listing of a tree: type, name (as a Python literal, so any byte
# shows), size and sha256 of each file; links are not followed.
tree_sig() {
	/usr/bin/python3 - "$1" <<'EOF'
import hashlib, os, sys
root = os.fsencode(sys.argv[1])
out = []
for d, dirs, files in os.walk(root):
    for n in dirs + files:
        p = os.path.join(d, n)
        rel = os.path.relpath(p, root)
        if os.path.islink(p):
            out.append("l %r -> %r" % (rel, os.readlink(p)))
        elif os.path.isdir(p):
            out.append("d %r" % (rel,))
        else:
            with open(p, "rb") as f:
                h = hashlib.sha256(f.read()).hexdigest()
            out.append("f %r %s" % (rel, h))
for line in sorted(out):
    print(line)
EOF
}

# same_tree NAME A B
same_tree() {
	tree_sig "$2" >"$T/tree.a" 2>&1
	tree_sig "$3" >"$T/tree.b" 2>&1
	if [ -s "$T/tree.a" ] && cmp -s "$T/tree.a" "$T/tree.b"; then
		pass "$1"
	else
		fail "$1" "trees differ: $(diff "$T/tree.a" "$T/tree.b" |
		    head -n 8 | tr '\n' '|')"
	fi
}

# ------------------------------------------------------------ integrity

SIZES="0 1 32767 32768 32769 10485761"
for n in $SIZES; do
	head -c "$n" /dev/urandom >"$T/src/f.$n"
done

# integrity MODEFLAG CLIENT REMOTE NAME: upload and download every size.
integrity() {
	flag=$1 client=$2 remote=$3 name=$4
	up="$RHOME/up-$name"
	down="$T/down-$name"
	rm -rf "$up" "$down"
	mkdir -p "$up" "$down"
	bad_up= bad_down=
	for n in $SIZES; do
		if [ "$remote" = ours ]; then
			REMOTE_SCP_DIR="$T/ours" SFTP_SRV="$SFTP_SERVER"
		else
			REMOTE_SCP_DIR="$T/ossh" SFTP_SRV="$OSSH_SFTP_SERVER"
		fi
		export REMOTE_SCP_DIR SFTP_SRV
		"$client" $flag -q -S "$RSH" "$T/src/f.$n" "h:up-$name/" \
		    >"$T/out" 2>&1 || bad_up="$bad_up $n(exit)"
		[ "$(sum "$T/src/f.$n")" = "$(sum "$up/f.$n")" ] ||
			bad_up="$bad_up $n"
		"$client" $flag -q -S "$RSH" "h:$T/src/f.$n" "$down/" \
		    >"$T/out" 2>&1 || bad_down="$bad_down $n(exit)"
		[ "$(sum "$T/src/f.$n")" = "$(sum "$down/f.$n")" ] ||
			bad_down="$bad_down $n"
	done
	REMOTE_SCP_DIR="$T/ours" SFTP_SRV="$SFTP_SERVER"
	export REMOTE_SCP_DIR SFTP_SRV
	if [ -z "$bad_up" ]; then pass "integrity-up-$name"
	else fail "integrity-up-$name" "bad sizes:$bad_up"; fi
	if [ -z "$bad_down" ]; then pass "integrity-down-$name"
	else fail "integrity-down-$name" "bad sizes:$bad_down"; fi
	rm -rf "$up" "$down"
}

integrity -O "$SCP" ours legacy-ours-ours
integrity -O "$SCP" ossh legacy-ours-openssh
integrity -O "$OSSH_SCP" ours legacy-openssh-ours
integrity -s "$SCP" ours sftp-ours-ours
integrity -s "$SCP" ossh sftp-ours-openssh

if [ "${KEEL_BIG_TESTS:-0}" = 1 ]; then
	head -c 1073741824 /dev/urandom >"$T/src/big"
	big=$(sum "$T/src/big")
	for flag in -O -s; do
		rm -f "$RHOME/big" "$T/big.back"
		"$SCP" $flag -q -S "$RSH" "$T/src/big" h:big &&
		    "$SCP" $flag -q -S "$RSH" h:big "$T/big.back"
		if [ "$(sum "$RHOME/big")" = "$big" ] &&
		    [ "$(sum "$T/big.back")" = "$big" ]; then
			pass "integrity-1GiB$flag"
		else
			fail "integrity-1GiB$flag" "1 GiB copy differs"
		fi
	done
	rm -f "$T/src/big" "$RHOME/big" "$T/big.back"
else
	skip integrity-1GiB "set KEEL_BIG_TESTS=1 for the 1 GiB copies"
fi

# ------------------------------------------------------------ trees

# Odd names: spaces, quotes, a newline, a backslash, UTF-8 and a byte
# that is not, a leading dash; an empty directory; links to a file and
# to a directory (scp follows them).
TREE="$T/tree"
mkdir -p "$TREE/empty" "$TREE/sub/deep"
echo plain >"$TREE/plain.txt"
echo space >"$TREE/sp ace"
echo quotes >"$TREE/quo'te\"s"
echo newline >"$TREE/new
line"
echo backslash >"$TREE/back\\slash"
echo utf8 >"$TREE/$(printf 'caf\303\251')"
echo latin1 >"$TREE/$(printf 'raw\377')"
echo dash >"$TREE/-dash"
echo deep >"$TREE/sub/deep/file"
ln -s plain.txt "$TREE/link-file"
ln -s sub "$TREE/link-dir"

# tree_copy FLAG CLIENT REMOTE DIR: upload $TREE to $RHOME/DIR.up and
# download it back to $T/DIR.down.
tree_copy() {
	flag=$1 client=$2 remote=$3 dir=$4
	if [ "$remote" = ours ]; then
		REMOTE_SCP_DIR="$T/ours" SFTP_SRV="$SFTP_SERVER"
	else
		REMOTE_SCP_DIR="$T/ossh" SFTP_SRV="$OSSH_SFTP_SERVER"
	fi
	export REMOTE_SCP_DIR SFTP_SRV
	rm -rf "$RHOME/$dir.up" "$T/$dir.down"
	"$client" $flag -q -r -S "$RSH" "$TREE" "h:$dir.up" \
	    >"$T/$dir.up.err" 2>&1
	echo "exit $?" >>"$T/$dir.up.err"
	"$client" $flag -q -r -S "$RSH" "h:$dir.up" "$T/$dir.down" \
	    >"$T/$dir.down.err" 2>&1
	echo "exit $?" >>"$T/$dir.down.err"
	REMOTE_SCP_DIR="$T/ours" SFTP_SRV="$SFTP_SERVER"
	export REMOTE_SCP_DIR SFTP_SRV
}

tree_copy -O "$OSSH_SCP" ossh t-ref-legacy
tree_copy -O "$SCP" ours t-ours-legacy
tree_copy -O "$SCP" ossh t-mixed-legacy
same_tree tree-legacy-up "$RHOME/t-ref-legacy.up" "$RHOME/t-ours-legacy.up"
same_tree tree-legacy-down "$T/t-ref-legacy.down" "$T/t-ours-legacy.down"
same_tree tree-legacy-mixed "$T/t-ref-legacy.down" "$T/t-mixed-legacy.down"
same_text tree-legacy-messages "$T/t-ref-legacy.up.err" \
    "$T/t-ours-legacy.up.err"

# OpenSSH's scp fails on a link to a directory in SFTP mode ("not a
# regular file"); ours follows it as the legacy mode and the manual
# page say.  So that one entry is left out of the comparison.
tree_copy -s "$OSSH_SCP" ossh t-ref-sftp
tree_copy -s "$SCP" ours t-ours-sftp
tree_copy -s "$SCP" ossh t-mixed-sftp
for t in "$RHOME/t-ref-sftp.up" "$RHOME/t-ours-sftp.up" \
    "$T/t-ref-sftp.down" "$T/t-ours-sftp.down" "$T/t-mixed-sftp.down"; do
	rm -rf "$t.cmp"
	cp -a "$t" "$t.cmp"
	rm -rf "$t.cmp/link-dir"
done
same_tree tree-sftp-up "$RHOME/t-ref-sftp.up.cmp" \
    "$RHOME/t-ours-sftp.up.cmp"
same_tree tree-sftp-down "$T/t-ref-sftp.down.cmp" "$T/t-ours-sftp.down.cmp"
same_tree tree-sftp-mixed "$T/t-ref-sftp.down.cmp" \
    "$T/t-mixed-sftp.down.cmp"
if grep -q "^exit 0" "$T/t-ours-sftp.up.err" &&
    grep -q "^exit 0" "$T/t-ours-sftp.down.err"; then
	pass tree-sftp-exit
else
	fail tree-sftp-exit "$(cat "$T/t-ours-sftp.up.err" \
	    "$T/t-ours-sftp.down.err" | tr '\n' '|')"
fi

# Every odd name arrived with its contents (SFTP keeps them all as is).
d="$T/t-ours-sftp.down"
if [ "$(cat "$d/new
line" 2>/dev/null)" = newline ] &&
    [ "$(cat "$d/quo'te\"s" 2>/dev/null)" = quotes ] &&
    [ "$(cat "$d/$(printf 'raw\377')" 2>/dev/null)" = latin1 ] &&
    [ "$(cat "$d/$(printf 'caf\303\251')" 2>/dev/null)" = utf8 ] &&
    [ "$(cat "$d/-dash" 2>/dev/null)" = dash ] &&
    [ "$(cat "$d/link-dir/deep/file" 2>/dev/null)" = deep ] &&
    [ -d "$d/empty" ] && [ ! -L "$d/link-file" ] &&
    [ "$(cat "$d/link-file")" = plain ]; then
	pass tree-sftp-names
else
	fail tree-sftp-names "odd names lost: $(LC_ALL=C ls -b "$d" |
	    tr '\n' ' ')"
fi
# The legacy protocol cannot carry a newline: the name goes in vis(3)
# form ("new\^Jline"), like OpenSSH's.
d="$T/t-ours-legacy.down"
if [ "$(cat "$d/new\\^Jline" 2>/dev/null)" = newline ] &&
    [ "$(cat "$d/$(printf 'raw\377')" 2>/dev/null)" = latin1 ] &&
    [ "$(cat "$d/sp ace" 2>/dev/null)" = space ] &&
    [ -d "$d/empty" ]; then
	pass tree-legacy-names
else
	fail tree-legacy-names "odd names lost: $(LC_ALL=C ls -b "$d" |
	    tr '\n' ' ')"
fi

# A dangling link is an error (scp follows links), the rest is copied.
mkdir -p "$T/dangle"
echo ok >"$T/dangle/ok"
ln -s nowhere "$T/dangle/broken"
for flag in -O -s; do
	rm -rf "$RHOME/dangle.ours" "$RHOME/dangle.ref"
	"$SCP" $flag -q -r -S "$RSH" "$T/dangle" h:dangle.ours \
	    >"$T/dangle.err" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && [ "$(cat "$RHOME/dangle.ours/ok")" = ok ]; then
		pass "tree-dangling$flag"
	else
		fail "tree-dangling$flag" "exit $rc: $(cat "$T/dangle.err")"
	fi
done

# ------------------------------------------------------------ -p

mkdir -p "$T/pdir"
echo keep >"$T/pdir/file"
chmod 640 "$T/pdir/file"
touch -d "2001-02-03 04:05:06" "$T/pdir/file"
chmod 750 "$T/pdir"
touch -d "2002-03-04 05:06:07" "$T/pdir"
want_f=$(stat -c '%a %Y' "$T/pdir/file")
want_d=$(stat -c '%a %Y' "$T/pdir")
for flag in -O -s; do
	rm -rf "$RHOME/p.up" "$T/p.down"
	"$SCP" $flag -q -r -p -S "$RSH" "$T/pdir" h:p.up >"$T/p.err" 2>&1 &&
	    "$SCP" $flag -q -r -p -S "$RSH" h:p.up "$T/p.down" \
	    >>"$T/p.err" 2>&1
	got=$(stat -c '%a %Y' "$RHOME/p.up/file" "$RHOME/p.up" \
	    "$T/p.down/file" "$T/p.down" | tr '\n' ' ')
	if [ "$got" = "$want_f $want_d $want_f $want_d " ]; then
		pass "preserve$flag"
	else
		fail "preserve$flag" "got '$got', want $want_f / $want_d"
	fi
	# Without -p: the umask applies and the times are new.
	rm -f "$T/np.file"
	chmod 666 "$T/pdir/file"
	"$SCP" $flag -q -S "$RSH" "h:$T/pdir/file" "$T/np.file" \
	    >"$T/p.err" 2>&1
	got=$(stat -c '%a %Y' "$T/np.file" 2>/dev/null)
	chmod 640 "$T/pdir/file"
	touch -d "2001-02-03 04:05:06" "$T/pdir/file"
	case "$got" in
	"644 "*) [ "${got#644 }" != "${want_f#* }" ] &&
		pass "no-preserve$flag" ||
		fail "no-preserve$flag" "times were kept: $got" ;;
	*) fail "no-preserve$flag" "mode/times: '$got'" ;;
	esac
done

# ------------------------------------------------------------ hostile

# A legacy "scp -f" that sends whatever $HOSTILE holds (records
# separated by '|', "DATA" for five bytes and their trailing "\0"),
# reading one answer after each.
cat >"$T/hostile" <<'EOF'
#!/bin/sh
answer() { dd bs=1 count=1 2>/dev/null >/dev/null; }
answer
IFS='|'
for rec in $HOSTILE; do
	if [ "$rec" = DATA ]; then
		printf 'hello\0'
	else
		printf '%s\n' "$rec"
	fi
	answer
done
EOF
chmod 755 "$T/hostile"

# hostile NAME FLAGS REQUEST RECORDS: run CLIENT against the script into
# a fresh $T/tgt; output in $T/h.$client.err, exit status noted there.
hostile_run() {
	client=$1 flags=$2 req=$3
	rm -rf "$T/tgt" "$T/evil" "$T/up" "$T/scp-evil-abs"
	mkdir -p "$T/tgt"
	REMOTE_SCRIPT="$T/hostile" "$client" -O $flags -S "$RSH" "h:$req" \
	    "$T/tgt" >"$T/h.out" 2>&1
	echo "exit $?" >>"$T/h.out"
}

# hostile_case NAME FLAGS REQUEST RECORDS WANT: refused with message WANT,
# nothing written outside the target, same as OpenSSH's scp.
hostile_case() {
	n=$1 flags=$2 req=$3 HOSTILE=$4 want=$5
	export HOSTILE
	hostile_run "$OSSH_SCP" "$flags" "$req"
	cp "$T/h.out" "$T/h.ref"
	hostile_run "$SCP" "$flags" "$req"
	outside=$(ls -A "$T" | grep -E '^(evil|up|scp-evil-abs)$')
	if grep -q "^exit 0" "$T/h.out"; then
		fail "hostile-$n" "accepted: $(tr '\n' '|' <"$T/h.out")"
	elif [ -n "$outside" ]; then
		fail "hostile-$n" "wrote outside the target: $outside"
	elif ! grep -q -e "$want" "$T/h.out"; then
		fail "hostile-$n" "no '$want' in: $(tr '\n' '|' <"$T/h.out")"
	else
		pass "hostile-$n"
	fi
	same_text "hostile-$n-as-openssh" "$T/h.ref" "$T/h.out"
}

hostile_case dotdot-file "" file 'C0644 5 ../evil|DATA' \
    'error: unexpected filename: \.\./evil'
hostile_case dotdot "" file 'C0644 5 ..|DATA' 'unexpected filename: \.\.$'
hostile_case absolute-dir -r dir "D0755 0 $T/scp-evil-abs|E" \
    'unexpected filename'
hostile_case nested-dotdot -r dir 'D0755 0 dir|C0644 5 ../up|DATA|E' \
    'unexpected filename: \.\./up'
hostile_case not-requested "" wanted.txt 'C0644 5 other.txt|DATA' \
    'protocol error: filename does not match request'
hostile_case dir-without-r "" dir 'D0755 0 dir|E' \
    'protocol error: received directory without -r'
hostile_case bad-mode "" file 'C0x44 5 file|DATA' 'protocol error: bad mode'
hostile_case bad-size "" file \
    'C0644 99999999999999999999 file|DATA' 'size out of range'
hostile_case bad-times "-p" file 'T1 0 x|C0644 5 file|DATA' \
    'protocol error: atime.sec not present'
hostile_case shell-noise "" file 'No match.' 'No match\.'

# -T trusts the server's names (inside the target still).
HOSTILE='C0644 5 other.txt|DATA'
export HOSTILE
hostile_run "$SCP" -T wanted.txt
if grep -q "^exit 0" "$T/h.out" &&
    [ "$(cat "$T/tgt/other.txt")" = hello ]; then
	pass hostile-T-allows-other-names
else
	fail hostile-T-allows-other-names "$(tr '\n' '|' <"$T/h.out")"
fi
# A glob asked for: names matching it are fine.
HOSTILE='C0644 5 b.txt|DATA'
hostile_run "$SCP" "" '*.txt'
if grep -q "^exit 0" "$T/h.out" && [ "$(cat "$T/tgt/b.txt")" = hello ]; then
	pass hostile-glob-match
else
	fail hostile-glob-match "$(tr '\n' '|' <"$T/h.out")"
fi
unset HOSTILE

# ------------------------------------------------------------ interrupted

BIG="$T/src/f.10485761"
BIGSIZE=10485761

# size of a file, 0 if missing
fsize() {
	stat -c %s "$1" 2>/dev/null || echo 0
}

# Legacy download with the stream cut short: an older, longer file in
# the way must not keep its tail (the result must not look complete).
head -c 20000000 /dev/zero >"$T/cut.file"
WRAP_FILTER="dd iflag=count_bytes count=300000 bs=65536 status=none" \
    "$SCP" -O -q -S "$RSH" "h:$BIG" \
    "$T/cut.file" >"$T/cut.err" 2>&1
rc=$?
sz=$(fsize "$T/cut.file")
if [ $rc -ne 0 ] && [ "$sz" -lt 300000 ] && [ "$sz" -gt 0 ] &&
    grep -q "lost connection after $sz of $BIGSIZE bytes" "$T/cut.err"; then
	pass interrupted-legacy-download-cut
else
	fail interrupted-legacy-download-cut "exit $rc size $sz:" \
	    "$(cat "$T/cut.err")"
fi

# Legacy download with the remote scp killed part way (it is slowed
# down by -l so the kill lands in the middle).
mkdir -p "$T/slow"
printf '#!/bin/sh\nexec "%s" -l 2000 "$@"\n' "$SCP" >"$T/slow/scp"
chmod 755 "$T/slow/scp"
rm -f "$T/kill.file"
KILL_AFTER=2 REMOTE_SCP_DIR="$T/slow" \
    "$SCP" -O -q -S "$RSH" "h:$BIG" "$T/kill.file" >"$T/kill.err" 2>&1
rc=$?
sz=$(fsize "$T/kill.file")
if [ $rc -ne 0 ] && [ "$sz" -lt "$BIGSIZE" ] && [ "$sz" -gt 0 ] &&
    grep -q "lost connection after $sz of $BIGSIZE" "$T/kill.err"; then
	pass interrupted-legacy-download-kill
else
	fail interrupted-legacy-download-kill "exit $rc size $sz:" \
	    "$(cat "$T/kill.err")"
fi

# Legacy upload with the remote scp -t killed part way: our side says
# so, and the remote file holds only what arrived (an older, longer
# file there loses its tail).
head -c 20000000 /dev/zero >"$RHOME/kill.up"
KILL_AFTER=2 "$SCP" -O -q -l 8000 -S "$RSH" "$BIG" h:kill.up \
    >"$T/kill.err" 2>&1
rc=$?
sz=$(fsize "$RHOME/kill.up")
if [ $rc -ne 0 ] && [ "$sz" -lt "$BIGSIZE" ] && [ "$sz" -gt 0 ] &&
    grep -q "lost connection" "$T/kill.err"; then
	pass interrupted-legacy-upload-kill
else
	fail interrupted-legacy-upload-kill "exit $rc size $sz:" \
	    "$(cat "$T/kill.err")"
fi

# SFTP: the server killed part way, both directions.
rm -f "$T/kill.sftp"
KILL_AFTER=2 "$SCP" -q -l 8000 -S "$RSH" "h:$BIG" "$T/kill.sftp" \
    >"$T/kill.err" 2>&1
rc=$?
sz=$(fsize "$T/kill.sftp")
if [ $rc -ne 0 ] && [ "$sz" -lt "$BIGSIZE" ] && [ "$sz" -gt 0 ] &&
    [ -s "$T/kill.err" ]; then
	pass interrupted-sftp-download-kill
else
	fail interrupted-sftp-download-kill "exit $rc size $sz:" \
	    "$(cat "$T/kill.err")"
fi
rm -f "$RHOME/kill.sftp"
KILL_AFTER=2 "$SCP" -q -l 8000 -S "$RSH" "$BIG" h:kill.sftp \
    >"$T/kill.err" 2>&1
rc=$?
sz=$(fsize "$RHOME/kill.sftp")
if [ $rc -ne 0 ] && [ "$sz" -lt "$BIGSIZE" ] && [ "$sz" -gt 0 ] &&
    [ -s "$T/kill.err" ]; then
	pass interrupted-sftp-upload-kill
else
	fail interrupted-sftp-upload-kill "exit $rc size $sz:" \
	    "$(cat "$T/kill.err")"
fi

# ------------------------------------------------------------ errors

# as_openssh NAME FLAG ARGS...: the same command with OpenSSH's scp (and
# its far end) and ours (and ours): same messages, same exit status.
# Both run as "scp" from PATH, since messages start with argv[0].
as_openssh() {
	n=$1 flag=$2
	shift 2
	PATH="$T/ossh:$PATH" REMOTE_SCP_DIR="$T/ossh" \
	    SFTP_SRV="$OSSH_SFTP_SERVER" \
	    scp $flag -q -S "$RSH" "$@" >"$T/e.ref" 2>&1
	echo "exit $?" >>"$T/e.ref"
	PATH="$T/ours:$PATH" REMOTE_SCP_DIR="$T/ours" SFTP_SRV="$SFTP_SERVER" \
	    scp $flag -q -S "$RSH" "$@" >"$T/e.ours" 2>&1
	echo "exit $?" >>"$T/e.ours"
	if grep -q "^exit 0" "$T/e.ours"; then
		fail "$n" "did not fail: $(tr '\n' '|' <"$T/e.ours")"
	else
		same_text "$n" "$T/e.ref" "$T/e.ours"
	fi
}

NOBODY=
mkdir -p "$T/edir"
echo x >"$T/edir/file"
for flag in -O -s; do
	m=${flag#-}
	as_openssh "missing-remote-$m" $flag "h:$T/nonexistent" "$T/edir/"
	as_openssh "missing-local-$m" $flag "$T/nonexistent" "h:$T/edir/"
	as_openssh "dir-without-r-up-$m" $flag "$T/edir" "h:$T/edir2"
	as_openssh "missing-remote-dir-$m" $flag "$T/edir/file" \
	    "h:$T/no/such/dir/file"
done
as_openssh "dir-without-r-down-O" -O "h:$T/edir" "$T/edir3"
as_openssh "several-to-file-O" -O "$T/edir/file" "$T/edir/file" \
    "h:$T/edir/file"
as_openssh "several-to-missing-local-O" -O "h:$T/edir/file" \
    "h:$T/edir/file" "$T/nodir"

# Permission errors need an unprivileged user and places it can reach
# ($T is private to root; so may the build directory be).
P=$(mktemp -d /tmp/scp-test.XXXXXX) || exit 1
chmod 755 "$P"
trap 'rm -rf "$T" "$P"' EXIT

# nobody_case NAME FLAG WANT ARGS...: as as_openssh, run as nobody, and
# the message must say WANT.
nobody_case() {
	n=$1 flag=$2 want=$3
	shift 3
	PATH="$P/ossh:$PATH" REMOTE_SCP_DIR="$P/ossh" \
	    SFTP_SRV="$OSSH_SFTP_SERVER" RHOME="$P/home" \
	    $NOBODY scp $flag -q -S "$P/rsh" "$@" >"$T/e.ref" 2>&1
	echo "exit $?" >>"$T/e.ref"
	PATH="$P/ours:$PATH" REMOTE_SCP_DIR="$P/ours" \
	    SFTP_SRV="$P/sftp-server" RHOME="$P/home" \
	    $NOBODY scp $flag -q -S "$P/rsh" "$@" >"$T/e.ours" 2>&1
	echo "exit $?" >>"$T/e.ours"
	if grep -q "^exit 0" "$T/e.ours"; then
		fail "$n" "did not fail: $(tr '\n' '|' <"$T/e.ours")"
	else
		grep_ok "$n" "$want" "$T/e.ours"
	fi
	same_text "$n-as-openssh" "$T/e.ref" "$T/e.ours"
}

if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
	mkdir -p "$P/ours" "$P/ossh" "$P/home" "$P/ro"
	cp "$SCP" "$P/ours/scp"
	ln -s "$OSSH_SCP" "$P/ossh/scp"
	cp "$SFTP_SERVER" "$P/sftp-server"
	cp "$RSH" "$P/rsh"
	chmod 755 "$P/ours/scp" "$P/sftp-server" "$P/rsh" \
	    "$P/ours" "$P/ossh" "$P/home" "$P/ro"
	chown 65534 "$P/home"
	echo secret >"$P/secret"
	chmod 600 "$P/secret"
	echo readable >"$P/readable"
	chmod 644 "$P/readable"
	for flag in -O -s; do
		m=${flag#-}
		nobody_case "denied-remote-read-$m" $flag "Permission denied" \
		    "h:$P/secret" "$P/home/x"
		nobody_case "denied-remote-write-$m" $flag "Permission denied" \
		    "$P/readable" "h:$P/ro/x"
		nobody_case "denied-local-read-$m" $flag "Permission denied" \
		    "$P/secret" "h:$P/home/y"
		nobody_case "denied-local-write-$m" $flag "Permission denied" \
		    "h:$P/readable" "$P/ro/z"
	done
	NOBODY=
else
	skip permission-errors "needs root and setpriv to run as nobody"
fi

# ------------------------------------------------------------ ssh argv

# The ssh command lines (options, -p, -l, the remote command) must be
# OpenSSH's, since wrappers and forced commands look at them.
argv_case_raw() {
	rm -f "$T/argv.ours" "$T/argv.ref"
	ARGS_LOG="$T/argv.ref" "$OSSH_SCP" -S "$RSH" "$@" >/dev/null 2>&1
	ARGS_LOG="$T/argv.ours" "$SCP" -S "$RSH" "$@" >/dev/null 2>&1
}
argv_case() {
	n=$1
	shift
	argv_case_raw "$@"
	same_text "argv-$n" "$T/argv.ref" "$T/argv.ours"
}
echo x >"$T/argv.src"
for flag in -O -s; do
	m=${flag#-}
	argv_case "up-$m" $flag -q -4 -6 -A -B -C -c aes128-ctr -F /dev/null \
	    -i "$T/id" -J jump -o Foo=bar -P 2222 -p -r "$T/argv.src" \
	    "me@h:argv.dst"
	argv_case "down-$m" $flag -q -p "h:$T/argv.src" "$T/argv.dst"
	argv_case "uri-$m" $flag -q "$T/argv.src" "scp://u@h:2022/argv.dst"
	argv_case "dash-$m" $flag -q "$T/argv.src" "h:-dash"
	argv_case "several-$m" $flag -q "$T/argv.src" "$T/argv.src" "h:."
	argv_case "v6-$m" $flag -q "$T/argv.src" "u@[::1]:x"
done
argv_case "remote-remote-R" -O -R -q -r -v "u1@h1:src dir" \
    "u2@h2:/t/dst"
# (-3 runs both ssh at once: their lines may come in either order)
argv_case_raw -O -3 -q "h1:src" "h2:dst"
sort "$T/argv.ref" >"$T/argv.ref.s"
sort "$T/argv.ours" >"$T/argv.ours.s"
same_text "argv-remote-remote-3" "$T/argv.ref.s" "$T/argv.ours.s"

# ------------------------------------------------------------ directions

# Local to local: cp does it.
rm -rf "$T/lcopy" "$T/lcopy.ref"
"$OSSH_SCP" -r -p "$TREE" "$T/lcopy.ref" >"$T/l.err" 2>&1
"$SCP" -r -p "$TREE" "$T/lcopy" >"$T/l.err" 2>&1
same_tree local-copy "$T/lcopy.ref" "$T/lcopy"

# Remote to remote through us (-3, the default) and by the first host (-R).
for flag in -O -s; do
	rm -f "$RHOME/rr3" "$RHOME/rr" "$RHOME/rrR"
	"$SCP" $flag -q -3 -S "$RSH" "h1:$T/src/f.32769" h2:rr3 \
	    >"$T/rr.err" 2>&1
	"$SCP" $flag -q -S "$RSH" "h1:$T/src/f.32769" h2:rr \
	    >>"$T/rr.err" 2>&1
	NESTED_S="$RSH" "$SCP" $flag -q -R -S "$RSH" "h1:$T/src/f.32769" \
	    h2:rrR >>"$T/rr.err" 2>&1
	want=$(sum "$T/src/f.32769")
	if [ "$(sum "$RHOME/rr3")" = "$want" ] &&
	    [ "$(sum "$RHOME/rr")" = "$want" ] &&
	    [ "$(sum "$RHOME/rrR")" = "$want" ]; then
		pass "remote-to-remote$flag"
	else
		fail "remote-to-remote$flag" "$(cat "$T/rr.err")"
	fi
done

# URIs, "~/" paths, a leading dash, names with spaces (escaped for the
# remote shell in legacy mode, as is), globs.
for flag in -O -s; do
	rm -rf "$RHOME/u" "$T/u.back"
	mkdir -p "$RHOME/u" "$T/u.back"
	echo dash >"$RHOME/-lead"
	echo spaced >"$RHOME/u/a b"
	echo one >"$RHOME/u/g1.txt"
	echo two >"$RHOME/u/g2.txt"
	if [ "$flag" = -O ]; then sp='u/a\ b'; else sp='u/a b'; fi
	{
		"$SCP" $flag -q -S "$RSH" "$T/src/f.1" \
		    "scp://me@h:2200/u/uri1" &&
		"$SCP" $flag -q -S "$RSH" "$T/src/f.1" "h:~/u/uri2" &&
		"$SCP" $flag -q -S "$RSH" "scp://h/-lead" "$T/u.back/lead" &&
		"$SCP" $flag -q -S "$RSH" "h:$sp" "$T/u.back/" &&
		"$SCP" $flag -q -S "$RSH" 'h:u/g*.txt' "$T/u.back/"
	} >"$T/u.err" 2>&1
	rc=$?
	if [ $rc -eq 0 ] &&
	    [ "$(sum "$RHOME/u/uri1")" = "$(sum "$T/src/f.1")" ] &&
	    [ -f "$RHOME/u/uri2" ] && [ "$(cat "$T/u.back/lead")" = dash ] &&
	    [ "$(cat "$T/u.back/a b")" = spaced ] &&
	    [ "$(cat "$T/u.back/g2.txt")" = two ]; then
		pass "paths$flag"
	else
		fail "paths$flag" "exit $rc: $(cat "$T/u.err")"
	fi
done

# ------------------------------------------------------------ options

# The meter on a terminal, none with -q.
if command -v script >/dev/null 2>&1; then
	for flag in -O -s; do
		rm -f "$T/meter.file"
		script -qec "'$SCP' $flag -S '$RSH' 'h:$T/src/f.32769' \
		    '$T/meter.file'" /dev/null >"$T/meter.out" 2>&1
		grep_ok "progress-meter$flag" "f.32769 .*100%" "$T/meter.out"
		script -qec "'$SCP' $flag -q -S '$RSH' 'h:$T/src/f.32769' \
		    '$T/meter.file'" /dev/null >"$T/meter.out" 2>&1
		if grep -q "100%" "$T/meter.out"; then
			fail "progress-quiet$flag" "meter with -q"
		else
			pass "progress-quiet$flag"
		fi
	done
else
	skip progress-meter "script(1) is not installed"
fi

# -l 800 (Kbit/s, 100 KiB/s): 300 kB take at least two seconds.
head -c 300000 /dev/urandom >"$T/lim.src"
for flag in -O -s; do
	start=$(date +%s)
	"$SCP" $flag -q -l 800 -S "$RSH" "$T/lim.src" h:lim.dst \
	    >"$T/lim.err" 2>&1
	took=$(($(date +%s) - start))
	if [ "$took" -ge 2 ] && [ "$(sum "$RHOME/lim.dst")" = \
	    "$(sum "$T/lim.src")" ]; then
		pass "limit$flag"
	else
		fail "limit$flag" "took ${took}s: $(cat "$T/lim.err")"
	fi
done

# -v says what it runs.
"$SCP" -O -v -S "$RSH" "$T/src/f.1" h:v.dst >"$T/v.err" 2>&1
grep_ok verbose-executing "^Executing: program $RSH host h, user\
 (unspecified), command scp -v -t v.dst" "$T/v.err"

# Usage errors, byte for byte.
for args in "" "-z x y" "-P" "-P 0 a b:" "-X foo a b:" "-l 0 a b:" \
    "-1 a b:" "onlyone"; do
	n=$(echo "usage$args" | tr -c 'a-zA-Z0-9\n' '_')
	# shellcheck disable=SC2086
	PATH="$T/ossh:$PATH" scp $args >"$T/u.ref" 2>&1
	echo "exit $?" >>"$T/u.ref"
	# shellcheck disable=SC2086
	PATH="$T/ours:$PATH" scp $args >"$T/u.ours" 2>&1
	echo "exit $?" >>"$T/u.ours"
	if cmp -s "$T/u.ref" "$T/u.ours"; then
		pass "$n"
	else
		fail "$n" "$(diff "$T/u.ref" "$T/u.ours" | tr '\n' '|')"
	fi
done
