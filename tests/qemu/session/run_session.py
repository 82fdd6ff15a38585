#!/usr/bin/env python3
"""Runs a scripted shell session under QEMU and checks its output.

    run_session.py KERNEL IMAGE SESSION

SESSION is a file of commands and expectations:

    $ COMMAND        a line typed into the shell
    > REGEX          a line the output must contain, after the previous match
    ! REGEX          a line that must not appear anywhere in the output
    # ...            a comment

The shell's input is a pipe (console=pipe); after the last command the
input ends (byte 0x04), which ends the shell, and smss shuts down. System
messages go to COM2 and are checked only by 'log>' lines:

    log> REGEX       a line the kernel log must contain (in order)

A session may have a disk (virtio-blk), made for it in a temporary file:

    disk> blank MIB  a disk of MIB MiB of zeros
"""
import os
import re
import subprocess
import sys
import tempfile

kernel, image, session = sys.argv[1:4]
commands, expect, forbid, log_expect, disk = [], [], [], [], None
for raw in open(session):
    line = raw.rstrip('\n')
    if line.startswith('$ '):
        commands.append(line[2:])
    elif line.startswith('> '):
        expect.append(line[2:])
    elif line.startswith('! '):
        forbid.append(line[2:])
    elif line.startswith('log> '):
        log_expect.append(line[5:])
    elif line.startswith('disk> '):
        disk = line[6:].split()

with tempfile.TemporaryDirectory() as tmp:
    log_path = os.path.join(tmp, 'klog')
    cmd = ['qemu-system-x86_64', '-kernel', kernel, '-initrd', image,
           '-append', 'klog=com2 console=pipe session=/bin/shell',
           '-m', '512M', '-cpu', 'max', '-nic', 'none', '-no-reboot', '-display', 'none',
           '-monitor', 'none', '-serial', 'stdio', '-serial', 'file:' + log_path,
           '-device', 'isa-debug-exit,iobase=0xf4,iosize=4']
    if disk:
        disk_path = os.path.join(tmp, 'disk.img')
        if disk[0] == 'blank' and len(disk) == 2:
            with open(disk_path, 'wb') as f:
                f.truncate(int(disk[1]) << 20)
        else:
            sys.exit('run_session: unknown disk kind: %s' % ' '.join(disk))
        cmd += ['-drive', 'file=%s,if=virtio,format=raw' % disk_path]
    stdin = ('\n'.join(commands) + '\n').encode() + b'\x04'
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=120)
        out = p.stdout.decode(errors='replace')
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace')
        print(out)
        print('run_session: timed out')
        sys.exit(1)
    log = open(log_path, errors='replace').read()

print(out)
ok = True
lines = out.splitlines()
pos = 0
for pattern in expect:
    rx = re.compile(pattern)
    while pos < len(lines) and not rx.search(lines[pos]):
        pos += 1
    if pos == len(lines):
        print('run_session: expected, in order, a line matching: %s' % pattern)
        ok = False
        break
    pos += 1
for pattern in forbid:
    for l in lines:
        if re.search(pattern, l):
            print('run_session: forbidden line: %s' % l)
            ok = False
log_lines = log.splitlines()
pos = 0
for pattern in log_expect:
    rx = re.compile(pattern)
    while pos < len(log_lines) and not rx.search(log_lines[pos]):
        pos += 1
    if pos == len(log_lines):
        print('run_session: expected in the kernel log, in order: %s' % pattern)
        print('---- kernel log ----\n' + log)
        ok = False
        break
    pos += 1
sys.exit(0 if ok else 1)
