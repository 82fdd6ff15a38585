#!/usr/bin/env python3
"""Runs a shell session on a terminal (a pty) under QEMU, step by step.

    run_tty.py KERNEL IMAGE SCRIPT

Unlike run_session.py the console is a terminal, not a pipe: it echoes and
edits lines, and programs may switch it to raw mode and read keys ahead,
so each step waits for what it expects before the next is typed.

    $ COMMAND      a line typed into the shell (Enter added) once it prompts
    < KEYS         keys typed
                   (both with Python escapes: \\x03 is Ctrl-C, \\x1b[A up)
    > REGEX        wait (at most 20 s) for output matching, after the last match
    = SECONDS      wait (for a program to start: keys typed before it reads
                   are the shell's, edited as a line)
    # ...          a comment
"""
import os
import pty
import re
import select
import sys
import time

kernel, image, script = sys.argv[1:4]
cmd = ['qemu-system-x86_64', '-kernel', kernel, '-initrd', image, '-append', 'klog=com2',
       '-m', '512M', '-cpu', 'max', '-nic', 'none', '-no-reboot', '-display', 'none',
       '-monitor', 'none', '-chardev', 'stdio,id=con,signal=off', '-serial', 'chardev:con',
       '-serial', 'null', '-device', 'isa-debug-exit,iobase=0xf4,iosize=4']
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)

out = ''
seen = 0


def expect(pattern, timeout=20.0):
    global out, seen
    rx = re.compile(pattern, re.M)
    end = time.time() + timeout
    while True:
        m = rx.search(out.replace('\b', ''), seen) if pattern != '(?!)' else None
        if m:
            seen = m.end()
            return True
        left = end - time.time()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], min(left, 0.1))
        if r:
            try:
                out += os.read(fd, 4096).decode(errors='replace').replace('\r', '')
            except OSError:
                return False


def keys(text):
    return text.encode().decode('unicode_escape').encode('latin-1')


PROMPT = r'persona:[^\n]*\$ $'
ok = True
for raw in open(script):
    line = raw.rstrip('\n')
    if not ok:
        break
    if line.startswith('$ '):
        ok = expect(PROMPT)
        if not ok:
            print('run_tty: the shell did not prompt for: %s' % line[2:])
            break
        os.write(fd, keys(line[2:] + '\r'))
    elif line.startswith('< '):
        os.write(fd, keys(line[2:]))
    elif line.startswith('= '):
        expect('(?!)', float(line[2:]))
    elif line.startswith('> '):
        ok = expect(line[2:])
        if not ok:
            print('run_tty: waited in vain for: %s' % line[2:])
os.kill(pid, 9)
os.waitpid(pid, 0)
print(out)
sys.exit(0 if ok else 1)
