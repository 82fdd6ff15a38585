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
    log! REGEX       a line that must not appear anywhere in the kernel log

A session may have a disk (virtio-blk), made for it in a temporary file,
and may boot more than once with it:

    disk> blank MIB        a disk of MIB MiB of zeros
    disk> fat MIB [BITS]   a FAT disk made by mkfs.fat (FAT BITS: 12, 16, 32)
    disk-put> FILE NAME    copies FILE (relative to the session file, or with
                           build: to the build directory) onto the FAT disk
                           as NAME, with mtools, before booting
    disk-cmd> COMMAND      runs on the host after the files are on the disk
                           and before booting, with $DISK naming the image
                           and the session file's directory current
    --- reboot             ends this boot's commands; the next ones run in a
                           new boot with the same disk ('>' and 'log>' lines
                           are matched against all boots' output in order)
    after> SHELL-COMMAND   run on the host after the last boot, with $DISK
                           naming the image; it must exit with status 0
"""
import os
import re
import subprocess
import sys
import tempfile

kernel, image, session = sys.argv[1:4]
boots, expect, forbid, log_expect, after, puts, disk_cmds = [[]], [], [], [], [], [], []
log_forbid = []
disk = None
for raw in open(session):
    line = raw.rstrip('\n')
    if line.startswith('$ '):
        boots[-1].append(line[2:])
    elif line.startswith('> '):
        expect.append(line[2:])
    elif line.startswith('! '):
        forbid.append(line[2:])
    elif line.startswith('log> '):
        log_expect.append(line[5:])
    elif line.startswith('log! '):
        log_forbid.append(line[5:])
    elif line.startswith('disk> '):
        disk = line[6:].split()
    elif line.startswith('disk-put> '):
        puts.append(line[10:].split())
    elif line.startswith('disk-cmd> '):
        disk_cmds.append(line[10:])
    elif line.startswith('after> '):
        after.append(line[7:])
    elif line.strip() == '--- reboot':
        boots.append([])


def make_disk(path):
    kind = disk[0]
    mib = int(disk[1])
    if kind == 'blank' and len(disk) == 2:
        with open(path, 'wb') as f:
            f.truncate(mib << 20)
    elif kind == 'fat' and len(disk) in (2, 3):
        bits = ['-F', disk[2]] if len(disk) == 3 else []
        subprocess.run(['mkfs.fat', '-C', '-n', 'PERSONA'] + bits + [path, str(mib * 1024)],
                       check=True, stdout=subprocess.DEVNULL)
        here = os.path.dirname(os.path.abspath(session))
        for src, name in puts:
            src = src[6:] if src.startswith('build:') else os.path.join(here, src)
            subprocess.run(['mcopy', '-i', path, src, '::' + name], check=True)
    else:
        sys.exit('run_session: unknown disk kind: %s' % ' '.join(disk))
    for c in disk_cmds:
        subprocess.run(c, shell=True, check=True, env=dict(os.environ, DISK=path),
                       cwd=os.path.dirname(os.path.abspath(session)))


out, log, ok = '', '', True
with tempfile.TemporaryDirectory() as tmp:
    disk_path = os.path.join(tmp, 'disk.img')
    if disk:
        make_disk(disk_path)
    for n, commands in enumerate(boots):
        log_path = os.path.join(tmp, 'klog%d' % n)
        cmd = ['qemu-system-x86_64', '-kernel', kernel, '-initrd', image,
               '-append', 'klog=com2 console=pipe session=/bin/shell',
               '-m', '512M', '-cpu', 'max', '-nic', 'none', '-no-reboot', '-display', 'none',
               '-monitor', 'none', '-serial', 'stdio', '-serial', 'file:' + log_path,
               '-device', 'isa-debug-exit,iobase=0xf4,iosize=4']
        if disk:
            cmd += ['-drive', 'file=%s,if=virtio,format=raw' % disk_path]
        stdin = ('\n'.join(commands) + '\n').encode() + b'\x04'
        try:
            p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=120)
            out += p.stdout.decode(errors='replace')
        except subprocess.TimeoutExpired as e:
            print(out + (e.stdout or b'').decode(errors='replace'))
            print('run_session: boot %d timed out' % (n + 1))
            sys.exit(1)
        log += open(log_path, errors='replace').read()
    for a in after:
        r = subprocess.run(a, shell=True, env=dict(os.environ, DISK=disk_path),
                           capture_output=True, text=True)
        if r.returncode != 0:
            print('run_session: after-check failed (status %d): %s\n%s%s'
                  % (r.returncode, a, r.stdout, r.stderr))
            ok = False

print(out)
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
for pattern in log_forbid:
    for l in log_lines:
        if re.search(pattern, l):
            print('run_session: forbidden line in the kernel log: %s' % l)
            ok = False
sys.exit(0 if ok else 1)
