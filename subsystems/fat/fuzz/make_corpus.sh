#!/bin/sh
# Makes the fuzzer's seed corpus: tiny FAT12/16/32 images built with
# mkfs.fat and mtools, cut after their last used sector (the walker reads
# the rest as zeros), so each seed is a few KB.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1
cd "$tmp"
printf 'hello\n' > small
head -c 3000 /dev/zero | tr '\0' 'x' > multi

# Keeps the first $2 KiB of image $1 as seed $3.
cut_seed() {
    head -c "$(($2 * 1024))" "$1" > "$here/corpus/$3"
}

# FAT12, 64 KiB, 512-byte clusters: long names, subdirectories, a file
# over several clusters, a deleted entry.
mkfs.fat -C -F 12 -s 1 -r 32 -n SEED12 a.img 64 >/dev/null
mmd -i a.img ::/Dir ::/Dir/Sub
mcopy -i a.img small '::/A long name.txt'
mcopy -i a.img multi ::/MULTI.BIN
mcopy -i a.img small '::/Dir/Ünïcødé.txt'
mcopy -i a.img small ::/Dir/Sub/x.c
mcopy -i a.img small ::/GONE.TXT
mdel -i a.img ::/GONE.TXT
cut_seed a.img 12 fat12-tree.img

# FAT12 with 2 KiB clusters and an empty root.
mkfs.fat -C -F 12 -s 4 -r 16 b.img 64 >/dev/null
cut_seed b.img 4 fat12-empty.img

# FAT16: the smallest volume with enough clusters, 1 sector each.
mkfs.fat -C -F 16 -s 1 -r 32 -n SEED16 c.img 2200 >/dev/null
mcopy -i c.img small '::/Sixteen bit.txt'
mmd -i c.img ::/D16
cut_seed c.img 24 fat16.img

# FAT32: the FAT alone is 256 KiB, so the seed is only the reserved
# sectors (boot, FSInfo, backup) and the start of the first FAT.
mkfs.fat -C -F 32 -s 1 -n SEED32 d.img 34000 >/dev/null
cut_seed d.img 20 fat32.img

# Sparse seeds (see fat_walk.h): only the sectors that are not zero, so
# that populated FAT16 and FAT32 volumes fit in a few KB.
sparse_seed() {
    python3 - "$1" "$here/corpus/$2" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
out = bytearray(b'FATSPARS')
n = len(data) // 512
s = 0
while s < n:
    if data[s * 512:(s + 1) * 512].strip(b'\0'):
        e = s
        while e < n and e - s < 64 and data[e * 512:(e + 1) * 512].strip(b'\0'):
            e += 1
        out += struct.pack('<IH', s, e - s) + data[s * 512:e * 512]
        s = e
    else:
        s += 1
open(sys.argv[2], 'wb').write(out)
PY
}
mkfs.fat -C -F 32 -s 1 -n SEED32 e.img 34000 >/dev/null
mmd -i e.img ::/Dir32 ::/Dir32/Inner
mcopy -i e.img small '::/Long name on FAT32.txt'
mcopy -i e.img multi ::/Dir32/MULTI.BIN
mcopy -i e.img small ::/Dir32/Inner/deep.txt
sparse_seed e.img fat32-tree.sparse
mkfs.fat -C -F 16 -s 2 -n SEED16 f.img 8000 >/dev/null
mmd -i f.img ::/D
mcopy -i f.img multi '::/D/three thousand.bin'
mcopy -i f.img small ::/ROOT.TXT
sparse_seed f.img fat16-tree.sparse
ls -l "$here/corpus"
