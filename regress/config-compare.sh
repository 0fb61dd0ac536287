#!/bin/sh
# regress/config-compare.sh: our config parsers against OpenSSH's.
#
# regress/config-dump (a test program over servconf/readconf/hostfile)
# prints what `sshd -T` and `ssh -G` print; each config here is given to
# both it and OpenSSH's sshd/ssh and the outputs (and, for bad configs,
# the messages and exit status) must be identical.  Defaults that differ
# by design (algorithm lists without the post-quantum hybrids, IPQoS,
# paths under our prefix) are pinned in a base config.  Then known_hosts
# files hashed by each side are read by the other.

. "$SRC/regress/lib/test-lib.sh"

DUMP="$OBJ/regress/config-dump"

if [ ! -x "$DUMP" ]; then
	fail config-dump "$DUMP not built"
	exit 0
fi

# ------------------------------------------------------------ sshd -T

cat >"$T/sbase" <<'EOF'
PidFile /run/sshd.pid
ModuliFile /etc/ssh/moduli
Ciphers aes128-ctr,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com
MACs hmac-sha2-256-etm@openssh.com,hmac-sha1
KexAlgorithms curve25519-sha256,diffie-hellman-group14-sha256
HostKeyAlgorithms ssh-ed25519,rsa-sha2-512,ecdsa-sha2-nistp256
PubkeyAcceptedAlgorithms ssh-ed25519,rsa-sha2-256
HostbasedAcceptedAlgorithms ssh-ed25519
CASignatureAlgorithms ssh-ed25519,rsa-sha2-512
IPQoS lowdelay throughput
EOF

# name, config text (printf %b), extra arguments
sshd_case() {
	n=$1
	{ printf '%b\n' "$2"; cat "$T/sbase"; } >"$T/s.cfg"
	shift 2
	"$OSSH_SSHD" -T -f "$T/s.cfg" -o HostKey="$T/hk" "$@" \
	    >"$T/o.out" 2>"$T/o.err"
	orc=$?
	"$DUMP" -T -f "$T/s.cfg" -o HostKey="$T/hk" "$@" \
	    >"$T/k.out" 2>"$T/k.err"
	krc=$?
	# Our log lines end in \r\n as OpenSSH's do; some of its sshd -T
	# messages do not.
	tr -d '\r' <"$T/k.err" >"$T/k.err2"
	tr -d '\r' <"$T/o.err" >"$T/o.err2"
	if [ $orc -ne $krc ]; then
		fail "sshd-T-$n" "exit $krc, OpenSSH $orc: $(head -2 "$T/k.err2")"
	elif ! cmp -s "$T/o.out" "$T/k.out"; then
		fail "sshd-T-$n" "$(diff "$T/o.out" "$T/k.out" | head -4 |
		    tr '\n' ' ')"
	elif ! cmp -s "$T/o.err2" "$T/k.err2"; then
		fail "sshd-T-$n" "messages: $(diff "$T/o.err2" "$T/k.err2" |
		    head -4 | tr '\n' ' ')"
	else
		pass "sshd-T-$n"
	fi
}

run_sshd_cases() {
	mkdir -p "$T/inc.d"
	printf 'MaxSessions 3\nMatch User carol\n  Banner /carol\n' \
	    >"$T/inc.d/10-a.conf"
	printf 'X11Forwarding yes\n' >"$T/inc.d/20-b.conf"
	M="Include $T/inc.d/*.conf
Match User bob
  MaxAuthTries 2
  AcceptEnv C
  Banner /b
Match Group root
  MaxSessions 7
Match Host *.example.com Address 10.0.0.0/8
  PermitTTY no
Match LocalPort 2222
  X11Forwarding no
Match User alice,!bob Address !192.168.1.1,192.168.1.0/24
  ForceCommand /bin/false
Match all
  PermitRootLogin no"

	sshd_case empty ""
	sshd_case listen 'Port 2222\nPort 2223\nListenAddress 127.0.0.1\nListenAddress [::1]:2224'
	sshd_case auth 'PermitRootLogin prohibit-password\nPubkeyAuthentication no\nPasswordAuthentication no\nPermitEmptyPasswords yes\nMaxAuthTries 3\nLoginGraceTime 1m30s\nAuthenticationMethods publickey,password publickey'
	sshd_case akfile 'AuthorizedKeysFile %h/.ssh/keys /etc/ssh/ak/%u .ssh/authorized_keys\nStrictModes no'
	sshd_case session 'PermitUserEnvironment LANG,LC_*\nAcceptEnv LANG LC_*\nAcceptEnv XMODIFIERS\nPrintMotd no\nPrintLastLog no\nBanner /etc/issue.net\nSubsystem sftp /usr/lib/openssh/sftp-server -l INFO\nSetEnv A=1 B="x y"'
	sshd_case transport 'RekeyLimit 1G 1h\nCompression no\nClientAliveInterval 30\nClientAliveCountMax 2\nTCPKeepAlive no\nUseDNS yes'
	sshd_case debian 'Include /nonexistent/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nChallengeResponseAuthentication no\nUsePAM yes\nX11Forwarding yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem sftp /usr/lib/openssh/sftp-server'
	sshd_case forwarding 'AllowTcpForwarding local\nGatewayPorts clientspecified\nAllowAgentForwarding no\nPermitTunnel point-to-point\nPermitOpen 10.0.0.1:80 [::1]:22 host:*\nPermitListen 8080 0.0.0.0:9090\nDisableForwarding yes'
	sshd_case access 'AllowUsers alice bob@192.168.0.0/16\nDenyUsers root\nAllowGroups sftp\nDenyGroups nogroup\nChrootDirectory /srv/%u\nForceCommand internal-sftp -d /home'
	sshd_case limits 'MaxStartups 3:50:9\nMaxSessions 0\nPerSourceMaxStartups 5\nPerSourceNetBlockSize 16\nUnusedConnectionTimeout 5m\nChannelTimeout session=1h'
	sshd_case misc 'LogLevel DEBUG1\nSyslogFacility LOCAL7\nFingerprintHash md5\nVersionAddendum Foo Bar\nPubkeyAuthOptions verify-required\nStreamLocalBindMask 0\nIPQoS af11 cs1\nHostbasedAuthentication yes\nIgnoreRhosts shosts-only\nTrustedUserCAKeys /etc/ssh/ca.pub\nAuthorizedPrincipalsFile /etc/ssh/p/%u'
	sshd_case lastwins 'MaxStartups 1:2:3\nMaxStartups 4:5:6\nFingerprintHash md5\nFingerprintHash sha256'
	sshd_case deprecated 'UsePrivilegeSeparation sandbox\nProtocol 2\nKeyRegenerationInterval 1h\nServerKeyBits 1024\nKerberosTgtPassing yes'
	sshd_case match-none "$M"
	sshd_case match-bob "$M" -C user=bob,host=a.example.com,addr=10.1.2.3,laddr=127.0.0.1,lport=2222,rdomain=r1
	sshd_case match-root "$M" -C user=root,host=x,addr=192.168.1.5,laddr=1.1.1.1,lport=22
	sshd_case match-alice "$M" -C user=alice,host=x,addr=192.168.1.5,laddr=1.1.1.1,lport=22
	sshd_case match-alice-neg "$M" -C user=alice,host=x,addr=192.168.1.1,laddr=1.1.1.1,lport=22
	sshd_case match-carol "$M" -C user=carol,host=x,addr=1.2.3.4,laddr=1.1.1.1,lport=22
	sshd_case match-missing "$M" -C user=carol
	sshd_case match-cmdline 'MaxAuthTries 4\nMatch User bob\n MaxAuthTries 2' -o MaxAuthTries=9 -C user=bob
	sshd_case match-all-global 'Match User x\n  MaxSessions 2\nMatch all\nPidFile /x'
	# Bad configs: the same message and exit status.
	sshd_case bad-keyword 'Foo bar\nBar baz'
	sshd_case bad-noarg 'Port'
	sshd_case bad-extra 'MaxAuthTries 1 2'
	sshd_case bad-int 'MaxAuthTries 99999999999'
	sshd_case bad-choice 'PermitRootLogin maybe'
	sshd_case bad-time 'LoginGraceTime x'
	sshd_case bad-port 'Port 70000'
	sshd_case bad-cipher 'Ciphers nope'
	sshd_case bad-rekey 'RekeyLimit 2'
	sshd_case bad-setenv 'SetEnv NOEQ'
	sshd_case bad-listen 'ListenAddress [::1'
	sshd_case bad-match-attr 'Match Foo bar'
	sshd_case bad-match-empty 'Match User'
	sshd_case bad-match-all 'Match all User x'
	sshd_case bad-match-kw 'Match User x\nPort 22'
	sshd_case bad-match-addr 'Match Address 1.2.3.4/99\n MaxSessions 5'
	sshd_case bad-spec 'Match User bob\n MaxSessions 5' -C foo=bar
	sshd_case bad-akcmd 'AuthorizedKeysCommand /bin/true %u'
	sshd_case bad-any 'AuthenticationMethods any publickey'
	sshd_case bad-quote 'Banner "/etc/issue'
}

if [ "$(id -u)" -ne 0 ]; then
	skip sshd-T "OpenSSH's sshd -T needs root"
elif [ ! -x "$OSSH_SSHD" ]; then
	skip sshd-T "no $OSSH_SSHD"
else
	# Debian's sshd -T wants its privilege separation directory.
	[ -d /run/sshd ] || mkdir -p -m 0755 /run/sshd
	"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/hk" || exit 1
	run_sshd_cases
fi

# ------------------------------------------------------------ ssh -G

cat >"$T/gbase" <<'EOF'
Host *
  Ciphers aes128-ctr,aes256-gcm@openssh.com
  MACs hmac-sha2-256,hmac-sha1
  KexAlgorithms curve25519-sha256
  HostKeyAlgorithms ssh-ed25519,rsa-sha2-512
  PubkeyAcceptedAlgorithms ssh-ed25519
  HostbasedAcceptedAlgorithms ssh-ed25519
  CASignatureAlgorithms ssh-ed25519
  IPQoS lowdelay throughput
  GlobalKnownHostsFile /etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2
  IdentityFile ~/.ssh/id_rsa
EOF

ssh_case() {
	n=$1
	{ printf '%b\n' "$2"; cat "$T/gbase"; } >"$T/g.cfg"
	shift 2
	"$OSSH_SSH" -G -F "$T/g.cfg" "$@" </dev/null >"$T/o.out" 2>"$T/o.err"
	orc=$?
	"$DUMP" -G -F "$T/g.cfg" "$@" >"$T/k.out" 2>"$T/k.err"
	krc=$?
	grep -v '^Pseudo-terminal' "$T/o.err" | tr -d '\r' >"$T/o.err2"
	tr -d '\r' <"$T/k.err" >"$T/k.err2"
	if [ $orc -ne $krc ]; then
		fail "ssh-G-$n" "exit $krc, OpenSSH $orc: $(head -2 "$T/k.err2")"
	elif ! cmp -s "$T/o.out" "$T/k.out"; then
		fail "ssh-G-$n" "$(diff "$T/o.out" "$T/k.out" | head -4 |
		    tr '\n' ' ')"
	elif ! cmp -s "$T/o.err2" "$T/k.err2"; then
		fail "ssh-G-$n" "messages: $(diff "$T/o.err2" "$T/k.err2" |
		    head -4 | tr '\n' ' ')"
	else
		pass "ssh-G-$n"
	fi
}

run_ssh_cases() {
	mkdir -p "$T/ginc"
	printf 'Port 1234\nHost other\n  User nobody\n' >"$T/ginc/a.conf"
	printf 'User zed\n' >"$T/ginc/b.conf"

	ssh_case empty '' h
	ssh_case host 'Host h\n  HostName real.example.com\n  Port 2222\n  User bob\n  IdentityFile ~/.ssh/id_test\n  IdentitiesOnly yes' h
	ssh_case host-order 'Host x\n  Port 1\nHost h\n  Port 2\nHost *\n  Port 3' h
	ssh_case host-neg 'Host !h *\n  Port 1' h
	ssh_case hostname-pct 'Hostname %%h.example.com' h
	ssh_case match-host 'Match host real.example.com\n  Port 7\nHost h\n  HostName real.example.com' h
	ssh_case match-orig 'Match originalhost H\n  Port 8' H
	ssh_case match-user 'Match user bob\n  Port 8' bob@h
	ssh_case match-localuser "Match localuser $(id -un)\n  Port 8" h
	ssh_case match-exec 'Match exec "test %%h = h"\n  Port 9' h
	ssh_case match-exec-no 'Match host x exec true\n  Port 9' h
	ssh_case match-final 'Match final\n  Port 3' h
	ssh_case match-all 'Match all\n  Port 4' h
	ssh_case include "Include $T/ginc/*.conf" h
	ssh_case include-inactive "Host x\n  Include $T/ginc/*.conf\nHost *\n  Port 9" h
	ssh_case keys 'StrictHostKeyChecking accept-new\nUserKnownHostsFile ~/.ssh/kh1 /tmp/kh2\nHashKnownHosts yes\nCheckHostIP yes\nUpdateHostKeys ask\nVisualHostKey yes' h
	ssh_case auth 'BatchMode yes\nPasswordAuthentication no\nPubkeyAuthentication unbound\nKbdInteractiveAuthentication no\nPreferredAuthentications publickey,password\nNumberOfPasswordPrompts 2' h
	ssh_case conn 'ConnectTimeout 7\nConnectionAttempts 3\nServerAliveInterval 30\nServerAliveCountMax 4\nAddressFamily inet\nBindAddress 127.0.0.1\nTCPKeepAlive no' h
	ssh_case session 'RequestTTY force\nSendEnv LANG LC_*\nSendEnv FOO\nSetEnv A=b C="d e"\nLogLevel VERBOSE\nCompression yes\nRekeyLimit 512M 30m\nEscapeChar ^]' h
	ssh_case proxy 'ProxyCommand nc %h %p' h
	ssh_case jump 'ProxyJump a@b:22,c' h
	ssh_case forwards 'ForwardAgent yes\nForwardX11 yes\nLocalForward 8080 localhost:80\nLocalForward [::1]:8081 remote:81\nRemoteForward 9090 localhost:90\nDynamicForward 1080\nExitOnForwardFailure yes' h
	ssh_case control 'ControlMaster auto\nControlPath ~/.ssh/cm-%r@%h:%p\nControlPersist 10m' h
	ssh_case deprecated 'UseRoaming no\nCipher blowfish\nProtocol 2\nKeepAlive yes' h
	ssh_case firstwins 'Port 5\nPort 6\nUser a\nUser b\nIPQoS af11\nIPQoS af12\nSetEnv A=1\nSetEnv A=2 B=3' h
	ssh_case command 'UpdateHostKeys ask' h uptime
	# Bad configs.
	ssh_case bad-keyword 'Foo bar' h
	ssh_case bad-ignored 'IgnoreUnknown Foo*\nFoobar 1' h
	ssh_case bad-port 'Port x' h
	ssh_case bad-choice 'StrictHostKeyChecking maybe' h
	ssh_case bad-int 'ConnectionAttempts 99999999999' h
	ssh_case bad-mac 'MACs foo' h
	ssh_case bad-escape 'EscapeChar xy' h
	ssh_case bad-forward 'LocalForward 80' h
	ssh_case bad-match 'Match foo bar' h
	ssh_case bad-match-all 'Match all host x' h
	ssh_case bad-jump 'ProxyJump a:b:c' h
	ssh_case bad-unsupported 'RSAAuthentication yes' h
	ssh_case bad-many 'Port\nUser a b\nSendEnv A=B' h
}

if [ ! -x "$OSSH_SSH" ]; then
	skip ssh-G "no $OSSH_SSH"
else
	run_ssh_cases
fi

# ------------------------------------------------------------ known_hosts

"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/k1" &&
"$OSSH_KEYGEN" -q -t ecdsa -N '' -f "$T/k2" &&
"$OSSH_KEYGEN" -q -t ed25519 -N '' -f "$T/k3" || exit 1
{
	echo "# known hosts"
	echo "host1,10.0.0.1 $(cat "$T/k1.pub")"
	echo "[host2]:2222 $(cat "$T/k2.pub")"
	echo "host3 $(cat "$T/k2.pub")"
} >"$T/kh"
cp "$T/kh" "$T/kh.plain"
"$OSSH_KEYGEN" -q -H -f "$T/kh" >/dev/null 2>&1

kh_lookup() {
	# name file host port key want
	got=$("$DUMP" -K lookup "$2" "$3" "$4" "$5" | cut -d' ' -f1)
	if [ "$got" = "$6" ]; then
		pass "kh-$1"
	else
		fail "kh-$1" "$3:$4 in $2: $got, want $6"
	fi
}

if grep -q '^|1|' "$T/kh"; then
	kh_lookup their-hash-host1 "$T/kh" host1 22 "$T/k1.pub" OK
	kh_lookup their-hash-ip "$T/kh" 10.0.0.1 22 "$T/k1.pub" OK
	kh_lookup their-hash-port "$T/kh" host2 2222 "$T/k2.pub" OK
	kh_lookup their-hash-noport "$T/kh" host2 22 "$T/k2.pub" NEW
	kh_lookup their-hash-changed "$T/kh" host1 22 "$T/k3.pub" CHANGED
	kh_lookup plain-other-type "$T/kh.plain" host1 22 "$T/k2.pub" NEW
	# Our hash of host1 with OpenSSH's salt is OpenSSH's line.
	entry=$(sed -n 2p "$T/kh" | cut -d' ' -f1)
	salt=$(echo "$entry" | cut -d'|' -f3)
	ours=$("$DUMP" -K hash host1 "$salt")
	if [ "$ours" = "$entry" ]; then
		pass kh-same-hash
	else
		fail kh-same-hash "$ours != $entry"
	fi
else
	fail kh-openssh-hash "ssh-keygen -H did not hash $T/kh"
fi

# Our appends (hashed and plain, also after a line without newline)
# are found by ssh-keygen -F.
"$DUMP" -K add "$T/ours" host9,10.9.9.9 "$T/k1.pub" hash &&
"$DUMP" -K add "$T/ours" host8 "$T/k2.pub" &&
printf 'host7 %s' "$(cat "$T/k3.pub")" >>"$T/ours" &&
"$DUMP" -K add "$T/ours" '[host6]:2200' "$T/k3.pub" hash ||
    fail kh-add "config-dump -K add failed"
for h in host9 10.9.9.9 host8 host7 '[host6]:2200'; do
	if "$OSSH_KEYGEN" -F "$h" -f "$T/ours" | grep -q -v '^#'; then
		pass "kh-keygen-finds-$h"
	else
		fail "kh-keygen-finds-$h" "ssh-keygen -F $h found nothing"
	fi
done
kh_lookup ours-host7 "$T/ours" host7 22 "$T/k3.pub" OK
kh_lookup ours-host6 "$T/ours" host6 2200 "$T/k3.pub" OK

# Concurrent appends never interleave: every line stays whole.
i=0
while [ $i -lt 20 ]; do
	"$DUMP" -K add "$T/race" "racer$i" "$T/k1.pub" hash &
	i=$((i + 1))
done
wait
n=$("$OSSH_KEYGEN" -l -f "$T/race" 2>/dev/null | wc -l)
if [ "$n" -eq 20 ] && [ "$(wc -l <"$T/race")" -eq 20 ]; then
	pass kh-concurrent-append
else
	fail kh-concurrent-append "$n of 20 lines readable"
fi
