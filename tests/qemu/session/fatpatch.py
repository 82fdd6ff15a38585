#!/usr/bin/env python3
"""Damages a FAT12/16 image on purpose, for the corrupt-disk session.

    fatpatch.py IMAGE OP [NAME]

OP is one of:
    loop NAME      NAME's first cluster points to itself (a chain that loops)
    outside NAME   NAME's first cluster points past the end of the volume
    badstart NAME  NAME's directory entry starts at a cluster past the end
    bootsig        the boot sector loses its 55AA signature

NAME is an 8.3 name in the root directory, as DOS stores it (upper case).
"""
import struct
import sys


def main():
    path, op = sys.argv[1], sys.argv[2]
    with open(path, 'r+b') as f:
        img = bytearray(f.read())
        if op == 'bootsig':
            img[510:512] = b'\0\0'
        else:
            patch(img, op, sys.argv[3])
        f.seek(0)
        f.write(img)


def patch(img, op, name):
    bps, spc, reserved, nfats, root_entries, total16 = struct.unpack_from('<HBHBHH', img, 11)
    fatsz, = struct.unpack_from('<H', img, 22)
    total32, = struct.unpack_from('<I', img, 32)
    total = total16 or total32
    root = (reserved + nfats * fatsz) * bps
    data_start = reserved + nfats * fatsz + (root_entries * 32 + bps - 1) // bps
    clusters = (total - data_start) // spc
    fat16 = clusters >= 4085
    base, ext = (name.split('.') + [''])[:2]
    want = base.ljust(8).encode() + ext.ljust(3).encode()
    for i in range(root_entries):
        off = root + 32 * i
        if img[off:off + 11] == want:
            break
    else:
        sys.exit('fatpatch: %s is not in the root directory' % name)
    first, = struct.unpack_from('<H', img, off + 26)
    beyond = clusters + 10
    if op == 'badstart':
        struct.pack_into('<H', img, off + 26, beyond)
        return
    value = first if op == 'loop' else beyond
    for n in range(nfats):
        fat = (reserved + n * fatsz) * bps
        if fat16:
            struct.pack_into('<H', img, fat + 2 * first, value)
        else:
            at = fat + first * 3 // 2
            word, = struct.unpack_from('<H', img, at)
            word = (word & 0x000F) | (value << 4) if first & 1 else (word & 0xF000) | value
            struct.pack_into('<H', img, at, word)


main()
