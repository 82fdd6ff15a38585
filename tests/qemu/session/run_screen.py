#!/usr/bin/env python3
"""The console on a QEMU with a screen and a keyboard: keys typed on the
PS/2 keyboard (QEMU's monitor command sendkey) reach the shell, and what
the shell prints appears both on the serial line and in VGA text memory
(read back with the monitor's xp command); after the console server is
crashed and restarted, the shell goes on reading from it.

    run_screen.py KERNEL IMAGE
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

kernel, image = sys.argv[1:3]
tmp = tempfile.mkdtemp()
mon_path = os.path.join(tmp, 'monitor')
cmd = ['qemu-system-x86_64', '-kernel', kernel, '-initrd', image,
       '-append', 'klog=com2 session=/bin/shell',
       '-m', '512M', '-cpu', 'max', '-nic', 'none', '-no-reboot', '-display', 'none',
       '-monitor', 'unix:%s,server,nowait' % mon_path,
       '-serial', 'stdio', '-serial', 'file:' + os.path.join(tmp, 'klog'),
       '-device', 'isa-debug-exit,iobase=0xf4,iosize=4']
qemu = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
serial = []


def reader():
    for chunk in iter(lambda: qemu.stdout.read1(4096), b''):
        serial.append(chunk.decode(errors='replace'))


threading.Thread(target=reader, daemon=True).start()


def wait_serial(text, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        if text in ''.join(serial):
            return True
        time.sleep(0.05)
    return False


def fail(why):
    print(''.join(serial))
    print('run_screen: ' + why)
    qemu.kill()
    sys.exit(1)


for _ in range(100):
    try:
        mon = socket.socket(socket.AF_UNIX)
        mon.connect(mon_path)
        break
    except OSError:
        time.sleep(0.05)
else:
    fail('no QEMU monitor')
mon.settimeout(10)


def monitor(command):
    mon.sendall((command + '\n').encode())
    out = b''
    while not out.endswith(b'(qemu) '):
        out += mon.recv(65536)
    return out.decode(errors='replace')


monitor('')
KEYS = {' ': 'spc', '\n': 'ret', '-': 'minus', '.': 'dot', '/': 'slash', '$': 'shift-4',
        '?': 'shift-slash'}


def type_text(text):
    for ch in text:
        if ch in KEYS:
            key = KEYS[ch]
        elif ch.isupper():
            key = 'shift-' + ch.lower()
        else:
            key = ch
        monitor('sendkey ' + key)


def screen():
    """The 80x25 text screen as lines, from VGA memory."""
    dump = monitor('xp /2000hx 0xb8000')
    words = []
    for line in dump.splitlines():  # "00000000000b8000: 0x0750 0x0765 ..."
        m = re.match(r'^\s*[0-9a-f]+: (.*)$', line)
        if m:
            words += [int(w, 16) for w in re.findall(r'0x([0-9a-f]{4})', m.group(1))]
    chars = ''.join(chr(w & 0xff) if 32 <= (w & 0xff) < 127 else ' ' for w in words[:2000])
    return [chars[i:i + 80].rstrip() for i in range(0, len(chars), 80)]


if not wait_serial('persona:/$ '):
    fail('no prompt on the serial line')
type_text('echo Typed on the PS/2 keyboard\n')
if not wait_serial('\nTyped on the PS/2 keyboard'):
    fail('the keyboard did not reach the shell')
# History: the up arrow brings the line back.
monitor('sendkey up')
monitor('sendkey ret')
time.sleep(1)
if ''.join(serial).count('Typed on the PS/2 keyboard\r\n') < 2:
    fail('up arrow and Enter did not repeat the line from history')
lines = screen()
ok = True
for want in ['persona:/$ echo Typed on the PS/2 keyboard', 'Typed on the PS/2 keyboard']:
    if want not in lines:
        print('run_screen: not on the VGA screen: %r' % want)
        ok = False
if not ok:
    print('---- VGA screen ----\n' + '\n'.join(lines))
# The console server dies and comes back: the shell carries on with it,
# on both screens.
type_text('crash console\n')
if not wait_serial('shell: the console restarted'):
    fail('the shell did not come back after the console restarted')
type_text('echo back again\n')
if not wait_serial('\nback again'):
    fail('the keyboard does not reach the shell after the console restarted')
type_text('shutdown\n')
try:
    qemu.wait(30)
except subprocess.TimeoutExpired:
    fail('no shutdown')
print(''.join(serial))
sys.exit(0 if ok else 1)
