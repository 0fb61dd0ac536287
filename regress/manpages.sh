# regress/manpages.sh: the manual pages format without warnings, are all
# installed, and the two configuration pages document every keyword the
# parsers accept.
#
# Keywords are read from the parsers' own tables (servconf_keywords[] and
# readconf_keywords[]), so a keyword added to a parser without a manual
# entry fails here.
. "$SRC/regress/lib/test-lib.sh"

MAN="$SRC/man"

# ------------------------------------------------------------ formatting

# Every page under groff with all warnings, then under man-db, which adds
# its own checks (and tbl/preconv).  Any output on stderr is a failure.
if command -v groff >/dev/null 2>&1; then
	for page in "$MAN"/*.[1-8]; do
		name=$(basename "$page")
		if ! groff -mandoc -ww -z "$page" >"$T/groff.out" 2>&1; then
			fail "groff-$name" "groff failed: $(head -n 3 "$T/groff.out" | tr '\n' ' ')"
		elif [ -s "$T/groff.out" ]; then
			fail "groff-$name" "warnings: $(head -n 3 "$T/groff.out" | tr '\n' ' ')"
		else
			pass "groff-$name"
		fi
	done
else
	skip groff "groff not installed (contrib/install-deps.sh installs groff-base)"
fi

if command -v man >/dev/null 2>&1; then
	for page in "$MAN"/*.[1-8]; do
		name=$(basename "$page")
		MANWIDTH=80 LC_ALL=C man --warnings -l "$page" \
		    >"$T/man.txt" 2>"$T/man.err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			fail "man-$name" "man exited $rc: $(head -n 3 "$T/man.err" | tr '\n' ' ')"
		elif [ -s "$T/man.err" ]; then
			fail "man-$name" "warnings: $(head -n 3 "$T/man.err" | tr '\n' ' ')"
		elif [ ! -s "$T/man.txt" ]; then
			fail "man-$name" "no output"
		else
			pass "man-$name"
		fi
	done
else
	skip man "man not installed (contrib/install-deps.sh installs man-db)"
fi

# ------------------------------------------------------------ installed

# Every page in man/ is on a MAN1/MAN5/MAN8 line of Makefile.in (so
# `make install` installs it) in the right section, and every listed
# page exists.
awk '/^MAN[158] *=/ { sec = substr($1, 4, 1); inlist = 1 }
    inlist {
	for (i = 1; i <= NF; i++)
		if ($i ~ /\.[158]$/) print sec, $i
	if ($NF != "\\") inlist = 0
    }' "$SRC/Makefile.in" >"$T/listed"
bad=""
for page in "$MAN"/*.[1-8]; do
	name=$(basename "$page")
	sec=${name##*.}
	grep -qx "$sec $name" "$T/listed" || bad="$bad $name"
done
while read -r sec name; do
	[ -f "$MAN/$name" ] || bad="$bad missing:$name"
done <"$T/listed"
if [ -n "$bad" ]; then
	fail man-lists "not on the right MAN line of Makefile.in:$bad"
else
	pass man-lists
fi

# ------------------------------------------------------------ keywords

# The rows of a keyword table, as "MACRO keyword A|G" lines: the first
# string of each row, the row's macro and (sshd) its where-flag.
table_rows() {
	awk -v t="$2" '
	    index($0, t "[] = {") { on = 1; next }
	    on && /\{ NULL/ { on = 0 }
	    on && match($0, /^[ \t]*[A-Z0-9_]+\("[a-z0-9]+"/) {
		row = substr($0, RSTART, RLENGTH)
		gsub(/^[ \t]*/, "", row)
		macro = row; sub(/\(.*/, "", macro)
		kw = row; sub(/^[^"]*"/, "", kw); sub(/"$/, "", kw)
		rest = substr($0, RSTART + RLENGTH)
		where = rest ~ /^, A[,)]/ ? "A" : "G"
		print macro, kw, where
	    }' "$1"
}

# "Cm Word" names anywhere in a page, lower case, one per line.
page_cm() {
	grep -o 'Cm [A-Za-z0-9]*' "$1" | sed 's/^Cm //' | tr 'A-Z' 'a-z' |
	    sort -u
}

# Names with their own ".It Cm Name" entry.
page_entries() {
	sed -n 's/^\.It Cm \([A-Za-z0-9]*\).*/\1/p' "$1" | tr 'A-Z' 'a-z' |
	    sort -u
}

# "Cm" names of one section (.Sh title) of a page.
page_section_cm() {
	awk -v s=".Sh $2" '$0 == s { on = 1; next } /^\.Sh / { on = 0 } on' \
	    "$1" | grep -o 'Cm [A-Za-z0-9]*' | sed 's/^Cm //' |
	    tr 'A-Z' 'a-z' | sort -u
}

# check_keywords NAME PAGE SOURCE TABLE ALIASES
# Every keyword of TABLE in SOURCE is documented in PAGE:
#  - DEPRECATED/UNSUPPORTED/IGNORE rows (keywords OpenSSH dropped, which
#    the parser accepts and ignores) in the OBSOLETE KEYWORDS section, or
#    with an entry of their own saying they are ignored;
#  - the ALIASES (older names of a documented keyword; the parser maps
#    them to the same setting) named in the page, in their keyword's
#    entry;
#  - every other keyword with an entry of its own.
check_keywords() {
	name=$1 page=$2 src=$3 table=$4 aliases=$5
	if [ ! -f "$page" ]; then
		fail "$name-keywords" "no page $page"
		return
	fi
	table_rows "$src" "$table" >"$T/$name.rows"
	n=$(wc -l <"$T/$name.rows")
	# A table this small means the extraction no longer understands
	# the source: fail rather than check nothing.
	if [ "$n" -lt 50 ]; then
		fail "$name-keywords" "only $n keywords read from $src"
		return
	fi
	page_cm "$page" >"$T/$name.cm"
	page_entries "$page" >"$T/$name.entries"
	page_section_cm "$page" "OBSOLETE KEYWORDS" >"$T/$name.obsolete"
	missing=""
	while read -r macro kw where; do
		case "$macro" in
		DEPRECATED|UNSUPPORTED|IGNORE)
			grep -qx "$kw" "$T/$name.obsolete" ||
			    grep -qx "$kw" "$T/$name.entries" ||
			    missing="$missing $kw(obsolete)"
			continue
			;;
		esac
		case " $aliases " in
		*" $kw "*)
			grep -qx "$kw" "$T/$name.cm" ||
			    missing="$missing $kw(alias)"
			continue
			;;
		esac
		grep -qx "$kw" "$T/$name.entries" || missing="$missing $kw"
	done <"$T/$name.rows"
	if [ -n "$missing" ]; then
		fail "$name-keywords" "not documented in $(basename "$page"):$missing"
	else
		pass "$name-keywords"
	fi
	# The other way round: the obsolete list names only keywords the
	# parser really treats as obsolete.
	extra=""
	while read -r kw; do
		grep -q "^[A-Z]* $kw " "$T/$name.rows" || {
			extra="$extra $kw"
			continue
		}
		grep -Eq "^(DEPRECATED|UNSUPPORTED|IGNORE) $kw " \
		    "$T/$name.rows" || extra="$extra $kw"
	done <"$T/$name.obsolete"
	if [ -n "$extra" ]; then
		fail "$name-obsolete" "listed as obsolete but not so in the parser:$extra"
	else
		pass "$name-obsolete"
	fi
}

# sshd_config: older names the parser maps onto a current keyword.
SSHD_ALIASES="
hostdsakey
keepalive
pubkeyacceptedkeytypes
hostbasedacceptedkeytypes
dsaauthentication
challengeresponseauthentication
skeyauthentication
"
# (HostDsaKey is HostKey; KeepAlive is TCPKeepAlive; *KeyTypes are
# *AcceptedAlgorithms; DSAAuthentication is PubkeyAuthentication;
# ChallengeResponse/Skey are KbdInteractiveAuthentication.)
SSHD_ALIASES=$(echo $SSHD_ALIASES)
check_keywords sshd_config "$MAN/sshd_config.5" "$SRC/servconf.c" \
    servconf_keywords "$SSHD_ALIASES"

# ssh_config: the same for the client.
SSH_ALIASES="
keepalive
pubkeyacceptedkeytypes
hostbasedkeytypes
challengeresponseauthentication
skeyauthentication
tisauthentication
dsaauthentication
identityfile2
smartcarddevice
"
# (KeepAlive: TCPKeepAlive; PubkeyAcceptedKeyTypes and HostbasedKeyTypes:
# the *AcceptedAlgorithms; ChallengeResponse/Skey/TIS:
# KbdInteractiveAuthentication; DSAAuthentication: PubkeyAuthentication;
# IdentityFile2: IdentityFile; SmartcardDevice: PKCS11Provider.)
SSH_ALIASES=$(echo $SSH_ALIASES)
check_keywords ssh_config "$MAN/ssh_config.5" "$SRC/readconf.c" \
    readconf_keywords "$SSH_ALIASES"

# The list of keywords allowed in an sshd_config Match block is the one
# the parser enforces (rows flagged A, without aliases and obsolete rows).
page="$MAN/sshd_config.5"
if [ -f "$page" ] && [ -s "$T/sshd_config.rows" ]; then
	awk '/^Only these keywords may be used inside a/ { on = 1; next }
	    /^Any other keyword in a/ { on = 0 } on' "$page" |
	    grep -o 'Cm [A-Za-z0-9]*' | sed 's/^Cm //' | tr 'A-Z' 'a-z' |
	    grep -vx match | sort -u >"$T/match.page"
	while read -r macro kw where; do
		[ "$where" = A ] || continue
		case "$macro" in
		DEPRECATED|UNSUPPORTED|IGNORE) continue ;;
		esac
		case " $SSHD_ALIASES match " in
		*" $kw "*) continue ;;
		esac
		echo "$kw"
	done <"$T/sshd_config.rows" | sort -u >"$T/match.table"
	if [ ! -s "$T/match.page" ]; then
		fail sshd_config-match "no Match keyword list in the page"
	elif cmp -s "$T/match.page" "$T/match.table"; then
		pass sshd_config-match
	else
		fail sshd_config-match "page and parser differ: $(diff "$T/match.table" "$T/match.page" | grep '^[<>]' | tr '\n' ' ')"
	fi
else
	skip sshd_config-match "no keyword rows (see sshd_config-keywords)"
fi

# ------------------------------------------------------------ options

# The option letters of each program's synopsis appear in its page's
# option list (".It Fl x", or ".It Fl x , Fl y" for options described
# together) and vice versa, for the two pages whose programs are in this
# issue.
check_flags() {
	name=$1 page=$2
	syn=$(awk '/^\.Sh SYNOPSIS/ { on = 1; next } /^\.Sh / { on = 0 } on' \
	    "$page" | sed -n 's/^\.Op Fl \([A-Za-z0-9]*\).*/\1/p' |
	    fold -w 1 | sort -u | tr -d '\n')
	list=$(grep '^\.It Fl ' "$page" | grep -o 'Fl [A-Za-z0-9]\( \|$\)' |
	    sed 's/^Fl //; s/ $//' | sort -u | tr -d '\n')
	if [ -z "$syn" ]; then
		fail "$name-options" "no options read from the synopsis"
	elif [ "$syn" = "$list" ]; then
		pass "$name-options"
	else
		fail "$name-options" "synopsis [$syn] but described [$list]"
	fi
}
check_flags sshd "$MAN/sshd.8"
check_flags ssh "$MAN/ssh.1"
