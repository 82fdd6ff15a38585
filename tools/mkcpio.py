#!/usr/bin/env python3
"""Writes a newc cpio archive (a Linux initramfs) from SRC=DEST pairs.

    mkcpio.py OUT SRC=/dest ... [--link /dest=/target]... [--dir /d]...

Used by ./persona bench to boot Debian's Linux kernel with busybox and the
benchmark program, for the figures Persona is compared with."""
import os
import stat
import sys

out = sys.argv[1]
entries = []
args = sys.argv[2:]
i = 0
while i < len(args):
    a = args[i]
    if a in ('--link', '--dir'):
        entries.append((a, args[i + 1]))
        i += 2
    else:
        entries.append(('--file', a))
        i += 1

ino = [1]


def header(name, mode, size, nlink=1):
    ino[0] += 1
    fields = [ino[0], mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    h = '070701' + ''.join('%08X' % f for f in fields)
    return h.encode() + name.encode() + b'\0'


def pad(b):
    return b + b'\0' * ((4 - len(b) % 4) % 4)


data = b''
dirs = set()


def add_dirs(path):
    global data
    parts = path.strip('/').split('/')[:-1]
    for n in range(1, len(parts) + 1):
        d = '/'.join(parts[:n])
        if d not in dirs:
            dirs.add(d)
            data += pad(header(d, stat.S_IFDIR | 0o755, 0, 2))


for kind, spec in entries:
    if kind == '--dir':
        add_dirs(spec.rstrip('/') + '/x')
        continue
    dest_src = spec.split('=', 1)
    if kind == '--link':
        dest, target = dest_src
        add_dirs(dest)
        data += pad(header(dest.lstrip('/'), stat.S_IFLNK | 0o777, len(target)))
        data += pad(target.encode())
        continue
    src, dest = dest_src
    add_dirs(dest)
    body = open(src, 'rb').read()
    mode = os.stat(src).st_mode & 0o777
    data += pad(header(dest.lstrip('/'), stat.S_IFREG | mode, len(body)))
    data += pad(body)
data += pad(header('TRAILER!!!', 0, 0))
open(out, 'wb').write(data)
