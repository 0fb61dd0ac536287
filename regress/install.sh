#!/bin/sh
# regress/install.sh: `make install` into a DESTDIR: programs, man pages,
# the sample sshd_config/ssh_config and moduli (which sshd -t and ssh -G
# accept), an admin's edited config kept on a second install, and
# `make uninstall`.
. "$SRC/regress/lib/test-lib.sh"

if [ ! -x "$SSHD" ] || [ ! -x "$SSH" ]; then
	skip install "sshd or ssh not built yet"
	exit 0
fi
MAKE=${MAKE:-make}
D="$T/root"
if ! $MAKE -s -C "$OBJ" install DESTDIR="$D" >"$T/out" 2>&1; then
	fail install "make install: $(tail -n 5 "$T/out")"
	exit 0
fi
etc=$(sed -n 's/^#define SSHDIR "\(.*\)"$/\1/p' "$OBJ/config.h")
[ -n "$etc" ] || etc=$(find "$D" -name sshd_config -exec dirname {} \; |
    sed "s|^$D||" | head -n 1)

missing=""
for f in sshd_config ssh_config moduli; do
	[ -f "$D$etc/$f" ] || missing="$missing $etc/$f"
done
for p in ssh scp sftp ssh-keygen ssh-agent ssh-add; do
	[ -x "$(find "$D" -path "*/bin/$p" -type f | head -n 1)" ] ||
	    missing="$missing bin/$p"
done
for m in ssh.1 sshd.8 ssh_config.5 sshd_config.5; do
	[ -n "$(find "$D" -name "$m" -type f)" ] || missing="$missing $m"
done
check install-files test -z "$missing"

ISSHD=$(find "$D" -path "*/sbin/sshd" -type f | head -n 1)
"$KEYGEN" -q -t ed25519 -N '' -f "$T/hk" >/dev/null 2>&1
if "$ISSHD" -t -f "$D$etc/sshd_config" -h "$T/hk" >"$T/out" 2>&1; then
	pass install-sshd-config
else
	fail install-sshd-config "$(cat "$T/out")"
fi
# The sample names the installed sftp-server (outside DESTDIR).
sub=$(sed -n 's/^Subsystem sftp //p' "$D$etc/sshd_config")
check install-subsystem test -x "$D$sub"
ISSH=$(find "$D" -path "*/bin/ssh" -type f | head -n 1)
if "$ISSH" -G -F "$D$etc/ssh_config" example.org >"$T/G" 2>&1 &&
    grep -qx "sendenv LANG" "$T/G"; then
	pass install-ssh-config
else
	fail install-ssh-config "$(head -n 3 "$T/G")"
fi

# A second install keeps the admin's edited files.
echo "Port 2200" >>"$D$etc/sshd_config"
$MAKE -s -C "$OBJ" install DESTDIR="$D" >"$T/out" 2>&1
check install-keeps-config grep -qx "Port 2200" "$D$etc/sshd_config"

$MAKE -s -C "$OBJ" uninstall DESTDIR="$D" >"$T/out" 2>&1
check uninstall test -z "$(find "$D" -name sshd -type f)"
