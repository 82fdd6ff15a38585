# script.sh: a busybox shell workout for the POSIX personality.
#
# usage: busybox sh script.sh [DIR]
#
# Works in a directory of its own, made under DIR (default: the current
# directory) and removed at the end. Its standard output is the test: run by
# Debian's busybox-static on the host it gives the reference, and the same
# binary running this script inside Persona must print the same bytes.
# So nothing printed may depend on the machine: no times, inode numbers,
# pids, user or host names, absolute paths, or unsorted directory order.
#
# Shell features: pipes, redirections (> >> < 2>&1 here-documents, exec),
# variables and parameter expansion, functions (local, recursion), for,
# while, until, case, $(( )), $( ), exit statuses, subshells, background
# jobs and wait, trap, set --. Applets, run as commands or through env (so
# that the applet, not the shell builtin, runs): ls cat echo grep sed awk
# sort uniq wc head tail cut tr find xargs mkdir rmdir rm cp mv ln touch stat
# expr test [ printf env sleep kill seq md5sum sha1sum sha256sum od hexdump
# basename dirname true false yes tee diff cmp readlink chmod truncate dd
# tar gzip gunzip base64 nl rev tac fold paste expand factor dc split sh.

export LC_ALL=C
umask 022
top=${1:-.}
cd "$top" || exit 1
work=bbwork
rm -rf "$work"
mkdir "$work" || exit 1
cd "$work" || exit 1

section() {
    echo
    echo "== $1 =="
}

# ---------------------------------------------------------------------------
section "echo and printf"
echo plain words
echo -n "no newline"; echo " <- joined"
echo "tab:	end"
printf '%s|%5s|%-5s|%05d|%x|%X|%o|%c\n' str right left 42 255 255 8 char
printf '%d + %d = %d\n' 2 3 5 7 8 15
printf 'escapes: \\ \101 \x42 %%\n'
env printf 'applet printf: %s\n' ok
env echo applet echo

# ---------------------------------------------------------------------------
section "variables"
name=world
greeting="hello, $name"
echo "$greeting"
echo '$greeting stays literal'
empty=
echo "default: ${unset_var:-fallback} ${empty:-empty-fallback} ${name:+alt}"
: "${assigned:=now-set}"
echo "assigned: $assigned"
path=dir/sub/file.tar.gz
echo "length ${#path}; ${path%.*}; ${path%%.*}; ${path#*/}; ${path##*/}"
set -- first "second arg" third
echo "count $#: $1 / $2 / $3"
shift
echo "after shift $#: $*"
for a in "$@"; do echo "arg <$a>"; done
readonly fixed=1
(fixed=2) 2>/dev/null || echo "readonly refused"
x=5; x=$((x * 2 + 1)); echo "x=$x"
unset x; echo "x unset: [${x-gone}]"

# ---------------------------------------------------------------------------
section "arithmetic"
echo $((7 + 5)) $((7 - 5)) $((7 * 5)) $((7 / 5)) $((7 % 5)) $((-7 / 2))
echo $((1 << 10)) $((0xff)) $((010)) $((5 > 3)) $((5 == 3)) $((!0))
echo $((3 > 2 ? 100 : 200)) $(((1 + 2) * (3 + 4)))
i=0; i=$((i + 1)); : $((i += 10)); echo "i=$i"
echo "big: $((2147483647 + 1)) $((1 << 40))"

# ---------------------------------------------------------------------------
section "functions"
square() {
    echo $(($1 * $1))
}
fact() {
    local n=$1
    if [ "$n" -le 1 ]; then
        echo 1
    else
        echo $((n * $(fact $((n - 1)))))
    fi
}
status_of() {
    return "$1"
}
echo "square 12 = $(square 12)"
echo "fact 10 = $(fact 10)"
status_of 7; echo "returned $?"
outer=global
scope() { local outer=local; echo "inside: $outer"; }
scope; echo "outside: $outer"

# ---------------------------------------------------------------------------
section "loops"
for w in alpha beta gamma; do printf '%s ' "$w"; done; echo
for n in $(seq 1 5); do
    [ "$n" -eq 3 ] && continue
    [ "$n" -eq 5 ] && break
    echo "n=$n"
done
count=0
while [ $count -lt 3 ]; do count=$((count + 1)); done
echo "while count=$count"
until [ $count -eq 0 ]; do count=$((count - 1)); done
echo "until count=$count"
printf 'l1\nl2 with spaces\nl3\n' | while IFS= read -r line; do
    echo "read: [$line]"
done
IFS=: read -r f1 f2 f3 <<EOF
one:two:three
EOF
echo "fields: $f1 $f2 $f3"

# ---------------------------------------------------------------------------
section "case"
for word in apple banana cherry 42 "" x.txt; do
    case $word in
    a*) echo "$word: starts with a" ;;
    banana | cherry) echo "$word: listed" ;;
    [0-9]*) echo "$word: number" ;;
    *.txt) echo "$word: text file" ;;
    "") echo "(empty)" ;;
    *) echo "$word: other" ;;
    esac
done

# ---------------------------------------------------------------------------
section "exit statuses"
true; echo "true: $?"
false; echo "false: $?"
env true; echo "applet true: $?"
env false; echo "applet false: $?"
(exit 42); echo "subshell: $?"
! false; echo "negated: $?"
false || echo "or ran"
true && echo "and ran"
false && echo "never"
sh -c 'exit 3'; echo "sh -c: $?"
nosuchcommand 2>/dev/null; echo "missing command: $?"
true | false; echo "pipeline status is the last: $?"
if grep -q zzz /dev/null; then echo matched; else echo "grep -q: $?"; fi

# ---------------------------------------------------------------------------
section "redirections"
echo first > out.txt
echo second >> out.txt
cat out.txt
wc -l < out.txt
cat missing-file 2>&1
cat missing-file > /dev/null 2> err.txt; echo "status $?, stderr lines: $(wc -l < err.txt)"
{ echo to-stdout; echo to-stderr >&2; } > both.txt 2>&1
cat both.txt
exec 3> fd3.txt
echo "via fd 3" >&3
exec 3>&-
cat fd3.txt
exec 4< out.txt
read -r l <&4; echo "fd 4 gave: $l"
exec 4<&-
cat <<EOF
here-doc with $name and $((6 * 7))
EOF
cat <<'EOF'
quoted here-doc keeps $name and $((6 * 7))
EOF
	cat <<-EOF
	tabs stripped, $name kept
	EOF
cat > multi.txt <<EOF
line A
line B
EOF
cat multi.txt

# ---------------------------------------------------------------------------
section "pipes and command substitution"
echo "a b c d" | tr ' ' '\n' | sort -r | tr '\n' ' '; echo
lines=$(printf 'x\ny\nz\n' | wc -l)
echo "lines=$lines"
nested=$(echo "outer $(echo "inner $(echo deepest)")")
echo "$nested"
old=`echo backticks`
echo "$old"
seq 1 100 | awk '{ s += $1 } END { print "sum", s }'
yes | head -n 3
yes abc | head -n 2
printf 'one\ntwo\n' | tee tee1.txt tee2.txt > /dev/null
cat tee1.txt tee2.txt

# ---------------------------------------------------------------------------
section "files and directories"
mkdir -p tree/a/b/c tree/d
touch tree/a/file1 tree/a/b/file2 tree/d/file3
echo data > tree/d/file4
ls tree
ls -a tree/a
ls -1 tree/a/b
ls -F tree/a
find tree | sort
find tree -type f | sort
find tree -type d -name '[a-c]' | sort
find tree -type f -size +0 | sort
cp tree/d/file4 copy.txt
cp -r tree tree2
mv copy.txt moved.txt
ls moved.txt tree2/d
[ -e copy.txt ] || echo "copy.txt moved away"
ln -s moved.txt soft
ln moved.txt hard
readlink soft
cat soft hard
stat -c '%n %s %a %F %h' moved.txt hard tree/d/file3
stat -c '%n %F' soft tree
chmod 751 moved.txt
stat -c '%a' moved.txt
[ -x moved.txt ] && echo executable
truncate -s 10 tree/d/file3
stat -c '%s' tree/d/file3
od -An -c tree/d/file3
rm hard
stat -c '%h' moved.txt
rm -r tree2
rmdir tree/a/b/c
ls tree/a/b
rm -f does-not-exist && echo "rm -f ignores missing"
rmdir tree 2>&1
basename /usr/lib/libc.so.6
basename dir/file.txt .txt
dirname /usr/lib/libc.so.6
dirname file

# ---------------------------------------------------------------------------
section "test and expr"
[ -f moved.txt ] && echo "-f ok"
[ -d tree ] && echo "-d ok"
[ -L soft ] && echo "-L ok"
[ -s moved.txt ] && echo "-s ok"
[ ! -e nothing ] && echo "! -e ok"
[ -z "" ] && [ -n x ] && echo "-z -n ok"
[ abc = abc ] && [ abc != abd ] && echo "strings ok"
[ 10 -gt 9 ] && [ 3 -le 3 ] && [ 2 -ne 5 ] && echo "numbers ok"
test 1 -eq 2; echo "test 1 -eq 2: $?"
env test -d tree; echo "applet test: $?"
env [ a = b ]; echo "applet [: $?"
expr 3 + 4
expr 10 / 3 \* 3
expr length "hello world"
expr substr hello 2 3
expr index abcdef d
expr "abc123" : '[a-z]*'
expr "key=value" : 'key=\(.*\)'
expr 5 \> 3
expr 0 + 0; echo "expr of zero: $?"

# ---------------------------------------------------------------------------
section "text tools"
cat > fruits.txt <<EOF
banana 3 yellow
apple 10 red
cherry 7 red
apple 2 green
date 5 brown
banana 1 green
EOF
sort fruits.txt
sort -k2,2n fruits.txt
sort -k3,3 -k1,1r fruits.txt
sort -u -k1,1 fruits.txt | cut -d' ' -f1
cut -d' ' -f1 fruits.txt | sort | uniq -c
cut -d' ' -f1 fruits.txt | sort | uniq -d
cut -c1-3 fruits.txt | tr '\n' ','; echo
grep red fruits.txt
grep -c green fruits.txt
grep -v -n e fruits.txt
grep -i APPLE fruits.txt
grep -E '^(apple|date) ' fruits.txt
grep -o '[0-9][0-9]*' fruits.txt | tr '\n' ' '; echo
grep -w red fruits.txt | wc -l
grep -l apple fruits.txt multi.txt
sed 's/a/A/g' fruits.txt | head -n 2
sed -n '2,3p' fruits.txt
sed '/green/d' fruits.txt
sed -e 's/ .*//' -e 'y/abc/ABC/' fruits.txt
sed -n '$=' fruits.txt
sed '1!G;h;$!d' multi.txt
cp fruits.txt edit.txt
sed -i 's/red/RED/' edit.txt
grep -c RED edit.txt
awk '{ print $1 }' fruits.txt | head -n 3
awk '$2 > 4 { print NR": "$1, $2 * 2 }' fruits.txt
awk -F' ' '{ n[$3] += $2 } END { for (c in n) print c, n[c] }' fruits.txt | sort
awk 'BEGIN { printf "%5.2f|%-6s|%d\n", 3.14159, "ab", 42 }'
awk 'function twice(x) { return 2 * x } BEGIN { print twice(21), length("abc"), substr("hello", 2, 3), toupper("up") }'
awk 'BEGIN { s = "a-b-c"; n = split(s, p, "-"); gsub(/-/, "+", s); print n, p[3], s }'
awk 'NF { words += NF } END { print words, NR }' fruits.txt
head -n 2 fruits.txt
head -c 10 fruits.txt; echo
tail -n 2 fruits.txt
tail -n +5 fruits.txt
tail -c 12 fruits.txt
wc fruits.txt
wc -w < fruits.txt
wc -c < fruits.txt
tr a-z A-Z < multi.txt
tr -d aeiou < multi.txt
echo "aaabbbccc" | tr -s abc
echo "hello 123 world" | tr -cd '0-9\n'
nl fruits.txt | head -n 2
rev multi.txt
tac multi.txt
echo "the quick brown fox jumps" | fold -w 10
paste -d: multi.txt multi.txt
printf 'a\tb\n' | expand -t 4
printf 'x y z\n' | xargs -n 1
printf 'one two three\n' | xargs echo args:
printf 'f1\nf2\n' | xargs -I{} echo "item {}"
diff multi.txt multi.txt && echo "no differences"
printf 'line A\nline C\n' > other.txt
diff multi.txt other.txt; echo "diff status $?"
diff -u multi.txt other.txt
cmp multi.txt other.txt; echo "cmp status $?"
cmp multi.txt multi.txt && echo "cmp same"

# ---------------------------------------------------------------------------
section "numbers and checksums"
seq 5
seq 2 3 11
seq 10 -4 1
seq -s , 1 5
factor 360 97
echo '6 7 * p' | dc
echo "checksum me" > sum.txt
md5sum sum.txt
sha1sum sum.txt
sha256sum sum.txt
md5sum sum.txt > sums.md5
md5sum -c sums.md5
printf 'AB\001\377' | od -An -tx1
printf 'hi\n' | od -c
printf 'Persona' | hexdump -C
echo "encode this" | base64
echo "ZGVjb2RlZAo=" | base64 -d
dd if=fruits.txt of=dd.out bs=8 count=2 2>/dev/null
cat dd.out; echo
dd if=/dev/zero bs=512 count=3 2>/dev/null | wc -c

# ---------------------------------------------------------------------------
section "archives"
mkdir -p pack/inner
echo alpha > pack/a.txt
echo beta > pack/inner/b.txt
tar cf pack.tar pack
tar tf pack.tar | sort
mkdir unpack
tar xf pack.tar -C unpack
cat unpack/pack/a.txt unpack/pack/inner/b.txt
gzip -c fruits.txt > fruits.gz
gunzip -c fruits.gz | md5sum
gzip -t fruits.gz && echo "gzip archive ok"
split -l 2 fruits.txt part.
ls part.*
cat part.* | cmp - fruits.txt && echo "split parts rejoin"

# ---------------------------------------------------------------------------
section "processes"
env -i ONE=1 TWO="two words" env
env -i X=1 sh -c 'echo "X is $X, HOME is ${HOME:-unset}"'
sleep 0
sleep 0.1 && echo "slept"
sleep 30 &
sleeper=$!
kill "$sleeper"
wait "$sleeper"; echo "killed sleep: $?"
sleep 30 &
sleeper=$!
env kill -9 "$sleeper"
wait "$sleeper"; echo "applet kill -9: $?"
(exit 5) &
wait $!; echo "background status: $?"
( echo "in subshell"; exit 0 ) | cat
(trap 'echo "exit trap ran"' EXIT; echo "in trapped subshell")
kill -0 $$ && echo "kill -0 self ok"
out=$(sh -c 'echo from child; exit 4'); echo "$out, status $?"

# ---------------------------------------------------------------------------
section "cleanup"
cd .. && rm -r "$work" && echo "removed work directory"
[ -d "$work" ] || echo "script: done"
