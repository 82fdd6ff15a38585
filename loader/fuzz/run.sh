#!/bin/sh
# Builds and runs the loader's libFuzzer targets (clang, ASan + UBSan).
#
#   loader/fuzz/run.sh [SECONDS [TARGET...]]   fuzz each target (default 60 s, all)
#   loader/fuzz/run.sh seeds                   rewrite the seed corpora
#
# Work happens in build-fuzz/ at the top of the tree: the growing corpus of
# each target is build-fuzz/corpus-TARGET (seeded from loader/fuzz/corpus/),
# and crashing inputs land in build-fuzz/crashes/. Copy a crash to
# loader/tests/regress/ (named after the bug) once it is fixed: the unit
# tests replay that directory and the seed corpora under ASan.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out="$top/build-fuzz"
targets="elf mz ne bootimg"
CC=${CC:-clang}
cflags="-g -O1 -std=gnu11 -Wall -Wextra -Werror -I$top/loader/include -I$top/abi"
lib="$top/loader"
srcs="$lib/bootimg.c $lib/bootimg_find.c $lib/com.c $lib/crc32.c $lib/detect.c \
      $lib/elf64.c $lib/mz.c $lib/ne.c $lib/ne_access.c $lib/status.c $here/exercise.c"

mkdir -p "$out"

if [ "${1:-}" = seeds ]; then
    $CC $cflags -o "$out/seeds" "$here/seeds.c" "$top/loader/tests/elfgen.c" \
        "$top/loader/tests/negen.c" "$lib/crc32.c"
    for t in $targets; do mkdir -p "$here/corpus/$t"; done
    "$out/seeds" "$here/corpus"
    exit 0
fi

secs=${1:-60}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && targets="$*"

for t in $targets; do
    $CC $cflags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -o "$out/fuzz_$t" "$here/fuzz_$t.c" $srcs
done

mkdir -p "$out/crashes"
status=0
for t in $targets; do
    mkdir -p "$out/corpus-$t"
    echo "== fuzz_$t for ${secs}s"
    "$out/fuzz_$t" -max_total_time="$secs" -max_len=65536 -timeout=10 \
        -artifact_prefix="$out/crashes/$t-" -print_final_stats=1 \
        "$out/corpus-$t" "$here/corpus/$t" 2>&1 | tail -n 12 || status=1
done
exit $status
