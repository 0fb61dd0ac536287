#!/bin/sh
# regress/agent-interop.sh: our ssh-agent and ssh-add against OpenSSH's,
# in both directions, for every key type.
#
# For each pairing (OpenSSH's agent with our ssh-add, our agent with
# OpenSSH's ssh-add): keys added by one ssh-add are listed identically
# (-l, -E md5 -l, -L) by both ssh-adds, sign through -T for both, and
# are removed, expired, locked and unlocked, confirmed and refused across
# the pairing.  Then one scripted session of ssh-add commands is run for
# all four combinations of agent and ssh-add; every transcript (exit
# codes, stdout, stderr) must equal OpenSSH's with OpenSSH's.

. "$SRC/regress/lib/test-lib.sh"
. "$SRC/regress/lib/agent-lib.sh"

if [ ! -x "$AGENT" ] || [ ! -x "$ADD" ]; then
	skip agent-interop "ssh-agent or ssh-add not built"
	exit 0
fi
if [ ! -x "$OSSH_AGENT" ] || [ ! -x "$OSSH_ADD" ]; then
	skip agent-interop "OpenSSH ssh-agent/ssh-add not installed"
	exit 0
fi
agent_keys || { fail agent-keys "ssh-keygen failed"; exit 0; }
K=$T/k

other() {
	if [ "$1" = ours ]; then echo theirs; else echo ours; fi
}

# same_output NAME ARGS...: both ssh-adds print the same for ARGS.
same_output() {
	sn=$1
	shift
	add ours "$@" >"$T/so.ours" 2>&1
	r1=$?
	add theirs "$@" 2>&1 | tr -d '\r' >"$T/so.theirs"
	if [ $r1 -eq 0 ] && cmp -s "$T/so.ours" "$T/so.theirs"; then
		pass "$sn"
	else
		fail "$sn" "exit $r1; ours '$(head -c 200 "$T/so.ours")' theirs '$(head -c 200 "$T/so.theirs")'"
	fi
}

cat >"$T/confirm" <<EOF
#!/bin/sh
cat "$T/confirm.answer"
EOF
chmod 755 "$T/confirm"
printf '#!/bin/sh\necho lockword\n' >"$T/lockpass"
chmod 755 "$T/lockpass"

for agent in theirs ours; do
	adder=$(other "$agent")
	p="$agent-agent"
	export SSH_ASKPASS="$T/confirm" SSH_ASKPASS_REQUIRE=force
	agent_start "$agent" || { fail "$p-start" "no agent"; continue; }
	unset SSH_ASKPASS SSH_ASKPASS_REQUIRE

	for kt in $AGENT_KEYTYPES; do
		expect "$p-add-$kt" 0 add "$adder" "$K/$kt"
	done
	same_output "$p-list-l" -l
	same_output "$p-list-l-md5" -E md5 -l
	same_output "$p-list-L" -L
	# -L gives back exactly the .pub lines.
	cat "$K"/ed25519.pub "$K"/ecdsa256.pub "$K"/ecdsa384.pub \
	    "$K"/ecdsa521.pub "$K"/rsa.pub >"$T/want.L"
	add ours -L >"$T/got.L" 2>&1
	check "$p-list-L-pubfiles" cmp -s "$T/want.L" "$T/got.L"
	for kt in $AGENT_KEYTYPES; do
		expect "$p-test-ours-$kt" 0 add ours -T "$K/$kt.pub"
		expect "$p-test-theirs-$kt" 0 add theirs -T "$K/$kt.pub"
	done

	# Removal by one, seen by the other.
	expect "$p-remove" 0 add "$adder" -d "$K/ecdsa384"
	add "$agent" -l >"$T/l.out" 2>&1
	if grep -q key-ecdsa384 "$T/l.out" ||
	    ! grep -q key-ecdsa521 "$T/l.out"; then
		fail "$p-remove-seen" "$(cat "$T/l.out")"
	else
		pass "$p-remove-seen"
	fi
	expect "$p-test-removed" 1 add "$agent" -T "$K/ecdsa384.pub"

	# Lock by one, unlock by the other.
	expect "$p-lock" 0 env SSH_ASKPASS="$T/lockpass" \
	    SSH_ASKPASS_REQUIRE=force setsid -w "$(add_prog "$adder")" -x
	expect "$p-locked-list" 1 add "$agent" -l
	expect "$p-locked-test" 1 add "$adder" -T "$K/ed25519.pub"
	expect "$p-unlock" 0 env SSH_ASKPASS="$T/lockpass" \
	    SSH_ASKPASS_REQUIRE=force setsid -w "$(add_prog "$agent")" -X
	expect "$p-unlocked-test" 0 add "$adder" -T "$K/rsa.pub"

	# Confirmation asked by the agent, signing asked by either.
	expect "$p-add-confirm" 0 add "$adder" -c "$K/ecdsa384"
	echo yes >"$T/confirm.answer"
	expect "$p-confirm-yes" 0 add "$agent" -T "$K/ecdsa384.pub"
	echo no >"$T/confirm.answer"
	expect "$p-confirm-no" 1 add "$adder" -T "$K/ecdsa384.pub"

	# A lifetime set by one expires in the other.
	expect "$p-add-lifetime" 0 add "$adder" -t 1 "$K/ed25519"
	sleep 2.2
	add "$agent" -l >"$T/l.out" 2>&1
	if grep -q key-ed25519 "$T/l.out"; then
		fail "$p-lifetime" "$(cat "$T/l.out")"
	else
		pass "$p-lifetime"
	fi

	expect "$p-remove-all" 0 add "$adder" -D
	expect "$p-empty" 1 add "$agent" -l
	agent_stop
done

# ------------------------------------------------------------ transcripts

# One session of ssh-add commands; the output names programs as ADD.
transcript() {
	tw_agent=$1 tw_add=$2
	prog=$(add_prog "$tw_add")
	export SSH_ASKPASS="$T/lockpass" SSH_ASKPASS_REQUIRE=force
	agent_start "$tw_agent" || return 1
	(
		cd "$K" || exit 1
		r() {
			setsid -w "$prog" "$@" >"$T/r.out" 2>"$T/r.err" </dev/null
			echo "## $* -> $?"
			sed 's/^/  OUT: /' "$T/r.out"
			sed 's/^/  ERR: /' "$T/r.err"
		}
		r -l
		r -L
		r ed25519
		r -t 100 -c ecdsa384
		r -q rsa
		r -l
		r -E md5 -l
		r -L
		r -T ed25519.pub rsa.pub
		r -T nonexist
		r -d ed25519
		r -d ed25519
		r -d nonexist
		r nonexist
		r -x
		r -l
		r -x
		r ed25519
		r -D
		r -X
		r -X
		r -d rsa.pub
		r -D
		r -D
		r -t bogus ed25519
		r -E bogus -l
		r -T
		r -l -D
		r -Z
	) | tr -d '\r' | sed "s#$prog#ADD#g" >"$T/tr.$tw_agent.$tw_add"
	unset SSH_ASKPASS SSH_ASKPASS_REQUIRE
	agent_stop
}

if transcript theirs theirs; then
	for combo in "theirs ours" "ours theirs" "ours ours"; do
		# shellcheck disable=SC2086
		set -- $combo
		transcript "$1" "$2"
		n="transcript-$1-agent-$2-add"
		if cmp -s "$T/tr.theirs.theirs" "$T/tr.$1.$2"; then
			pass "$n"
		else
			fail "$n" "$(diff "$T/tr.theirs.theirs" "$T/tr.$1.$2" | head -n 12 | tr '\n' '|')"
		fi
	done
else
	fail transcript "could not start OpenSSH's agent"
fi
