#!/usr/bin/env python3
"""Runs one DOS program test through dosrun and checks what it did.

Each case below names a program built by dos/tests/meson.build (or bytes
made here, for the broken images), the files drive C: starts with, the
keyboard or standard input, and what must come out: standard output byte
for byte, the exit status, lines expected on standard error, and the files
left behind. Drive C: is a fresh temporary directory holding the program.

    dostest.py --list
    dostest.py --dosrun PATH --progs DIR [--skip REASON] CASE
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77


def mz(code=b'\xb8\x09\x4c\xcd\x21', header_paras=2, relocs=(), minalloc=0x10,
       maxalloc=0xFFFF, pages=None, last=None, reloc_off=None, nrelocs=None, total=None):
    """An MZ image: header (with relocations), then code, with any field
    overridable to break it."""
    reloc_off = 0x1C if reloc_off is None else reloc_off
    header = bytearray(header_paras * 16)
    table = b''.join(struct.pack('<HH', off, seg) for off, seg in relocs)
    if 0x1C + len(table) <= len(header):
        header[0x1C:0x1C + len(table)] = table
    image = bytes(header) + code
    size = len(image) if total is None else total
    fields = struct.pack('<2sHHHHHHHHHHHHH', b'MZ',
                         size % 512 if last is None else last,
                         (size + 511) // 512 if pages is None else pages,
                         len(relocs) if nrelocs is None else nrelocs,
                         header_paras, minalloc, maxalloc, 0, 0x100, 0, 0, 0, reloc_off, 0)
    return fields + image[len(fields):]


GOOD = mz()
BROKEN = {
    'SHORT.EXE': b'MZ' + bytes(10),
    'TRUNC.EXE': mz(pages=3, last=0),
    'BIGHDR.EXE': mz(header_paras=0x40, total=200)[:200],
    'RELOC.EXE': mz(reloc_off=0x400, nrelocs=2),
    'BADREL.EXE': mz(relocs=[(0, 0x100)]),
    'BIG.COM': b'\x90' * 70000,
    'HUGE.EXE': mz(minalloc=0xF000),
    'GOOD.EXE': GOOD,
}

CASES = {
    'hello': dict(
        prog='HELLO.COM',
        out=b'Hello from DOS\r\nWritten to handle 1\r\n'),
    'hello-console': dict(
        # Standard output is the console: the same text through BIOS teletype.
        prog='HELLO.COM', flags=['-o'],
        out=b'Hello from DOS\r\nWritten to handle 1\r\n'),
    'hello-lowercase-name': dict(
        prog='HELLO.COM', name='hello.com',
        out=b'Hello from DOS\r\nWritten to handle 1\r\n'),
    'command-tail': dict(
        prog='TAIL.COM', args=['A:FOO.TXT', 'bar.c', 'extra'], rc=3,
        out=b'len=22 tail=[ A:FOO.TXT bar.c extra]0D\r\n'
            b'fcb1=01:FOO     TXT fcb2=00:BAR     C  \r\n'
            b'name=C:\\TAIL.COM\r\n'),
    'file-io': dict(
        prog='FILES.COM',
        out=b'create handle=0005\r\n'
            b'write CF=0 AX=001A\r\n'
            b'seek CF=0 AX=000A\r\n'
            b'read CF=0 AX=0005 [KLMNO]\r\n'
            b'size CF=0 AX=001A\r\n'
            b'seek back CF=0 AX=FFDA DX=FFFF\r\n'
            b'read via dup position CF=0 AX=0002 [YZ]\r\n'
            b'truncated size CF=0 AX=0004\r\n'
            b'close again CF=1 AX=0006\r\n'
            b'attr CX=0001\r\n'
            b'open r/o for write CF=1 AX=0005\r\n'
            b'delete r/o CF=1 AX=0005\r\n'
            b'rename CF=0\r\n'
            b'open old name CF=1 AX=0002\r\n'
            b'delete CF=0\r\n'
            b'delete again CF=1 AX=0002\r\n',
        gone=['TEST.DAT', 'NEW.DAT', 'test.dat']),
    'find-first-next': dict(
        prog='DIR.COM', at='BIN',
        files={'A.TXT': b'abc', 'B.TXT': b'xy', 'C.DAT': b'12345', 'SUB/INSIDE.TXT': b'inside',
               'notdos-long-name.txt': b'invisible'},
        out=b'20 3 A.TXT\r\n20 2 B.TXT\r\n20 5 C.DAT\r\nend AX=0012\r\n'
            b'-- with directories:\r\n'
            b'20 3 A.TXT\r\n20 2 B.TXT\r\n10 0 BIN\r\n20 5 C.DAT\r\n10 0 SUB\r\n'
            b'end AX=0012\r\n'
            b'-- *.TXT:\r\n20 3 A.TXT\r\n20 2 B.TXT\r\nend AX=0012\r\n'
            b'-- SUB\\*.*:\r\n10 0 .\r\n10 0 ..\r\n20 6 INSIDE.TXT\r\nend AX=0012\r\n'
            b'-- none:\r\nend AX=0012\r\n'
            b'-- bad path:\r\nend AX=0003\r\n'
            b'mkdir CF=0\r\n'
            b'mkdir again CF=1 AX=0005\r\n'
            b'cwd=\\NEWDIR\r\n'
            b'rmdir current CF=1 AX=0010\r\n'
            b'rmdir CF=0\r\n'
            b'rmdir non-empty CF=1 AX=0005\r\n',
        gone=['NEWDIR']),
    'exec-child': dict(
        prog='PARENT.COM', extra=['CHILD.COM'],
        out=b'shrink CF=0\r\n'
            b'child: tail=[ hello 42] parent is caller: yes\r\n'
            b'exec CF=0\r\n'
            b'child returned AH=00 AL=42\r\n'
            b'asked again AX=0000\r\n'
            b'PSP back: yes\r\n'
            b'exec missing CF=1 AX=0002\r\n'),
    'memory': dict(
        prog='MEM.COM',
        out=b'shrink self CF=0\r\n'
            b'alloc 1000 CF=0\r\n'
            b'alloc FFFF CF=1 AX=0008\r\n'
            b'alloc largest CF=0\r\n'
            b'alloc 1 when full CF=1 AX=0008 BX=0000\r\n'
            b'free CF=0\r\n'
            b'shrink to 100 CF=0\r\n'
            b'grow to 800 CF=0\r\n'
            b'grow to FFFF CF=1 AX=0008 max is largest+1001: yes\r\n'
            b'free blk1 CF=0\r\n'
            b'free bogus CF=1 AX=0009\r\n'
            b'alloc after damage CF=1 AX=0007\r\n'
            b'free damaged CF=1 AX=0007\r\n'),
    'video-memory': dict(
        # "hi" streams out; the pokes into B800:0 switch the terminal to a
        # cleared, cursor-addressed copy of the screen.
        prog='SCREEN.COM', flags=['-o'],
        out=b'hi\r\n'
            b'\x1b[0;37;40m\x1b[2J'
            b'\x1b[1;1Hhi'
            b'\x1b[1;11H\x1b[0;97;44mAB'
            b'\x1b[3;6H\x1b[0;93;41m\xe2\x95\x94'
            b'\x1b[4;1H\x1b[0;37;40m*'
            b'\x1b[?25h'
            b'\x1b[0m\x1b[?25h\x1b[25;1H\r\n'),
    'bad-handles-and-paths': dict(
        prog='ERRORS.COM',
        files={'EXISTS.TXT': b'x', 'SUBDIR/': None},
        out=b'close 99 CF=1 AX=0006\r\n'
            b'read 200 CF=1 AX=0006\r\n'
            b'write 15 CF=1 AX=0006\r\n'
            b'seek 7 CF=1 AX=0006\r\n'
            b'open missing file CF=1 AX=0002\r\n'
            b'open missing dir CF=1 AX=0003\r\n'
            b'open access 3 CF=1 AX=000C\r\n'
            b'open directory CF=1 AX=0005\r\n'
            b'create in missing dir CF=1 AX=0003\r\n'
            b'create new on existing CF=1 AX=0050\r\n'
            b'chdir missing CF=1 AX=0003\r\n'
            b'chdir to a file CF=1 AX=0003\r\n'
            b'rmdir missing CF=1 AX=0003\r\n'
            b'delete missing CF=1 AX=0002\r\n'
            b'delete directory CF=1 AX=0005\r\n'
            b'attrib AL=5 CF=1 AX=0001\r\n'
            b'set attrib D CF=1 AX=0005\r\n'
            b'seek AL=3 CF=1 AX=0001\r\n'
            b'getcwd Z: CF=1 AX=000F\r\n'
            b'rename missing CF=1 AX=0002\r\n'
            b'rename onto existing CF=1 AX=0005\r\n'
            b'exec AL=7 CF=1 AX=0001\r\n'
            b'free PSP+1 CF=1 AX=0009\r\n'
            b'IOCTL AL=2 CF=1 AX=0001\r\n'
            b'function 63h CF=1 AX=0001\r\n'
            b'read write-only CF=1 AX=0005\r\n'
            b'extended error AX=0005 BH=03 BL=03 CH=02\r\n',
        err=['INT 21h AH=63h is not implemented',
             'INT 21h AX=4402h: IOCTL subfunction not supported']),
    'fcb-io': dict(
        prog='FCB.COM',
        out=b'parse AL=00\r\n'
            b'create AL=00\r\n'
            b'write AL=00\r\nwrite AL=00\r\nwrite AL=00\r\n'
            b'close AL=00\r\n'
            b'open AL=00 size=30 recsize=128\r\n'
            b'random 1 AL=00 [record 1!!]\r\n'
            b'seq AL=00 [record 0!!]\r\n'
            b'seq AL=00 [record 1!!]\r\n'
            b'seq AL=00 [record 2!!]\r\n'
            b'seq AL=01 [record 2!!]\r\n'
            b'block AL=01 CX=3 next=3\r\n'
            b'partial AL=03 [rd 2!!..]\r\n'
            b'size AL=00 records=5\r\n'
            b'rename AL=00\r\n'
            b'find AL=00 name=FCBTEST OLD\r\n'
            b'delete AL=00\r\n'
            b'find again AL=FF\r\n',
        gone=['FCBTEST.DAT', 'FCBTEST.OLD']),
    'stdin-redirected': dict(
        # Input from a file: echo goes to standard output too, as in DOS.
        prog='READIN.COM', stdin=b'first line\r\nxyz\r\nrest\r\n',
        out=b'first line\r<line len=10 [first line]>\r\n'
            b'\n<char 0A>\r\n'
            b'x<char 78>\r\n'
            b'<read 8>yz..rest\r\n'
            b'<read 2>..\r\n'
            b'<read 0>\r\n'
            b'<status 00>^Z<char at end 1A>\r\n'),
    'ctrl-c-handler': dict(
        # Ctrl-C typed at AH=01h: DOS echoes ^C, runs the program's INT 23h,
        # which returns with IRET, and reads again.
        prog='CTRLC.COM', args=['H'], flags=['-i', '-o'], stdin=b'\x03a', rc=0x11,
        out=b'press a key: ^C\r\n[handler]a got 61\r\n'),
    'ctrl-c-terminates': dict(
        # A handler returning with RETF and CF set, and DOS's own handler,
        # both end the child: AH=4Dh gives termination type 1.
        prog='CTRLC.COM', args=['P'], flags=['-i', '-o'], stdin=b'\x03\x03',
        out=b'press a key: ^C\r\n[abort]exec CF=0 child AX=0100\r\n'
            b'press a key: ^C\r\nexec CF=0 child AX=0100\r\n'),
    'runaway-budget': dict(
        prog='LOOP.COM', flags=['-b', '2000000'], rc=124,
        err=['stopped after 2000000 instructions']),
    'runaway-time-limit': dict(
        prog='LOOP.COM', flags=['-t', '1'], rc=124,
        err=['stopped after 1 seconds']),
    'runaway-dos-calls': dict(
        # BREAK on and DOS calls for ever: only a Ctrl-C or a limit ends it.
        prog='LOOP.COM', args=['B'], flags=['-b', '2000000'], rc=124,
        err=['stopped after 2000000 instructions']),
    'ctrl-c-ends-dos-loop': dict(
        # The Ctrl-C is seen by DOS's check with BREAK on; DOS's own INT 23h
        # handler ends the program.
        prog='LOOP.COM', args=['B'], flags=['-i', '-o'], stdin=b'\x03', rc=0,
        out=b'^C\r\n'),
    'lines-from-a-file': dict(
        # AH=0Ah on redirected input echoes the line to standard output.
        prog='LINES.COM', stdin=b'abc\nHello World\n\nrest\n', rc=2,
        out=b'abc\r\n> ABC\r\nHello World\r\n> HELLO WORLD\r\n\r\n'),
    'lines-from-the-keyboard': dict(
        prog='LINES.COM', flags=['-i', '-o'], stdin=b'abc\nHello\n\n', rc=2,
        out=b'abc\r\n> ABC\r\nHello\r\n> HELLO\r\n\r\n'),
    'bench-loads': dict(
        prog='BENCH.COM', args=['C', '3'], out=b'workload passes: 3\r\n'),
    'bench-dos-calls': dict(
        prog='BENCH.COM', args=['D', '7'], out=b'DOS calls: 7\r\n'),
    'bench-usage': dict(
        prog='BENCH.COM', args=['X'], rc=1, out=b'usage: BENCH C|D COUNT\r\n'),
    'fuzz-file-calls': dict(
        # Random file-system calls; what matters is that DOS takes them all.
        prog='FUZZ.COM', args=['1500', '7'], out=b'fuzz: 1500 calls\r\n'),
    'halt-interrupts-off': dict(
        prog='LOOP.COM', args=['H'], rc=126,
        err=['HLT at', 'with no interrupt to wake it']),
    'invalid-opcode': dict(
        prog=None, name='UD.COM', image=b'\x90\x0f\x0b', rc=126,
        err=['invalid opcode 0F 0B']),
    'input-ended': dict(
        # The keyboard is a pipe that runs dry while the program waits.
        prog='CTRLC.COM', args=['D'], flags=['-i', '-o'], stdin=b'', rc=127,
        out=b'press a key: ', err=['console input ended']),
    'mz-exe': dict(
        prog='EXE.EXE', rc=5,
        out=b'MZ program running\r\n'
            b'string through a relocated far pointer\r\n'
            b'far call into the second code segment\r\n'
            b'SS:SP and ES as DOS set them\r\n'),
    'exec-bad-images': dict(
        prog='EXECBAD.COM', files=BROKEN,
        out=b'SHORT.EXE CF=1 AX=000B\r\n'
            b'TRUNC.EXE CF=1 AX=000B\r\n'
            b'BIGHDR.EXE CF=1 AX=000B\r\n'
            b'RELOC.EXE CF=1 AX=000B\r\n'
            b'BADREL.EXE CF=1 AX=000B\r\n'
            b'BIG.COM CF=1 AX=000B\r\n'
            b'HUGE.EXE CF=1 AX=0008\r\n'
            b'GOOD.EXE CF=0\r\n',
        err=['C:\\SHORT.EXE: file is shorter than the MZ header',
             'C:\\TRUNC.EXE: MZ load module extends past end of file',
             'C:\\BIGHDR.EXE: MZ header extends past end of file',
             'C:\\RELOC.EXE: MZ relocation table outside the file',
             'C:\\BADREL.EXE: MZ relocation points outside the load module',
             'C:\\BIG.COM: COM file is larger than 65,280 bytes',
             'C:\\HUGE.EXE: not enough memory']),
    'misc-calls': dict(
        prog='MISC.COM', extra=['CHILD.COM'],
        out=b'version 3.30\r\n'
            b'set date 2023-02-29 AL=FF set date 2001-02-03 AL=00 now 2001-2-3 weekday 6\r\n'
            b'set time 25:00 AL=FF set time 10:20:30 AL=00 now 10:20\r\n'
            b'break 00 after set 01 switch char /\r\n'
            b'handle 2: 80D3\r\n'
            b'handle 4: A0C0\r\n'
            b'handle 5: 80C4\r\n'
            b'new file 0042 written 0002 set raw on a file CF=1 AX=0001\r\n'
            b'handle 2: 80F3\r\n'
            b'handle count 30 CF=0 opened 25\r\n'
            b'ext CF=0 CX=2; ext CF=1 AX=0050; ext CF=0 CX=1; ext CF=0 CX=3; \r\n'
            b'temp CF=0 name length 8 deleted CF=0\r\n'
            b'PSP 62h=51h yes InDOS 00 drive 02 drives 05 free space known T: FFFF\r\n'
            b'country CF=0 BX=0001 currency $ vector 60h 1234:5678\r\n'
            b'CALL 5: Z parse b:x AL=FF\r\n'
            b'truename [C:\\SOME.TXT] truename [C:/CON] \r\n'
            b'overlay CF=0 first byte EB\r\n'
            b'load CF=0 entry IP=0100\r\n'
            b'child: tail=[ 7] parent is caller: yes\r\n'
            b'child code 7\r\n'),
    'c-program': dict(
        prog='CPROG.COM', args=['one', 'two'], rc=7, needs='bcc',
        out=b'bcc program, 2 args\r\narg 1: one\r\narg 2: two\r\n'
            b'read: line one\r\nread: line two 2\r\nheap works\r\n',
        gone=['CFILE.TXT']),
}

for name, image in BROKEN.items():
    if name == 'GOOD.EXE':
        continue
    what = 'not enough memory' if name == 'HUGE.EXE' else ''
    CASES['load-' + name.split('.')[0].lower()] = dict(
        prog=None, name=name, image=image, rc=125 if name != 'GOOD.EXE' else 9,
        err=['C:\\' + name + ': ' + what])


def setup(tmp, case, progs):
    for path, data in case.get('files', {}).items():
        full = os.path.join(tmp, path)
        if path.endswith('/'):
            os.makedirs(full, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as f:
            f.write(data)
    for extra in case.get('extra', []):
        shutil.copy(os.path.join(progs, extra.lower()), os.path.join(tmp, extra))
    name = case.get('name') or case['prog']
    if case.get('at'):
        os.makedirs(os.path.join(tmp, case['at']), exist_ok=True)
        name = os.path.join(case['at'], name)
    target = os.path.join(tmp, name)
    if case.get('image') is not None:
        with open(target, 'wb') as f:
            f.write(case['image'])
    else:
        shutil.copy(os.path.join(progs, case['prog'].lower()), target)
    return target


def show(data):
    return data.decode('latin-1').encode('unicode_escape').decode()


def run(case_name, dosrun, progs):
    case = CASES[case_name]
    with tempfile.TemporaryDirectory(prefix='dostest-') as tmp:
        target = setup(tmp, case, progs)
        argv = [dosrun, '-n'] + case.get('flags', []) + ['-C', tmp, target] + case.get('args', [])
        stdin = case.get('stdin')
        proc = subprocess.run(argv, cwd=tmp, input=stdin if stdin is not None else b'',
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        ok = True
        want_rc = case.get('rc', 0)
        if proc.returncode != want_rc:
            print(f'exit status {proc.returncode}, expected {want_rc}')
            ok = False
        want = case.get('out')
        if want is not None and proc.stdout != want:
            print('standard output differs')
            print('  got:      ' + show(proc.stdout))
            print('  expected: ' + show(want))
            ok = False
        err = proc.stderr.decode('utf-8', 'replace')
        for line in case.get('err', []):
            if line not in err:
                print(f'standard error lacks: {line}')
                ok = False
        for gone in case.get('gone', []):
            if os.path.exists(os.path.join(tmp, gone)):
                print(f'{gone} should not exist after the run')
                ok = False
        if err:
            print('standard error:\n' + err)
        return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--dosrun')
    ap.add_argument('--progs')
    ap.add_argument('--skip', action='append', default=[],
                    help='TOOL:REASON; cases that need TOOL are skipped')
    ap.add_argument('case', nargs='?')
    a = ap.parse_args()
    if a.list:
        print('\n'.join(CASES))
        return 0
    skips = dict(s.split(':', 1) for s in a.skip)
    needs = CASES[a.case].get('needs')
    if needs in skips:
        print(f'skipped: {skips[needs]}')
        return SKIP
    return run(a.case, os.path.abspath(a.dosrun), os.path.abspath(a.progs))


if __name__ == '__main__':
    sys.exit(main())
