#!/bin/sh
# regress/interop-tools.sh: tools that run over ssh, with our ssh to our
# sshd (started here on a high port, keys and config in $T):
#  - rsync -e "$SSH -F cfg": a tree with odd names (spaces, newlines,
#    leading dashes, quotes, globs, UTF-8, long names), empty and larger
#    files, a symlink and an empty directory, pushed and pulled back;
#    names, types, modes and SHA-256 sums compared; then an incremental
#    update;
#  - git: push to a bare repository over ssh, clone it back, push from
#    the clone and fetch in the first; commits and trees compared.
# INTEROP_SSHD / INTEROP_SSH replace ours (to check this script itself).

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/interop.sh"

io_need_sshd tools-sshd
io_need_ssh tools-ssh
if ! io_account; then
	fail account "could not set up the test account"
	exit 0
fi
io_hostkeys || { fail hostkeys "ssh-keygen failed"; exit 0; }
if ! io_sshd_start t "$SUT_SSHD" </dev/null; then
	if io_is_root; then
		fail sshd-start "$(tail -n 3 "$T/t.log" 2>/dev/null)"
	else
		skip tools "sshd did not start as non-root:" \
		    "$(tail -n 1 "$T/t.log" 2>/dev/null)"
	fi
	exit 0
fi
SSHD_PID=$IO_PID
io_ssh_config t "$IO_PORT"
RSH="env -u SSH_AUTH_SOCK $SUT_SSH -F $T/t.ssh_config"

# The remote side writes into $R (as the test account: in its home,
# as the directories above $T need not be open to it).
if io_is_root; then
	R="$THOME/remote"
	mkdir -p "$R" && chown "$TUSER" "$R"
else
	R="$T/remote"
	mkdir -p "$R"
fi

# manifest DIR: one line per entry, sorted: name (escaped), type, mode,
# SHA-256 of a file's bytes or a link's target.
manifest() {
	$PY - "$1" <<'EOF'
import hashlib, os, stat, sys
top = sys.argv[1]
out = []
for d, dirs, files in os.walk(top):
    for n in dirs + files:
        p = os.path.join(d, n)
        st = os.lstat(p)
        rel = ascii(os.path.relpath(p, top))
        if stat.S_ISLNK(st.st_mode):
            out.append("%s l %s" % (rel, ascii(os.readlink(p))))
        elif stat.S_ISDIR(st.st_mode):
            out.append("%s d %o" % (rel, stat.S_IMODE(st.st_mode)))
        else:
            h = hashlib.sha256(open(p, "rb").read()).hexdigest()
            out.append("%s f %o %s" % (rel, stat.S_IMODE(st.st_mode), h))
for line in sorted(out):
    print(line)
EOF
}

# ------------------------------------------------------------ rsync

make_tree() {
	$PY - "$1" <<'EOF'
import os, sys
top = sys.argv[1]
os.makedirs(top)
names = ["plain", "with space", "new\nline", "-leading-dash", "--rsh=x",
         "quote'single", 'quote"double', "star*glob?[x]", "back\\slash",
         "d\u00e9j\u00e0 vu \u2603", "tab\there", "$(echo no)", "semi;colon",
         "x" * 200]
for i, n in enumerate(names):
    with open(os.path.join(top, n), "wb") as f:
        f.write(os.urandom(i * 37))
os.makedirs(os.path.join(top, "sub dir", "deeper -x"))
with open(os.path.join(top, "sub dir", "deeper -x", "big"), "wb") as f:
    f.write(os.urandom(3 * 1024 * 1024 + 17))
open(os.path.join(top, "sub dir", "empty"), "wb").close()
os.makedirs(os.path.join(top, "empty dir"))
os.symlink("with space", os.path.join(top, "link to space"))
os.chmod(os.path.join(top, "plain"), 0o751)
EOF
}

run_rsync() {
	if ! command -v rsync >/dev/null; then
		skip rsync "rsync not installed"
		return
	fi
	make_tree "$T/tree" || { fail rsync-tree "could not make the tree"; return; }
	manifest "$T/tree" >"$T/m.tree"
	rsync -a -e "$RSH" "$T/tree/" "sut:$R/tree/" \
	    >"$T/rsync.out" 2>&1
	rc=$?
	manifest "$R/tree" >"$T/m.remote" 2>/dev/null
	if [ $rc -eq 0 ] && cmp -s "$T/m.tree" "$T/m.remote"; then
		pass rsync-push
	else
		fail rsync-push "rc $rc; $(tail -n 2 "$T/rsync.out" |
		    tr '\n' ' '); $(diff "$T/m.tree" "$T/m.remote" | head -n 3 |
		    tr '\n' ' ')"
	fi
	rsync -a -e "$RSH" "sut:$R/tree/" "$T/back/" \
	    >"$T/rsync.out" 2>&1
	rc=$?
	manifest "$T/back" >"$T/m.back" 2>/dev/null
	if [ $rc -eq 0 ] && cmp -s "$T/m.tree" "$T/m.back"; then
		pass rsync-pull
	else
		fail rsync-pull "rc $rc; $(tail -n 2 "$T/rsync.out" |
		    tr '\n' ' '); $(diff "$T/m.tree" "$T/m.back" | head -n 3 |
		    tr '\n' ' ')"
	fi
	# Incremental: change one file, delete one, the delta goes over.
	head -c 5000 /dev/urandom >>"$T/tree/sub dir/deeper -x/big"
	rm "$T/tree/semi;colon"
	manifest "$T/tree" >"$T/m.tree"
	rsync -a --delete --stats -e "$RSH" "$T/tree/" "sut:$R/tree/" \
	    >"$T/rsync.out" 2>&1
	rc=$?
	manifest "$R/tree" >"$T/m.remote" 2>/dev/null
	if [ $rc -eq 0 ] && cmp -s "$T/m.tree" "$T/m.remote" &&
	    grep -q "Matched data: [1-9]" "$T/rsync.out"; then
		pass rsync-incremental
	else
		fail rsync-incremental "rc $rc; $(grep -i 'matched\|error' \
		    "$T/rsync.out" | head -n 2 | tr '\n' ' ')"
	fi
	# A remote command failing: rsync reports it.
	rsync -a -e "$RSH" "sut:$R/no-such-dir/" "$T/none/" \
	    >"$T/rsync.out" 2>&1
	rc=$?
	[ $rc -ne 0 ] && grep -q "No such file" "$T/rsync.out" &&
	    pass rsync-remote-error ||
	    fail rsync-remote-error "rc $rc: $(tail -n 1 "$T/rsync.out")"
}

# ------------------------------------------------------------ git

run_git() {
	if ! command -v git >/dev/null; then
		skip git "git not installed"
		return
	fi
	mkdir -p "$T/githome"
	HOME="$T/githome"
	GIT_CONFIG_NOSYSTEM=1
	GIT_SSH_COMMAND="$SUT_SSH -F $T/t.ssh_config"
	export HOME GIT_CONFIG_NOSYSTEM GIT_SSH_COMMAND
	unset SSH_AUTH_SOCK
	G=git
	GA="-c user.name=Keel -c user.email=keel@example.invalid"
	GA="$GA -c init.defaultBranch=main -c protocol.version=2"
	if io_is_root; then
		su -s /bin/sh -c "git init -q --bare $R/repo.git" \
		    "$TUSER" || { fail git-init "git init as $TUSER failed"; return; }
	else
		git init -q --bare "$R/repo.git" ||
		    { fail git-init "git init failed"; return; }
	fi
	mkdir -p "$T/work"
	(
		cd "$T/work" &&
		$G $GA init -q . &&
		make_tree "$T/work/files" &&
		rm -f "$T/work/files/link to space" &&
		$G $GA add -A . &&
		$G $GA commit -q -m "first" &&
		echo second >"$T/work/second" &&
		$G $GA add second &&
		$G $GA commit -q -m "second"
	) >"$T/git.out" 2>&1 || {
		fail git-local "$(tail -n 2 "$T/git.out" | tr '\n' ' ')"
		return
	}
	(cd "$T/work" && $G $GA push -q "sut:$R/repo.git" main) \
	    >"$T/git.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] && pass git-push ||
	    fail git-push "rc $rc: $(tail -n 2 "$T/git.out" | tr '\n' ' ')"
	$G $GA clone -q "sut:$R/repo.git" "$T/clone" \
	    >"$T/git.out" 2>&1
	rc=$?
	a=$(cd "$T/work" && $G rev-parse HEAD^{tree} 2>/dev/null)
	b=$(cd "$T/clone" && $G rev-parse HEAD^{tree} 2>/dev/null)
	if [ $rc -eq 0 ] && [ -n "$a" ] && [ "$a" = "$b" ] &&
	    [ "$(cd "$T/clone" && $G fsck --full 2>&1 | wc -l)" -eq 0 ]; then
		pass git-clone
	else
		fail git-clone "rc $rc trees '$a' '$b':" \
		    "$(tail -n 2 "$T/git.out" | tr '\n' ' ')"
	fi
	# Round trip: commit in the clone, push, fetch in the first.
	(
		cd "$T/clone" && echo third >third && $G $GA add third &&
		$G $GA commit -q -m third && $G $GA push -q origin main &&
		cd "$T/work" && $G $GA fetch -q "sut:$R/repo.git" main
	) >"$T/git.out" 2>&1
	rc=$?
	a=$(cd "$T/clone" && $G rev-parse HEAD 2>/dev/null)
	b=$(cd "$T/work" && $G rev-parse FETCH_HEAD 2>/dev/null)
	[ $rc -eq 0 ] && [ -n "$a" ] && [ "$a" = "$b" ] &&
	    pass git-push-fetch ||
	    fail git-push-fetch "rc $rc '$a' '$b': $(tail -n 2 "$T/git.out" |
	    tr '\n' ' ')"
}

echo "interop-tools: rsync and git over $SUT_SSH to $SUT_SSHD"
run_rsync
(run_git)	# in a subshell: it changes HOME and the environment
if io_alive "$SSHD_PID" && io_no_crash "$T/t.log"; then
	pass tools-sshd-alive
else
	fail tools-sshd-alive "listener gone or crash logged"
fi
