# regress/lib/interop.sh: sourced after test-lib.sh by regress/interop-*.sh
# and regress/attack-*.sh.  Gives them:
#   SUT_SSHD, SUT_SSH     the programs under test: ours ($OBJ/sshd,
#                         $OBJ/ssh) unless INTEROP_SSHD / INTEROP_SSH name
#                         others (e.g. OpenSSH's, to check a script itself)
#   io_need_sshd / io_need_ssh   skip the script (exit 0) if missing
#   io_account            a test account: TUSER THOME TPASS (empty when
#                         passwords can't be tested), AKFILE, user key
#                         $T/id_ed25519; removed on exit
#   io_hostkeys           host keys $T/hk_{ed25519,ecdsa256,ecdsa384,
#                         ecdsa521,rsa} (+ .pub)
#   io_sshd_start NAME SSHD [config lines on stdin]
#                         start SSHD -D on a free port: IO_PORT, IO_PID,
#                         log $T/NAME.log, config $T/NAME.cfg
#   io_ssh_config NAME PORT   a client config $T/NAME.ssh_config with
#                         host "sut" and a known_hosts of our host keys
#   io_alive PID          is that process still there
# Every process started through these helpers is killed by its PID on
# exit, every account removed; $T too, unless KEEP_T is set (to read the
# servers' logs after a failure).

PY=/usr/bin/python3
PATH="$PATH:/usr/sbin:/sbin"
SUT_SSHD=${INTEROP_SSHD:-$SSHD}
SUT_SSH=${INTEROP_SSH:-$SSH}
IO_PIDS=""
IO_USERS=""

io_cleanup() {
	for p in $IO_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $IO_PIDS; do
		wait "$p" 2>/dev/null
	done
	for u in $IO_USERS; do
		userdel -r -f "$u" >/dev/null 2>&1
	done
	cd /
	if [ -n "${KEEP_T:-}" ]; then
		echo "  (KEEP_T: kept $T)"
	else
		rm -rf "$T"
	fi
}
trap io_cleanup EXIT
trap 'exit 1' INT TERM HUP

io_need_sshd() {
	if [ ! -x "$SUT_SSHD" ]; then
		skip "${1:-sshd}" "$SUT_SSHD not built yet"
		exit 0
	fi
}

io_need_ssh() {
	if [ ! -x "$SUT_SSH" ]; then
		skip "${1:-ssh}" "$SUT_SSH not built yet"
		exit 0
	fi
}

io_is_root() {
	[ "$(id -u)" -eq 0 ]
}

# A test account.  As root: a new user with a home in /home and a
# random password, removed on exit.  Otherwise: ourselves, keys only
# (our real ~/.ssh is never touched: AKFILE is in $T).
io_account() {
	$OSSH_KEYGEN -q -t ed25519 -N '' -C interop -f "$T/id_ed25519" ||
	    return 1
	if io_is_root; then
		TUSER="kio$$"
		TPASS=$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
		useradd -m -d "/home/$TUSER" -s /bin/sh "$TUSER" || return 1
		IO_USERS="$IO_USERS $TUSER"
		# SHA-512 crypt, not yescrypt: 10 000 wrong passwords must
		# not take minutes of CPU.
		echo "$TUSER:$TPASS" | chpasswd -c SHA512 -s 5000 || return 1
		THOME="/home/$TUSER"
		mkdir -p "$THOME/.ssh"
		cp "$T/id_ed25519.pub" "$THOME/.ssh/authorized_keys"
		chown -R "$TUSER:" "$THOME/.ssh"
		chmod 700 "$THOME/.ssh"
		chmod 600 "$THOME/.ssh/authorized_keys"
		AKFILE=.ssh/authorized_keys
	else
		TUSER=$(id -un)
		TPASS=""
		THOME=$HOME
		cp "$T/id_ed25519.pub" "$T/authorized_keys"
		AKFILE="$T/authorized_keys"
	fi
	chmod 755 "$T"
}

io_hostkeys() {
	for t in ed25519 ecdsa256 ecdsa384 ecdsa521 rsa; do
		case $t in
		ed25519) a="-t ed25519" ;;
		ecdsa*) a="-t ecdsa -b ${t#ecdsa}" ;;
		rsa) a="-t rsa -b 2048" ;;
		esac
		[ -f "$T/hk_$t" ] && continue
		$OSSH_KEYGEN -q $a -N '' -C "hostkey-$t" -f "$T/hk_$t" ||
		    return 1
	done
}

io_alive() {
	kill -0 "$1" 2>/dev/null
}

# Wait (at most 10 s) until PORT on 127.0.0.1 accepts connections.
io_wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
		[ -n "${2:-}" ] && ! io_alive "$2" && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# io_sshd_start NAME SSHD: more config lines on stdin; a default below
# whose keyword they set is left out.
io_sshd_start() {
	n=$1
	IO_PORT=$(free_port)
	cat >"$T/$n.cfg-extra"
	{
		cat "$T/$n.cfg-extra"
		cat <<EOF | awk 'FILENAME != "-" { k[tolower($1)] = 1; next }
		    !(tolower($1) in k)' "$T/$n.cfg-extra" -
Port $IO_PORT
ListenAddress 127.0.0.1
HostKey $T/hk_ed25519
HostKey $T/hk_ecdsa256
HostKey $T/hk_ecdsa384
HostKey $T/hk_ecdsa521
HostKey $T/hk_rsa
PidFile $T/$n.pid
UsePAM no
AuthorizedKeysFile $AKFILE
StrictModes no
PermitRootLogin no
PasswordAuthentication yes
ModuliFile $SRC/contrib/moduli
MaxStartups 50
LogLevel VERBOSE
EOF
	} >"$T/$n.cfg"
	# Never a server on the machine's port 22.
	grep -q "^Port $IO_PORT\$" "$T/$n.cfg" || return 1
	mkdir -p /run/sshd 2>/dev/null
	# Its stderr (a sanitizer's reports) goes to the log too.
	"$2" -D -f "$T/$n.cfg" -E "$T/$n.log" 2>>"$T/$n.log" &
	IO_PID=$!
	IO_PIDS="$IO_PIDS $IO_PID"
	io_wait_port "$IO_PORT" "$IO_PID"
}

# known_hosts lines for our host keys at [127.0.0.1]:PORT.
io_known_hosts() {
	for t in ed25519 ecdsa256 ecdsa384 ecdsa521 rsa; do
		printf '[127.0.0.1]:%s %s\n' "$1" \
		    "$(cut -d' ' -f1,2 "$T/hk_$t.pub")"
	done
}

io_ssh_config() {
	io_known_hosts "$2" >"$T/$1.known_hosts"
	cat >"$T/$1.ssh_config" <<EOF
Host sut
	HostName 127.0.0.1
	Port $2
	User $TUSER
	IdentityFile $T/id_ed25519
	IdentitiesOnly yes
	UserKnownHostsFile $T/$1.known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	BatchMode yes
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	ConnectTimeout 10
EOF
}

# The sshd log shows no crash of any of its processes.
io_no_crash() {
	! grep -q "Sanitizer\|runtime error\|Segmentation\|core dumped" "$1" &&
	    ! grep -q "killed by signal\|Assertion" "$1"
}
