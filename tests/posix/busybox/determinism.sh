#!/bin/sh
# Runs the busybox script twice on the host, in two differently named
# directories and environments (the second with an empty environment), and
# checks that both runs succeed and print the same bytes. Exit 77 (meson's
# "skipped") without busybox.
#
# PATH holds busybox's applets alone: busybox sh without PATH searches
# /sbin:/usr/sbin:/bin:/usr/bin, where the host's own tools would stand in
# for applets busybox lacks (Debian's busybox-static has no split).
#
# usage: determinism.sh SCRIPT [REFERENCE]
# With REFERENCE, the output is also copied there: the expected output for
# the same script run inside Persona.
script=$1
ref=$2
bb=$(command -v busybox) || {
    echo "busybox is not installed (apt-get install busybox-static): skipped"
    exit 77
}
case $script in
/*) ;;
*) script=$(pwd)/$script ;;
esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/one" "$tmp/second run, with spaces" "$tmp/bin"
for applet in $("$bb" --list); do
    ln -s "$bb" "$tmp/bin/$applet"
done

# run 1: the directory as $1, the caller's environment but PATH
PATH=$tmp/bin "$bb" sh "$script" "$tmp/one" >"$tmp/out1" 2>"$tmp/err1"
rc1=$?
# run 2: the current directory, an empty environment, another umask
(cd "$tmp/second run, with spaces" && umask 077 &&
    env -i PATH="$tmp/bin" "$bb" sh "$script") >"$tmp/out2" 2>"$tmp/err2"
rc2=$?

fail=0
for n in 1 2; do
    eval rc=\$rc$n
    if [ "$rc" != 0 ]; then
        echo "determinism: run $n exited $rc; its stderr:"
        cat "$tmp/err$n"
        fail=1
    fi
    if [ "$(tail -n 1 "$tmp/out$n")" != "script: done" ]; then
        echo "determinism: run $n did not reach the end"
        fail=1
    fi
done
if ! cmp -s "$tmp/out1" "$tmp/out2"; then
    echo "determinism: the two runs differ:"
    diff "$tmp/out1" "$tmp/out2"
    fail=1
fi
[ -n "$ref" ] && cp "$tmp/out1" "$ref"
[ "$fail" = 0 ] && echo "determinism: $(wc -l <"$tmp/out1") identical lines from two runs"
exit "$fail"
