#!/bin/sh
# regress/sftp-client.sh: our sftp client against our sftp-server and
# OpenSSH's, both reached with -D (no ssh in between), and side by side
# with OpenSSH's sftp client on the same server.
#
# Covered: integrity (sha256) at block-size edges and 10 MiB + 1 (1 GiB
# with KEEL_BIG_TESTS=1), with odd -B/-R; the output of every command
# (listings with each ls flag, messages, exit codes) compared with
# OpenSSH's client; directory trees with symlinks, empty directories
# and odd names (spaces, quotes, newline, non-ASCII); -p modes and
# times; reget/reput after the server was killed mid-transfer (the
# partial file must be a clean prefix); errors (missing file,
# permission denied as nobody, full file system); batch rules ('-'
# prefix, -b -, exit status); the ssh command line built from
# [user@]host[:path], sftp:// URIs and options (through a fake ssh);
# -l rate limiting; interactive use with tab completion (on a pty).

. "$SRC/regress/lib/test-lib.sh"

for p in "$SFTP" "$SFTP_SERVER"; do
	if [ ! -x "$p" ]; then
		skip sftp-client-built "$p not built"
		exit 0
	fi
done
if [ ! -x "$OSSH_SFTP" ] || [ ! -x "$OSSH_SFTP_SERVER" ]; then
	skip sftp-client-peers "OpenSSH sftp / sftp-server not installed"
	exit 0
fi

# Outside $T (private to root) for the tests that run as nobody, and a
# tmpfs mount point.
P=$(mktemp -d /tmp/sftp-client-test.XXXXXX) || exit 1
chmod 755 "$P"
FULL="$P/full"
cleanup() {
	if mountpoint -q "$FULL" 2>/dev/null; then
		umount "$FULL"
	fi
	rm -rf "$T" "$P"
}
trap cleanup EXIT

client_of() {
	if [ "$1" = ours ]; then echo "$SFTP"; else echo "$OSSH_SFTP"; fi
}
server_of() {
	if [ "$1" = ours ]; then echo "$SFTP_SERVER"; else echo "$OSSH_SFTP_SERVER"; fi
}

# sf CLIENT SERVER-COMMAND [sftp options --] BATCH-LINES...: a batch
# session; stdout in $T/sf.out, stderr in $T/sf.err, sftp's status.
sf() {
	_sfc=$1
	_sfs=$2
	shift 2
	_sfo=""
	if [ "${1:-}" = "-o" ]; then
		_sfo=$2
		shift 2
	fi
	printf '%s\n' "$@" >"$T/batch"
	# shellcheck disable=SC2086
	"$_sfc" $_sfo -b "$T/batch" -D "$_sfs" >"$T/sf.out" 2>"$T/sf.err"
}

sha() {
	sha256sum <"$1" 2>/dev/null | cut -d' ' -f1
}

# same_file NAME A B: pass if A and B have the same sha256.
same_file() {
	_sa=$(sha "$2")
	_sb=$(sha "$3")
	if [ -n "$_sa" ] && [ "$_sa" = "$_sb" ]; then
		pass "$1"
	else
		fail "$1" "$2 ($_sa) and $3 (${_sb:-missing}) differ"
	fi
}

# same_text NAME A B: the same text, CRs dropped (log lines end in CRLF).
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

grep_ok() {
	if tr -d '\r' <"$3" | grep -q -e "$2"; then
		pass "$1"
	else
		fail "$1" "no '$2' in: $(head -c 300 "$3" | tr '\n' '|')"
	fi
}

# is_prefix NAME PARTIAL FULL: PARTIAL is shorter than FULL and equal to
# its start (a failed copy that does not look complete).
is_prefix() {
	_ps=$(stat -c %s "$2" 2>/dev/null || echo missing)
	_fs=$(stat -c %s "$3")
	if [ "$_ps" = missing ]; then
		fail "$1" "$2 missing"
	elif [ "$_ps" -ge "$_fs" ]; then
		fail "$1" "$2 has $_ps bytes of $_fs: looks complete"
	elif ! cmp -s -n "$_ps" "$2" "$3"; then
		fail "$1" "$2 ($_ps bytes) is not a prefix of $3"
	else
		pass "$1"
	fi
}

L=$T/local
R=$P/remote
mkdir -p "$L" "$R"

# ------------------------------------------------------------ integrity

for sz in 0 1 32767 32768 32769 10485761; do
	head -c "$sz" /dev/urandom >"$L/f$sz"
done
for who in ours theirs; do
	srv=$(server_of "$who")
	for sz in 0 1 32767 32768 32769 10485761; do
		rm -f "$R/f$sz" "$L/g$sz"
		check "put-$who-$sz" sf "$SFTP" "$srv" "put $L/f$sz $R/f$sz"
		same_file "put-data-$who-$sz" "$L/f$sz" "$R/f$sz"
		check "get-$who-$sz" sf "$SFTP" "$srv" "get $R/f$sz $L/g$sz"
		same_file "get-data-$who-$sz" "$L/f$sz" "$L/g$sz"
	done
	# Small blocks, few requests; one request; the largest blocks.
	for o in "-B 1000 -R 3" "-R 1" "-B 261120 -R 128"; do
		tag=$(echo "$o" | tr -d ' -')
		rm -f "$R/o" "$L/o"
		check "put-$who-$tag" sf "$SFTP" "$srv" -o "$o" \
		    "put $L/f10485761 $R/o"
		same_file "put-data-$who-$tag" "$L/f10485761" "$R/o"
		check "get-$who-$tag" sf "$SFTP" "$srv" -o "$o" \
		    "get $R/o $L/o"
		same_file "get-data-$who-$tag" "$L/f10485761" "$L/o"
	done
done
if [ "${KEEL_BIG_TESTS:-0}" = 1 ]; then
	head -c 1073741824 /dev/urandom >"$L/big"
	check put-1g sf "$SFTP" "$SFTP_SERVER" "put $L/big $R/big"
	same_file put-1g-data "$L/big" "$R/big"
	check get-1g sf "$SFTP" "$OSSH_SFTP_SERVER" "get $R/big $L/big2"
	same_file get-1g-data "$L/big" "$L/big2"
	rm -f "$L/big" "$L/big2" "$R/big"
else
	skip transfer-1g "set KEEL_BIG_TESTS=1 for the 1 GiB transfers"
fi
rm -f "$R"/f* "$R/o" "$L"/g* "$L/o"

# ------------------------------------------------------------ parity

# A fixture directory; each client runs the same batch on a fresh copy
# of it, from inside it, so paths in the output are the same.
F=$P/fixture
mkdir -p "$F/d/sub" "$F/d/empty"
printf 'hi\n' >"$F/d/a.txt"
printf 'x' >"$F/d/sp ace"
ln -s a.txt "$F/d/link"
head -c 100000 /dev/urandom >"$F/big"
touch -d '2001-02-03 04:05:06' "$F/d/sp ace" "$F/d/sub"
cat >"$T/parity" <<'EOF'
pwd
ls
ls -l d
ls -la d
ls -1 d
ls -lh d
ls -lS d
ls -lt d
ls -lr d
ls -ltr d
ls -f d
ls -1f d
ls d/*.txt
ls -l d/*
ls -1 d/s*
ls d/
ls ../work/d/a*
-ls nonexist
-ls d/nomatch*
-ls -z
-get nonexist
get big got.big
get d/*.txt
-get d
-put d
-put nonexist
-get -z x
-cd nonexist
-cd d/a.txt
-cd ~
-ls ~/x
-cd /nonexistent/x/y
cd d
pwd
cd
-rm nonexist
-rmdir nonexist
-mkdir d
mkdir newdir
rmdir newdir
version
-chmod 600 nonexist
-chmod
-chmod abc x
-chown 0 nonexist
-chgrp 0 nonexist
chmod 640 d/a.txt
ln d/a.txt d/hl
ln -s a.txt d/sl
symlink a.txt d/sl2
rename d/hl d/hl2
-rename nonexist x
-rename a
-ln -s a
-rm
-mkdir
lmkdir ll
-lmkdir ll
lumask 022
-lumask 999
cp d/a.txt d/copy
-copy nonexist d/copy2
-bogus
!echo shell
-!exit 3
put big up.big
get -r d dd
put -r d ud
ls -l dd ud
ls -l d
-reget big got.big
-reput big up.big
progress
progress
help
EOF
for srvwho in ours theirs; do
	srv=$(server_of "$srvwho")
	for who in ours theirs; do
		rm -rf "$P/work"
		cp -a "$F" "$P/work"
		(cd "$P/work" && "$(client_of $who)" -b "$T/parity" -D "$srv" \
		    >"$T/par.$who.out" 2>"$T/par.$who.err"
		echo "rc $?" >>"$T/par.$who.err")
		# Our help text is our own.
		sed -i '/^Available commands:/,$d' "$T/par.$who.out"
		(cd "$P/work" && find . -printf '%y %m %s %p\n' | sort) \
		    >"$T/par.$who.tree"
	done
	same_text "parity-stdout-$srvwho" "$T/par.theirs.out" "$T/par.ours.out"
	same_text "parity-stderr-$srvwho" "$T/par.theirs.err" "$T/par.ours.err"
	same_text "parity-files-$srvwho" "$T/par.theirs.tree" \
	    "$T/par.ours.tree"
done
grep_ok parity-shell 'Shell exited with status 3' "$T/par.ours.err"
grep_ok parity-help-ok 'sftp> help' "$T/par.ours.out"

# ls -n shows numbers (OpenSSH 9.2 shows names there: ours follows the
# manual page).
rm -rf "$P/work"
cp -a "$F" "$P/work"
# Only root can give the file ids without names; others see their own.
if chown 1234:5678 "$P/work/d/a.txt" 2>/dev/null; then
	ids='1234[[:space:]]*5678'
else
	ids="$(id -u)[[:space:]]*$(id -g)"
fi
if (cd "$P/work" && sf "$SFTP" "$SFTP_SERVER" "ls -n d/a.txt" "ls -ln d"); then
	grep_ok ls-numeric "?[[:space:]]*$ids[[:space:]]*3 .* d/a.txt" \
	    "$T/sf.out"
else
	fail ls-numeric "$(cat "$T/sf.err")"
fi

# Listing without users-groups-by-id: the server's own long names
# (OpenSSH's server with that request refused).
cp "$T/sf.out" /dev/null
for who in ours theirs; do
	(cd "$P/work" && sf "$(client_of $who)" \
	    "$OSSH_SFTP_SERVER -P users-groups-by-id@openssh.com" \
	    "ls -l d" "ls -lh d" "ls -l d/*")
	cp "$T/sf.out" "$T/lsold.$who"
done
same_text ls-longname "$T/lsold.theirs" "$T/lsold.ours"

# ------------------------------------------------------------ trees

# Odd names: spaces, quotes, a newline, non-ASCII, a leading dash.
TR=$P/tree
mkdir -p "$TR/top/empty" "$TR/top/deep/er/est" "$TR/top/sp ace dir"
for name in "sp ace" "quo'te" 'dq"uote' "new
line" "$(printf 'n\303\257\303\261o')" "-dash" "star*" "back\\slash"; do
	printf '%s\n' "$name" >"$TR/top/$name"
done
head -c 70000 /dev/urandom >"$TR/top/deep/er/est/bin"
ln -s "sp ace" "$TR/top/link"
ln -s ../deep "$TR/top/empty/dirlink"
ln -s nowhere "$TR/top/dangling"
# tree_list DIR: types, sizes and names of everything below DIR.
tree_list() {
	(cd "$1" && find . -printf '%y %s %p\n' | LC_ALL=C sort)
}
for who in ours theirs; do
	srv=$(server_of "$who")
	for cli in ours theirs; do
		rm -rf "$L/tget-$cli" "$R/tput-$cli"
		sf "$(client_of $cli)" "$srv" "get -r $TR/top $L/tget-$cli" \
		    "put -r $TR/top $R/tput-$cli"
		echo "rc $?" >>"$T/sf.out"
		sed "s/-$cli/-WHO/g" "$T/sf.out" >"$T/tree.$cli.out"
		sed "s/-$cli/-WHO/g" "$T/sf.err" >"$T/tree.$cli.err"
		tree_list "$L/tget-$cli" >"$T/tget.$cli"
		tree_list "$R/tput-$cli" >"$T/tput.$cli"
	done
	same_text "tree-get-$who" "$T/tget.theirs" "$T/tget.ours"
	same_text "tree-put-$who" "$T/tput.theirs" "$T/tput.ours"
	same_text "tree-output-$who" "$T/tree.theirs.out" "$T/tree.ours.out"
	same_text "tree-messages-$who" "$T/tree.theirs.err" "$T/tree.ours.err"
	if diff -r "$TR/top/deep" "$L/tget-ours/deep" >/dev/null &&
	    diff -r "$TR/top/deep" "$R/tput-ours/deep" >/dev/null &&
	    cmp -s "$TR/top/new
line" "$L/tget-ours/new
line"; then
		pass "tree-data-$who"
	else
		fail "tree-data-$who" "contents differ"
	fi
	grep_ok "tree-empty-$who" '^d [0-9]* ./empty$' "$T/tget.ours"
done

# ------------------------------------------------------------ preserve

mkdir -p "$L/pre/sub"
printf 'keep\n' >"$L/pre/f640"
printf 'keep\n' >"$L/pre/sub/f600"
chmod 640 "$L/pre/f640"
chmod 600 "$L/pre/sub/f600"
chmod 750 "$L/pre/sub"
touch -d '2003-04-05 06:07:08' "$L/pre/f640" "$L/pre/sub/f600"
touch -d '2004-05-06 07:08:09' "$L/pre/sub"
modes() {
	(cd "$1" && find . -mindepth 1 -printf '%p %m %TY%Tm%Td%TH%TM%TS\n' |
	    sed 's/\.[0-9]*$//' | LC_ALL=C sort)
}
for who in ours theirs; do
	srv=$(server_of "$who")
	rm -rf "$R/pre-$who" "$L/back-$who"
	check "preserve-put-$who" sf "$SFTP" "$srv" \
	    "put -rp $L/pre $R/pre-$who"
	check "preserve-get-$who" sf "$SFTP" "$srv" \
	    "get -rp $R/pre-$who $L/back-$who"
	modes "$L/pre" >"$T/m.src"
	modes "$R/pre-$who" >"$T/m.put"
	modes "$L/back-$who" >"$T/m.get"
	same_text "preserve-put-modes-$who" "$T/m.src" "$T/m.put"
	same_text "preserve-get-modes-$who" "$T/m.src" "$T/m.get"
	# One file with -p, and with the global -p.
	rm -f "$L/one-$who" "$L/two-$who"
	sf "$SFTP" "$srv" "get -p $L/pre/f640 $L/one-$who"
	sf "$SFTP" "$srv" -o "-p" "get $L/pre/f640 $L/two-$who"
	if [ "$(stat -c '%a %Y' "$L/pre/f640")" = \
	    "$(stat -c '%a %Y' "$L/one-$who")" ] &&
	    [ "$(stat -c '%a %Y' "$L/pre/f640")" = \
	    "$(stat -c '%a %Y' "$L/two-$who")" ]; then
		pass "preserve-file-$who"
	else
		fail "preserve-file-$who" "$(stat -c '%a %Y' "$L/one-$who")"
	fi
done

# ------------------------------------------------------------ resume

# The server runs through a wrapper that notes its pid, and -l slows
# the client down so the kill lands mid-transfer.
head -c 8000000 /dev/urandom >"$L/res"
cat >"$T/srv.sh" <<EOF
#!/bin/sh
echo \$\$ >"$T/srv.pid"
exec "\$@"
EOF
chmod 755 "$T/srv.sh"
# killed CLIENT-OPTS BATCH-LINE: run it, kill the server after a second.
killed() {
	rm -f "$T/srv.pid"
	printf '%s\n' "$2" >"$T/kbatch"
	"$SFTP" $1 -b "$T/kbatch" -D "$T/srv.sh $srv" >"$T/k.out" \
	    2>"$T/k.err" &
	kpid=$!
	i=0
	while [ ! -s "$T/srv.pid" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 1
	kill "$(cat "$T/srv.pid")" 2>/dev/null
	wait "$kpid"
}
for who in ours theirs; do
	srv=$(server_of "$who")
	rm -f "$L/res-$who" "$R/res-$who"
	if killed "-l 8000" "get $L/res $L/res-$who"; then
		fail "killed-get-status-$who" "sftp exited 0"
	else
		pass "killed-get-status-$who"
	fi
	grep_ok "killed-get-message-$who" 'Connection closed' "$T/k.err"
	is_prefix "killed-get-prefix-$who" "$L/res-$who" "$L/res"
	check "reget-$who" sf "$SFTP" "$srv" "reget $L/res $L/res-$who"
	same_file "reget-data-$who" "$L/res" "$L/res-$who"

	if killed "-l 8000" "put $L/res $R/res-$who"; then
		fail "killed-put-status-$who" "sftp exited 0"
	else
		pass "killed-put-status-$who"
	fi
	is_prefix "killed-put-prefix-$who" "$R/res-$who" "$L/res"
	check "reput-$who" sf "$SFTP" "$srv" "reput $L/res $R/res-$who"
	same_file "reput-data-$who" "$L/res" "$R/res-$who"
	# -a on the command line resumes too.
	head -c 3000 "$L/res" >"$L/res2-$who"
	check "resume-a-$who" sf "$SFTP" "$srv" -o "-a" \
	    "get $L/res $L/res2-$who"
	same_file "resume-a-data-$who" "$L/res" "$L/res2-$who"
done

# -l: 1 MB at 4000 Kbit/s takes about two seconds.
head -c 1000000 /dev/urandom >"$L/slow"
start=$(date +%s)
sf "$SFTP" "$SFTP_SERVER" -o "-l 4000" "get $L/slow $L/slow2"
end=$(date +%s)
if [ $((end - start)) -ge 1 ] && cmp -s "$L/slow" "$L/slow2"; then
	pass limit-rate
else
	fail limit-rate "took $((end - start)) s"
fi

# ------------------------------------------------------------ errors

# Permission denied and missing files as nobody: the messages and the
# exit status must be OpenSSH's client's.
mkdir -p "$P/pd/locked"
printf 'secret\n' >"$P/pd/secret"
chmod 600 "$P/pd/secret"
printf 'open\n' >"$P/pd/open"
chmod 700 "$P/pd/locked"
mkdir -p "$P/nob"
chown 65534:65534 "$P/nob" 2>/dev/null
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
if ! command -v setpriv >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
	skip error-nobody "needs root and setpriv to run as nobody"
else
	for cli in ours theirs; do
		printf '%s\n' "-get $P/pd/secret $P/nob/s-$cli" \
		    "-get $P/pd/missing $P/nob/m" "-put $P/pd/open $P/pd/new" \
		    "-rm $P/pd/open" "-mkdir $P/pd/dir" "-rmdir $P/pd/locked" \
		    "-ls $P/pd/locked" "-ls $P/pd/missing" \
		    "-rename $P/pd/open $P/pd/open2" "-chmod 600 $P/pd/open" \
		    "-ln -s $P/pd/open $P/pd/sl" "-get $P/pd/open $P/pd/x" \
		    "-lcd $P/pd/locked" "-cp $P/pd/secret $P/nob/c" \
		    "get $P/pd/secret $P/nob/s2" "ls" >"$P/nob/batch"
		chmod 644 "$P/nob/batch"
		(cd "$P/nob" && $NOBODY "$(client_of $cli)" -b "$P/nob/batch" \
		    -D "$OSSH_SFTP_SERVER" >"$T/nob.$cli.out" \
		    2>"$T/nob.$cli.err"; echo "rc $?" >>"$T/nob.$cli.err")
		sed -i "s/-$cli/-WHO/g" "$T/nob.$cli.err" "$T/nob.$cli.out"
	done
	same_text error-nobody-messages "$T/nob.theirs.err" "$T/nob.ours.err"
	same_text error-nobody-output "$T/nob.theirs.out" "$T/nob.ours.out"
	grep_ok error-denied 'remote open ".*/pd/secret": Permission denied' \
	    "$T/nob.ours.err"
	grep_ok error-missing 'File ".*/pd/missing" not found' \
	    "$T/nob.ours.err"
	grep_ok error-status '^rc 1$' "$T/nob.ours.err"
fi

# A full file system, remote side and local side.
mkdir -p "$FULL"
if mount -t tmpfs -o size=256k tmpfs "$FULL" 2>/dev/null; then
	head -c 1048576 /dev/urandom >"$L/toobig"
	fullsize=0
	for cli in ours theirs; do
		rm -f "$FULL"/*
		sf "$(client_of $cli)" "$SFTP_SERVER" "put $L/toobig $FULL/up"
		echo "rc $?" >>"$T/sf.err"
		cp "$T/sf.err" "$T/full.$cli"
		rm -f "$FULL"/*
		sf "$(client_of $cli)" "$SFTP_SERVER" "get $L/toobig $FULL/down"
		echo "rc $?" >>"$T/sf.err"
		cp "$T/sf.err" "$T/fulll.$cli"
		size=$(stat -c %s "$FULL/down" 2>/dev/null || echo 0)
		[ "$cli" = ours ] && fullsize=$size
	done
	same_text full-remote "$T/full.theirs" "$T/full.ours"
	grep_ok full-remote-message 'write remote ".*/up": Failure' \
	    "$T/full.ours"
	grep_ok full-remote-status '^rc 1$' "$T/full.ours"
	grep_ok full-local-status '^rc 1$' "$T/fulll.ours"
	grep_ok full-local-message 'No space left on device' "$T/fulll.ours"
	if [ "$fullsize" -lt 1048576 ]; then
		pass full-local-short
	else
		fail full-local-short "local file has $fullsize bytes"
	fi
	umount "$FULL"
else
	skip full-disk "cannot mount a tmpfs here (not root?)"
fi

# ------------------------------------------------------------ batch

printf 'a\n' >"$R/b1"
if sf "$SFTP" "$SFTP_SERVER" "get $R/missing $L/x" "get $R/b1 $L/b1"; then
	fail batch-stops "a failing command did not fail the batch"
elif [ -e "$L/b1" ]; then
	fail batch-stops "the batch went on after a failure"
else
	pass batch-stops
fi
check batch-dash sf "$SFTP" "$SFTP_SERVER" "-get $R/missing $L/x" \
    "get $R/b1 $L/b1"
same_file batch-dash-data "$R/b1" "$L/b1"
# -b - reads the commands from stdin.
rm -f "$L/b1"
if printf 'get %s %s\n' "$R/b1" "$L/b1" |
    "$SFTP" -b - -D "$SFTP_SERVER" >"$T/o" 2>&1 && [ -s "$L/b1" ]; then
	pass batch-stdin
else
	fail batch-stdin "$(cat "$T/o")"
fi
# Commands from a pipe without -b: errors do not stop or fail it, and
# "Fetching" lines are printed.
rm -f "$L/b1"
printf 'get %s/missing\nget %s %s\n' "$R" "$R/b1" "$L/b1" |
    "$SFTP" -D "$SFTP_SERVER" >"$T/o" 2>&1
rc=$?
if [ $rc = 0 ] && [ -s "$L/b1" ] && grep -q '^Fetching ' "$T/o"; then
	pass stdin-not-batch
else
	fail stdin-not-batch "rc $rc: $(tr '\n' '|' <"$T/o")"
fi
# Comments and blank lines; "@" hides the echo; quit ends early.
sf "$SFTP" "$SFTP_SERVER" "# comment" "" "@pwd" "quit" "get $R/none"
rc=$?
if [ $rc = 0 ] && ! grep -q 'sftp> @pwd' "$T/sf.out" &&
    grep -q 'Remote working directory' "$T/sf.out"; then
	pass batch-comment-quit
else
	fail batch-comment-quit "rc $rc: $(tr '\n' '|' <"$T/sf.out")"
fi
# A server that is not there.
if "$SFTP" -b /dev/null -D /bin/true >/dev/null 2>"$T/o"; then
	fail no-server "exit status 0"
elif grep -q 'Connection closed' "$T/o"; then
	pass no-server
else
	fail no-server "$(cat "$T/o")"
fi

# ------------------------------------------------------------ command line

# A fake ssh that records its arguments and runs our server.
cat >"$T/fakessh" <<EOF
#!/bin/sh
for a in "\$@"; do printf '[%s]' "\$a"; done >"$T/args"
echo >>"$T/args"
exec "$SFTP_SERVER"
EOF
chmod 755 "$T/fakessh"
# args_are NAME EXPECTED SFTP-ARGS...: the ssh command line sftp built.
args_are() {
	an=$1
	want=$2
	shift 2
	rm -f "$T/args"
	"$SFTP" -S "$T/fakessh" -b /dev/null "$@" >/dev/null 2>"$T/o"
	got=$(cat "$T/args" 2>/dev/null)
	if [ "$got" = "$want" ]; then
		pass "$an"
	else
		fail "$an" "got $got want $want ($(cat "$T/o"))"
	fi
}
base='[-oForwardX11=no][-oPermitLocalCommand=no][-oClearAllForwardings=yes]'
bm='[-oBatchMode=yes]'
args_are args-host "$base$bm[-oForwardAgent=no][-s][--][host][sftp]" host
args_are args-user "$base$bm[-oForwardAgent=no][-l][bob][-s][--][h.example][sftp]" \
    bob@h.example
args_are args-uri \
    "$base$bm[-oForwardAgent=no][-oPort=2222][-l][bob][-s][--][host][sftp]" \
    sftp://bob@host:2222/
args_are args-v6 "$base$bm[-oForwardAgent=no][-s][--][::1][sftp]" "[::1]:/tmp"
args_are args-options \
    "$base$bm[-4][-C][-i][id][-F][cfg][-J][jump][-o][Foo=bar][-oPort=22][-c][aes128-ctr][-s][--][host][sftp]" \
    -4 -C -i id -F cfg -J jump -o Foo=bar -P 22 -c aes128-ctr -A host
args_are args-subsystem "$base$bm[-oForwardAgent=no][-s][--][host][other]" \
    -s other host
args_are args-server-path "$base$bm[-oForwardAgent=no][--][host][/usr/lib/sftp-server]" \
    -s /usr/lib/sftp-server host
# host:dir changes there; host:file fetches it and exits.
mkdir -p "$R/cdhere"
printf 'fetch me\n' >"$R/cdhere/file"
(cd "$L" && "$SFTP" -S "$T/fakessh" -b - "host:$R/cdhere" \
    >"$T/o" 2>&1 <<EOF
pwd
EOF
)
grep_ok dest-dir "Remote working directory: $R/cdhere" "$T/o"
rm -f "$L/file"
(cd "$L" && "$SFTP" -q -S "$T/fakessh" "host:$R/cdhere/file" \
    >"$T/o" 2>&1 </dev/null)
rc=$?
if [ $rc = 0 ] && cmp -s "$R/cdhere/file" "$L/file"; then
	pass dest-file
else
	fail dest-file "rc $rc: $(cat "$T/o")"
fi
(cd "$L" && "$SFTP" -q -S "$T/fakessh" "sftp://host/$R/cdhere/file" \
    >"$T/o" 2>&1 </dev/null)
if [ $? = 0 ]; then pass dest-uri-file; else fail dest-uri-file "$(cat "$T/o")"; fi
if "$SFTP" -S "$T/fakessh" >/dev/null 2>"$T/o"; then
	fail usage "no destination accepted"
else
	grep_ok usage '^usage: sftp ' "$T/o"
fi

# ------------------------------------------------------------ interactive

# On a pseudo-terminal: line editing and tab completion of local and
# remote names.
mkdir -p "$P/ia/remote dir"
printf 'completed\n' >"$P/ia/remote dir/unique-remote-name"
printf 'local\n' >"$L/unique-local-name"
cat >"$T/ia_session.py" <<'EOF'
import os, pty, sys, time, select
sftp, server, rdir, ldir = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(ldir)
    os.execv(sftp, [sftp, "-D", server])
out = b""
def wait_for(pat, secs=10):
    global out
    end = time.time() + secs
    while pat not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return pat in out
def send(s):
    os.write(fd, s)
ok = wait_for(b"sftp> ")
send(("cd " + rdir + "\n").encode())
ok = ok and wait_for(b"sftp> ", 5)
out = b""
send(b"cd remote\t\n")
ok = ok and wait_for(b"sftp> ")
out = b""
send(b"get uniq\t\n")
ok = ok and wait_for(b"sftp> ")
out = b""
send(b"put unique-l\t newname\n")
ok = ok and wait_for(b"sftp> ")
send(b"quit\n")
time.sleep(0.5)
sys.stderr.write(repr(out))
sys.exit(0 if ok else 1)
EOF
if [ -x /usr/bin/python3 ]; then
	if timeout 60 /usr/bin/python3 "$T/ia_session.py" "$SFTP" "$SFTP_SERVER" \
	    "$P/ia" "$L" >/dev/null 2>"$T/pty.err" &&
	    cmp -s "$P/ia/remote dir/unique-remote-name" \
	    "$L/unique-remote-name" &&
	    cmp -s "$L/unique-local-name" "$P/ia/remote dir/newname"; then
		pass interactive-completion
	else
		fail interactive-completion "transfers missing: $(tail -c 600 "$T/pty.err")"
	fi
else
	skip interactive-completion "no /usr/bin/python3 for the pty"
fi
