#!/bin/sh
# contrib/install-deps.sh: install, from Debian packages, everything Keel's
# build and tests need.  Idempotent: installs only what is missing, so a
# second run does nothing.  Needs root (or sudo) on Debian 12.
set -eu

PKGS="build-essential autoconf pkg-config clang llvm
libssl-dev zlib1g-dev libpam0g-dev libwrap0-dev libseccomp-dev libedit-dev
openssh-client openssh-server openssh-sftp-server
python3 tcsh tmux procps iproute2 coreutils time groff-base man-db
dropbear dropbear-bin putty-tools python3-paramiko python3-asyncssh
tinysshd rsync git socat"

# Interop peers (issue 3): dropbear (server, whose package would start a
# daemon on port 22 but for policy-rc.d below) and dbclient, PuTTY's
# plink, paramiko and asyncssh (modules of Debian's /usr/bin/python3),
# tinysshd with tinysshd-makekey, and rsync, git and socat as plumbing.
# Tests start each server themselves on a high port with keys in $T.
# groff-base and man-db: regress/manpages.sh formats every manual page
# with warnings on.

# sshd's privilege separation needs its unprivileged user and the empty
# directory the pre-auth child is chrooted to (configure's defaults: sshd
# and /var/empty).  Each is created only if missing, as Debian's
# openssh-server creates its sshd user; a second run does nothing.
ps_sudo=""
[ "$(id -u)" -eq 0 ] || ps_sudo=sudo
if ! getent passwd sshd >/dev/null; then
	$ps_sudo /usr/sbin/useradd --system --no-create-home \
	    --home-dir /run/sshd --shell /usr/sbin/nologin sshd
fi
if [ ! -d /var/empty ]; then
	$ps_sudo mkdir -p /var/empty
	$ps_sudo chown root:root /var/empty
	$ps_sudo chmod 0755 /var/empty
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The openssh-server package must not start a daemon on port 22 here:
# policy-rc.d tells invoke-rc.d to leave services alone while we install.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod 755 /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends $missing
# Installing dropbear enabled its service for the next boot; the tests
# run their own servers, so a machine that boots again must not find
# dropbear on port 22.  Done only when this run installed it.
case " $missing " in
*" dropbear "*)
	if command -v update-rc.d >/dev/null; then
		$SUDO update-rc.d dropbear disable >/dev/null 2>&1 || :
	fi
	;;
esac
