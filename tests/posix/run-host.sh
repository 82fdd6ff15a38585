#!/bin/sh
# Runs one POSIX test program natively on the host, as meson's suite
# posix-host does, and holds it to the rule every test program follows:
# exit status 0 and, as its last line, "NAME: N checks passed".
#
# usage: run-host.sh PROGRAM [ARGS...]
prog=$1
shift
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$prog" "$@" >"$out" 2>&1
rc=$?
cat "$out"
last=$(tail -n 1 "$out")
case $last in
*": "*" checks passed") ;;
*)
    echo "run-host: $prog: last line is not 'NAME: N checks passed'"
    [ "$rc" = 0 ] && rc=1
    ;;
esac
exit "$rc"
