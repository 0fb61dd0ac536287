#!/bin/sh
# regress/lint.sh SRCDIR: mechanical checks of STYLE.md rules.
#  1. no strcpy/strcat/sprintf/vsprintf/gets/atoi anywhere in our C;
#  2. no arithmetic on pointers into wire data (what buf_ptr() and
#     buf_mutable_ptr() return) outside the buffer module and the framing
#     and AEAD files listed in ALLOW below.
set -u
src=${1:-.}
cd "$src" || exit 1
rc=0

files=$(find . -path ./regress/fuzz/corpus -prune -o \
    \( -name '*.c' -o -name '*.h' \) -print | sort)

bad=$(grep -nE '(^|[^_a-zA-Z0-9])(strcpy|strcat|sprintf|vsprintf|gets|atoi)[[:space:]]*\(' \
    $files /dev/null | grep -v 'lint: allow')
if [ -n "$bad" ]; then
	echo "lint: banned functions (STYLE.md; use strlcpy, snprintf, strtonum):"
	echo "$bad"
	rc=1
fi

# Files allowed to do arithmetic on buffer pointers.
ALLOW="./buf.c ./buf-misc.c ./packet.c ./cipher-chachapoly.c ./cipher-aesgcm.c"
for f in $files; do
	case " $ALLOW " in *" $f "*) continue ;; esac
	hits=$(grep -nE 'buf_(mutable_)?ptr\([^)]*\)[[:space:]]*(\+|-|\[)' "$f" | \
	    grep -v 'lint: allow')
	if [ -n "$hits" ]; then
		echo "lint: pointer arithmetic on wire data in $f (use buf getters):"
		echo "$hits"
		rc=1
	fi
done
exit $rc
