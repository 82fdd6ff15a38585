#!/bin/sh
# Builds the FAT fuzz target with libFuzzer, ASan and UBSan, and runs it on
# the seed corpus. Usage: run.sh [seconds] [extra libFuzzer flags...]
# Crashing inputs land in $OUT (default /tmp/fat-fuzz); copy each one to
# ../tests/regress/ after fixing it, so that the unit tests replay it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fat=$(dirname "$here")
root=$(cd "$fat/../.." && pwd)
secs=${1:-300}
[ $# -gt 0 ] && shift
out=${OUT:-/tmp/fat-fuzz}
mkdir -p "$out/corpus" "$out/crashes"
cp -n "$here"/corpus/* "$out/corpus/" 2>/dev/null || true

clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$fat" -I"$fat/include" -I"$root/subsystems/fs/include" -I"$root/subsystems/fs" \
    -I"$root/abi" -I"$root/subsystems/lib/charset" \
    "$fat"/*.c "$fat/tests/fat_walk.c" "$root/subsystems/fs/node.c" "$here/fuzz_fat.c" \
    "$root/subsystems/lib/charset/cp437.c" \
    -o "$out/fuzz_fat"

cd "$out"
exec ./fuzz_fat -max_total_time="$secs" -max_len=1048576 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1 "$@" corpus
