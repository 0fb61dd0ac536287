#!/bin/sh
# regress/privsep.sh: sshd's privilege separation against the real system,
# as root: the privsep user and directory, test accounts made with
# useradd/chpasswd/usermod/chage (removed at the end), and then
#  - uidswap: children drop to a test user, /proc shows its ids, groups
#    and (for the privsep child) PRIVSEP_PATH as root directory;
#  - authpasswd: crypt(3) against shadow for good, locked, expired,
#    old-password and empty-password accounts, and the timing of
#    invalid users;
#  - privsep: a monitor and a real pre-auth child (privsep user, chroot,
#    seccomp) authenticating a test user by password, with the child's
#    uid, root and seccomp mode read from /proc.
. "$SRC/regress/lib/test-lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip privsep "not root: cannot create users or drop privileges"
	exit 0
fi
for tool in useradd userdel groupadd groupdel chpasswd usermod chage passwd; do
	if ! command -v "$tool" >/dev/null 2>&1 &&
	    [ ! -x "/usr/sbin/$tool" ]; then
		skip privsep "$tool not installed (Debian package passwd)"
		exit 0
	fi
done
PATH="$PATH:/usr/sbin:/sbin"

# The configured privsep user and directory (configure's defaults are
# sshd and /var/empty).
PS_USER=$(sed -n 's/^#define PRIVSEP_USER "\(.*\)"$/\1/p' "$OBJ/config.h")
PS_PATH=$(sed -n 's/^#define PRIVSEP_PATH "\(.*\)"$/\1/p' "$OBJ/config.h")
if [ -z "$PS_USER" ] || [ -z "$PS_PATH" ]; then
	fail privsep-config "PRIVSEP_USER/PRIVSEP_PATH not in $OBJ/config.h"
	exit 0
fi

# Created if missing, as Debian's openssh-server does; left in place
# (sshd needs them).
if ! getent passwd "$PS_USER" >/dev/null; then
	useradd --system --no-create-home --home-dir /run/sshd \
	    --shell /usr/sbin/nologin "$PS_USER" ||
	    fail privsep-user "useradd $PS_USER failed"
fi
if [ ! -d "$PS_PATH" ]; then
	mkdir -p "$PS_PATH" || fail privsep-dir "mkdir $PS_PATH failed"
fi
chown root:root "$PS_PATH" && chmod 0755 "$PS_PATH"
if [ -n "$(ls -A "$PS_PATH" 2>/dev/null)" ]; then
	skip privsep "$PS_PATH is not empty: refusing to use it"
	exit 0
fi

# Test accounts, removed on exit.
tag="kps$$"
GRP="${tag}g"
USERS=""
cleanup() {
	for u in $USERS; do
		userdel "$u" >/dev/null 2>&1
	done
	groupdel "$GRP" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
mkuser() {
	useradd --no-create-home --home-dir /nonexistent --shell /bin/sh \
	    --groups "$GRP" "$1" || return 1
	USERS="$USERS $1"
	echo "$1:$PASSWORD" | chpasswd
}

groupadd "$GRP" || { fail privsep-setup "groupadd failed"; exit 0; }
if mkuser "${tag}u" && mkuser "${tag}l" && mkuser "${tag}x" &&
    mkuser "${tag}o" && mkuser "${tag}e" &&
    usermod -L "${tag}l" &&
    usermod --expiredate 1970-01-02 "${tag}x" &&
    chage -d 0 "${tag}o" &&
    passwd -d "${tag}e" >/dev/null; then
	pass privsep-setup
else
	fail privsep-setup "could not create the test accounts"
	exit 0
fi

# Each unit program exits 0 only if all of its tests passed.
run_unit() {
	name=$1
	shift
	prog="$OBJ/regress/unittests/$name/test_$name"
	if [ ! -x "$prog" ]; then
		fail "$name-root" "$prog not built (make unit-tests)"
		return
	fi
	if env "$@" "$prog" >"$T/$name.out" 2>&1; then
		pass "$name-root"
	else
		fail "$name-root" "$(tail -n 3 "$T/$name.out" | tr '\n' ' ')"
	fi
	# A program that skipped what it was run for did not test it.
	if grep -q "skipped" "$T/$name.out"; then
		fail "$name-root-complete" "$(grep skipped "$T/$name.out" |
		    tr '\n' ' ')"
	fi
}

run_unit uidswap KEEL_TEST_USER="${tag}u" KEEL_TEST_GROUP="$GRP" \
    KEEL_PRIVSEP_READY=1
run_unit authpasswd KEEL_TEST_PW_USER="${tag}u" \
    KEEL_TEST_LOCKED_USER="${tag}l" KEEL_TEST_EXPIRED_USER="${tag}x" \
    KEEL_TEST_OLDPW_USER="${tag}o" KEEL_TEST_EMPTY_USER="${tag}e" \
    KEEL_TEST_PASSWORD="$PASSWORD"
if grep -q '^#define SANDBOX_SECCOMP 1' "$OBJ/config.h" &&
    grep -q '^#define SANITIZER_BUILD 0' "$OBJ/config.h"; then
	run_unit privsep KEEL_PRIVSEP_READY=1 KEEL_TEST_PW_USER="${tag}u" \
	    KEEL_TEST_PASSWORD="$PASSWORD"
else
	skip privsep-root "no seccomp sandbox in this build (none or sanitizers)"
fi

# The accounts really are what the tests assumed (a check of the set-up
# itself, through the system's own tool).
if chage -l "${tag}x" | grep -q "Account expires.*1970"; then
	pass privsep-expired-account
else
	fail privsep-expired-account "chage -l does not show the expiry"
fi
