#!/bin/sh
# regress/sftp-server.sh: our sftp-server under OpenSSH's sftp client.
#
# Every session is "sftp -b BATCH -D 'sftp-server ARGS'": OpenSSH's client
# speaking to our server over a pipe.  Where the answer is not obvious the
# same batch also runs against OpenSSH's own sftp-server and the two
# results (files, listings, client messages, log lines) must agree.
# Covered: file integrity (sha256) at block-size edges and 10 MiB + 1
# (1 GiB with KEEL_BIG_TESTS=1), directory trees with symbolic links,
# empty directories and odd names, -p modes and times, reget/reput,
# read-only mode, permission and missing-file errors (as nobody), a full
# file system (a small tmpfs), -P/-p/-Q/-u/-d, and -l INFO log lines.
# Raw-protocol negative tests are in sftp-server-raw.sh.

. "$SRC/regress/lib/test-lib.sh"

if [ ! -x "$SFTP_SERVER" ]; then
	skip sftp-server-built "$SFTP_SERVER not built"
	exit 0
fi
if [ ! -x "$OSSH_SFTP" ] || [ ! -x "$OSSH_SFTP_SERVER" ]; then
	skip sftp-server-peers "OpenSSH sftp / sftp-server not installed"
	exit 0
fi

# A directory nobody (for the permission tests) can reach, and a tmpfs
# mount point: both outside $T, which is private to root.
P=$(mktemp -d /tmp/sftp-server-test.XXXXXX) || exit 1
chmod 755 "$P"
FULL="$P/full"
cleanup() {
	if mountpoint -q "$FULL" 2>/dev/null; then
		umount "$FULL"
	fi
	rm -rf "$T" "$P"
}
trap cleanup EXIT

# sf SERVER-COMMAND BATCH-LINES...: run OpenSSH's sftp in batch mode
# against the server command; stdout in $T/sf.out, stderr in $T/sf.err,
# and sftp's exit status as ours.
sf() {
	srv=$1
	shift
	printf '%s\n' "$@" >"$T/batch"
	"$OSSH_SFTP" -b "$T/batch" -D "$srv" >"$T/sf.out" 2>"$T/sf.err"
}

# same_file NAME A B: pass if A and B have the same sha256.
same_file() {
	a=$(sha256sum <"$2" | cut -d' ' -f1)
	b=$(sha256sum <"$3" 2>/dev/null | cut -d' ' -f1)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		pass "$1"
	else
		fail "$1" "$2 ($a) and $3 (${b:-missing}) differ"
	fi
}

# same_text NAME A B: pass if the two files have the same text (CRs
# dropped: OpenSSH's log lines end in CRLF).
same_text() {
	tr -d '\r' <"$2" >"$T/same.a"
	tr -d '\r' <"$3" >"$T/same.b"
	if cmp -s "$T/same.a" "$T/same.b"; then
		pass "$1"
	else
		fail "$1" "differ: $(diff "$T/same.a" "$T/same.b" | head -n 6 |
		    tr '\n' '|')"
	fi
}

# grep_ok NAME PATTERN FILE: pass if FILE has a line matching PATTERN.
grep_ok() {
	if grep -q -e "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "no '$2' in: $(head -c 300 "$3" | tr '\n' '|')"
	fi
}

# server_of ours|theirs: the server program.
server_of() {
	if [ "$1" = ours ]; then
		echo "$SFTP_SERVER"
	else
		echo "$OSSH_SFTP_SERVER"
	fi
}

# tree_listing DIR: type, path and link target of everything, then the
# checksums of the files, sorted.
tree_listing() {
	(cd "$1" && find . -printf '%y %p -> %l\n' | sort)
	(cd "$1" && find . -type f -exec sha256sum {} + | sort)
}

R="$T/remote"
L="$T/local"
mkdir -p "$R" "$L"

# ------------------------------------------------------------ integrity

for n in 0 1 32767 32768 32769 10485761; do
	head -c "$n" /dev/urandom >"$L/f$n"
done
if sf "$SFTP_SERVER" "put $L/f0 $R/f0" "put $L/f1 $R/f1" \
    "put $L/f32767 $R/f32767" "put $L/f32768 $R/f32768" \
    "put $L/f32769 $R/f32769" "put $L/f10485761 $R/f10485761"; then
	pass put-batch
else
	fail put-batch "sftp failed: $(head -c 300 "$T/sf.err")"
fi
for n in 0 1 32767 32768 32769 10485761; do
	same_file "put-$n" "$L/f$n" "$R/f$n"
done
if sf "$SFTP_SERVER" "get $R/f0 $L/g0" "get $R/f1 $L/g1" \
    "get $R/f32767 $L/g32767" "get $R/f32768 $L/g32768" \
    "get $R/f32769 $L/g32769" "get $R/f10485761 $L/g10485761"; then
	pass get-batch
else
	fail get-batch "sftp failed: $(head -c 300 "$T/sf.err")"
fi
for n in 0 1 32767 32768 32769 10485761; do
	same_file "get-$n" "$L/f$n" "$L/g$n"
done
rm -f "$L"/g* "$R"/f*

if [ "${KEEL_BIG_TESTS:-0}" = 1 ]; then
	head -c 1073741824 /dev/urandom >"$L/huge"
	sf "$SFTP_SERVER" "put $L/huge $R/huge" "get $R/huge $L/huge2"
	same_file put-1g "$L/huge" "$R/huge"
	same_file get-1g "$L/huge" "$L/huge2"
	rm -f "$L/huge" "$L/huge2" "$R/huge"
else
	skip transfer-1g "set KEEL_BIG_TESTS=1 to move a 1 GiB file"
fi

# ------------------------------------------------------------ trees

# A tree with odd names, empty directories and symbolic links.
TREE="$L/tree"
mkdir -p "$TREE/a b/c d" "$TREE/empty" "$TREE/deep/1/2/3/4" \
    "$TREE/ünïcödé"
printf 'x\n' >"$TREE/a b/c d/file with spaces"
printf 'q\n' >"$TREE/it's quoted"
printf 'dq\n' >"$TREE/dq\"name"
printf 'nl\n' >"$TREE/new
line"
printf 'u\n' >"$TREE/ünïcödé/naïve ☃.txt"
head -c 100000 /dev/urandom >"$TREE/deep/1/2/3/4/blob"
: >"$TREE/deep/zero"
ln -s "a b/c d/file with spaces" "$TREE/link-to-file"
ln -s deep "$TREE/link-to-dir"
ln -s nowhere "$TREE/dangling"

for who in ours theirs; do
	srv=$(server_of "$who")
	sf "$srv" "put -r $TREE $R/up-$who"
	echo "$?" >"$T/rc-$who"
	cp "$T/sf.err" "$T/sf.err1"
	# The client skips links on upload; give the server some to list.
	ln -s "a b/c d/file with spaces" "$R/up-$who/link-to-file"
	ln -s deep "$R/up-$who/link-to-dir"
	ln -s nowhere "$R/up-$who/dangling"
	sf "$srv" "get -r $R/up-$who $L/down-$who" \
	    "get $R/up-$who/link-to-file $L/linked-$who"
	echo "$?" >>"$T/rc-$who"
	cat "$T/sf.err" >>"$T/sf.err1"
	mv "$T/sf.err1" "$T/sf.err"
	tree_listing "$R/up-$who" >"$T/up-$who.list"
	tree_listing "$L/down-$who" >"$T/down-$who.list"
	sed "s|$R/up-$who|REMOTE|g; s|$L/down-$who|LOCAL|g" "$T/sf.err" \
	    >"$T/tree-$who.err"
done
same_text tree-status "$T/rc-theirs" "$T/rc-ours"
same_text tree-upload "$T/up-theirs.list" "$T/up-ours.list"
same_text tree-download "$T/down-theirs.list" "$T/down-ours.list"
same_text tree-messages "$T/tree-theirs.err" "$T/tree-ours.err"
same_file tree-link-get "$TREE/a b/c d/file with spaces" "$L/linked-ours"
grep_ok tree-unicode-name 'ünïcödé/naïve ☃.txt$' "$T/up-ours.list"
grep_ok tree-newline-name '^\\[0-9a-f]*  \./new\\nline$' "$T/down-ours.list"
grep_ok tree-empty-dir '^d \./empty -> $' "$T/down-ours.list"

# Listings of the same directory through both servers.
ln -s "a b" "$R/up-ours/link"
for who in ours theirs; do
	srv=$(server_of "$who")
	sf "$srv" "ls -la $R/up-ours" "ls -1 $R/up-ours/a?b" \
	    "ls -ln $R/up-ours/deep" "ls $R/up-ours/*"
	cp "$T/sf.out" "$T/ls-$who"
done
same_text ls-output "$T/ls-theirs" "$T/ls-ours"

# ------------------------------------------------------------ -p, resume

printf 'preserve me\n' >"$L/pfile"
chmod 640 "$L/pfile"
touch -d '2001-02-03 04:05:06' "$L/pfile"
sf "$SFTP_SERVER" "put -p $L/pfile $R/pfile" "get -p $R/pfile $L/pfile2"
if [ "$(stat -c '%a %Y' "$R/pfile")" = "640 $(stat -c %Y "$L/pfile")" ]
then
	pass put-preserve
else
	fail put-preserve "got $(stat -c '%a %Y' "$R/pfile")"
fi
if [ "$(stat -c '%a %Y' "$L/pfile2")" = "$(stat -c '%a %Y' "$L/pfile")" ]
then
	pass get-preserve
else
	fail get-preserve "got $(stat -c '%a %Y' "$L/pfile2")"
fi

head -c 1048577 /dev/urandom >"$R/resume"
head -c 300000 "$R/resume" >"$L/resume"
check reget sf "$SFTP_SERVER" "reget $R/resume $L/resume"
same_file reget-data "$R/resume" "$L/resume"
head -c 777777 /dev/urandom >"$L/resume2"
head -c 123456 "$L/resume2" >"$R/resume2"
check reput sf "$SFTP_SERVER" "reput $L/resume2 $R/resume2"
same_file reput-data "$L/resume2" "$R/resume2"

# ------------------------------------------------------------ read-only

printf 'ro\n' >"$R/ro"
if sf "$SFTP_SERVER -R" "put $L/pfile $R/ro-new"; then
	fail readonly-put "upload succeeded"
else
	grep_ok readonly-put 'dest open ".*/ro-new": Permission denied' \
	    "$T/sf.err"
fi
if sf "$SFTP_SERVER -R" "-rm $R/ro" "-mkdir $R/ro-dir" \
    "-rename $R/ro $R/ro2" "-chmod 600 $R/ro" "get $R/ro $L/ro"; then
	pass readonly-get
else
	fail readonly-get "$(head -c 300 "$T/sf.err")"
fi
if [ -f "$R/ro" ] && [ ! -e "$R/ro-dir" ] && [ ! -e "$R/ro2" ] &&
    [ "$(stat -c %a "$R/ro")" = 644 ]; then
	pass readonly-unchanged
else
	fail readonly-unchanged "$(ls -l "$R" | tr '\n' '|')"
fi
grep_ok readonly-message 'remote delete .*/ro: Permission denied' \
    "$T/sf.err"

# ------------------------------------------------------------ errors

# As nobody, in a directory nobody can read but not change.
mkdir -p "$P/pd"
printf 'secret\n' >"$P/pd/secret"
chmod 600 "$P/pd/secret"
printf 'open\n' >"$P/pd/open"
chmod 644 "$P/pd/open"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
if ! command -v setpriv >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
	skip error-messages "needs root and setpriv to run the server as nobody"
	NOBODY=""
fi
for who in ours theirs; do
	[ -n "$NOBODY" ] || break
	srv=$(server_of "$who")
	sf "$NOBODY $srv" "-get $P/pd/secret $L/x-$who" \
	    "-get $P/pd/missing $L/y" "-put $L/pfile $P/pd/new" \
	    "-rm $P/pd/open" "-mkdir $P/pd/dir" "-ls $P/pd/missing" \
	    "-rename $P/pd/open $P/pd/open2" "-chmod 600 $P/pd/open" \
	    "get $P/pd/open $L/open-$who"
	echo "rc $?" >>"$T/sf.err"
	sed "s/-$who/-WHO/g" "$T/sf.err" >"$T/err-$who"
done
if [ -n "$NOBODY" ]; then
	same_text error-messages "$T/err-theirs" "$T/err-ours"
	grep_ok error-denied 'remote open ".*/pd/secret": Permission denied' \
	    "$T/err-ours"
	grep_ok error-missing 'File ".*/pd/missing" not found' "$T/err-ours"
	same_file error-then-get "$P/pd/open" "$L/open-ours"
fi

# A full file system: the write fails and the client says so.
mkdir -p "$FULL"
if mount -t tmpfs -o size=256k tmpfs "$FULL" 2>/dev/null; then
	head -c 1048576 /dev/urandom >"$L/toobig"
	if sf "$SFTP_SERVER -e" "put $L/toobig $FULL/toobig"; then
		fail full-disk "upload of 1 MiB into 256 KiB succeeded"
	else
		grep_ok full-disk 'write remote ".*/toobig": Failure' \
		    "$T/sf.err"
		grep_ok full-disk-log 'No space left on device' "$T/sf.err"
	fi
	umount "$FULL"
else
	skip full-disk "cannot mount a tmpfs here (not root?)"
fi

# In a chroot holding only the program and its shared libraries: no
# passwd, group, locale or zone files, no /dev, no /proc.
C="$P/chroot"
libs=$(ldd "$SFTP_SERVER" 2>/dev/null |
    awk '/=>/ { print $3 } /^[[:space:]]*\// { print $1 }')
if [ "$(id -u)" != 0 ] || ! command -v chroot >/dev/null 2>&1; then
	skip chroot "needs root and chroot(8)"
elif echo "$libs" | grep -q -e asan -e ubsan; then
	skip chroot "sanitizer runtimes need /proc"
else
	mkdir -p "$C/data"
	cp "$SFTP_SERVER" "$C/sftp-server"
	for l in $libs; do
		cp --parents "$l" "$C"
	done
	printf 'chroot\n' >"$C/data/f"
	chown 12345:54321 "$C/data/f"
	if sf "chroot $C /sftp-server" "cd /data" "get f $L/chroot-f" \
	    "put $L/pfile up" "ls -ln" "ls -l" "mkdir d" "rename up d/up"; then
		pass chroot
	else
		fail chroot "$(head -c 300 "$T/sf.err")"
	fi
	same_file chroot-get "$C/data/f" "$L/chroot-f"
	same_file chroot-put "$L/pfile" "$C/data/d/up"
	grep_ok chroot-ls '12345 *54321 .* f$' "$T/sf.out"
fi

# ------------------------------------------------------------ options

"$SFTP_SERVER" -Q requests >"$T/q-ours" 2>&1
"$OSSH_SFTP_SERVER" -Q requests >"$T/q-theirs" 2>&1
same_text query-requests "$T/q-theirs" "$T/q-ours"
if "$SFTP_SERVER" -Q nonsense >"$T/q-bad" 2>&1; then
	fail query-invalid "-Q nonsense succeeded"
else
	grep_ok query-invalid "Invalid query type" "$T/q-bad"
fi
for bad in "-l NOISY" "-f NOWHERE" "-u 999" "-u abc" "-x" "extra"; do
	# shellcheck disable=SC2086
	if "$SFTP_SERVER" $bad </dev/null >"$T/bad.out" 2>&1; then
		fail "bad-option-$(echo "$bad" | tr -d ' -')" "accepted $bad"
	else
		pass "bad-option-$(echo "$bad" | tr -d ' -')"
	fi
done
"$SFTP_SERVER" -h >"$T/usage" 2>&1
grep_ok usage 'usage: sftp-server \[-ehR\]' "$T/usage"

printf 'del\n' >"$R/del"
if sf "$SFTP_SERVER -P remove,mkdir" "-rm $R/del" "-mkdir $R/newdir" \
    "get $R/del $L/del"; then
	pass denylist-get
else
	fail denylist-get "$(head -c 300 "$T/sf.err")"
fi
if [ -f "$R/del" ] && [ ! -d "$R/newdir" ]; then
	pass denylist-refused
else
	fail denylist-refused "remove or mkdir went through"
fi
grep_ok denylist-message 'remote delete .*/del: Permission denied' \
    "$T/sf.err"

ALLOW=realpath,stat,lstat,open,read,close,fstat,limits
if sf "$SFTP_SERVER -p $ALLOW" "get $R/del $L/del2" \
    "-put $L/pfile $R/allowed" "-ls $R"; then
	pass allowlist-get
else
	fail allowlist-get "$(head -c 300 "$T/sf.err")"
fi
# "open" is allowed, so the file is created, but no data is written.
if [ ! -s "$R/allowed" ]; then
	pass allowlist-refused
else
	fail allowlist-refused "put went through"
fi
grep_ok allowlist-message 'write remote ".*/allowed": Permission denied' \
    "$T/sf.err"

rm -f "$L/umask"
printf 'u\n' >"$L/umask"
chmod 644 "$L/umask"
sf "$SFTP_SERVER -u 077" "put $L/umask $R/umask" "mkdir $R/umaskdir"
if [ "$(stat -c %a "$R/umask") $(stat -c %a "$R/umaskdir")" = \
    "600 700" ]; then
	pass umask
else
	fail umask "got $(stat -c %a "$R/umask") $(stat -c %a "$R/umaskdir")"
fi

mkdir -p "$R/root"
sf "$SFTP_SERVER -d $R/%u" "pwd"
grep_ok start-dir "Remote working directory: $R/root\$" "$T/sf.out"
sf "$SFTP_SERVER -d %d/" "pwd"
grep_ok start-dir-home "Remote working directory: $(getent passwd root |
    cut -d: -f6)\$" "$T/sf.out"
sf "$SFTP_SERVER -e -d $R/nonexistent" "pwd"
grep_ok start-dir-missing "Remote working directory: $T\$" "$T/sf.out"
grep_ok start-dir-log "chdir to \".*/nonexistent\" failed" "$T/sf.err"

# ------------------------------------------------------------ logging

mkdir -p "$R/logd"
printf 'hi\n' >"$R/logd/f"
touch -d '2001-02-03 04:05:06' "$L/pfile"
for who in ours theirs; do
	srv=$(server_of "$who")
	rm -rf "$R/logd/put" "$R/logd/put2" "$R/logd/sym" "$R/logd/hard"
	SSH_CONNECTION="192.0.2.1 40000 192.0.2.2 22" sf "$srv -e -l INFO" \
	    "ls -l $R/logd" "get $R/logd/f $L/logf" \
	    "put -p $L/pfile $R/logd/put" "chmod 600 $R/logd/put" \
	    "chgrp 1 $R/logd/put" "rename $R/logd/put $R/logd/put2" \
	    "ln -s put2 $R/logd/sym" "ln $R/logd/put2 $R/logd/hard" \
	    "mkdir $R/logd/d" "rmdir $R/logd/d" "rm $R/logd/sym" \
	    "-get $R/logd/missing $L/m" "-mkdir $R/logd" "df $R/logd"
	cp "$T/sf.err" "$T/log-$who"
done
same_text log-info "$T/log-theirs" "$T/log-ours"
grep_ok log-session 'session opened for local user root from \[192.0.2.1\]' \
    "$T/log-ours"
grep_ok log-open "open \"$R/logd/f\" flags READ mode 0666" "$T/log-ours"
grep_ok log-close "close \"$R/logd/f\" bytes read 3 written 0" \
    "$T/log-ours"
grep_ok log-set "set \"$R/logd/put\" modtime 20010203-04:05:06" \
    "$T/log-ours"
sf "$SFTP_SERVER -e -l VERBOSE" "ls $R/logd"
grep_ok log-verbose "received client version 3" "$T/sf.err"
sf "$SFTP_SERVER -e" "ls $R/logd"
if [ -s "$T/sf.err" ]; then
	fail log-quiet "default level logged: $(head -c 200 "$T/sf.err")"
else
	pass log-quiet
fi
