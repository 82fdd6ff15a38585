# Shared by the benchmarks that compare Persona with Linux (tools/bench-*):
# sourced, with $top set. Debian's kernel package is fetched with apt-get
# into build/linux on first use (never committed).

# Sets $vmlinuz (the kernel) and $moddir (its modules), fetching them once.
bench_fetch_linux() {
    local cache=$top/build/linux pkg
    mkdir -p "$cache"
    vmlinuz=$(ls "$cache"/boot/vmlinuz-* 2>/dev/null | head -n 1)
    if [ -z "$vmlinuz" ]; then
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
            awk '/Depends: linux-image/ {print $2; exit}')
        if [ -z "$pkg" ]; then
            echo "bench: apt-cache knows no linux-image-amd64 (run apt-get update)" >&2
            return 1
        fi
        echo "bench: fetching $pkg with apt-get (once)" >&2
        (cd "$cache" && apt-get download "$pkg" >&2) || return 1
        dpkg-deb -x "$cache"/"$pkg"_*.deb "$cache" || return 1
        vmlinuz=$(ls "$cache"/boot/vmlinuz-* | head -n 1)
    fi
    moddir=$(ls -d "$cache"/lib/modules/* | head -n 1)
}

# Boots Linux with initramfs $1 (plus QEMU arguments after it) and prints
# what the init script printed between BENCH-START and BENCH-END.
bench_linux_boot() {
    local initrd=$1
    shift
    timeout 900 qemu-system-x86_64 -kernel "$vmlinuz" -initrd "$initrd" \
        -append "console=ttyS0 quiet panic=-1" -m 512M -cpu max -nic none -no-reboot \
        -display none -monitor none -serial stdio "$@" 2>/dev/null |
        tr -d '\r' | sed -n '/BENCH-START/,/BENCH-END/p' | grep -v BENCH
}

# Prints the table of figures: "name: value unit" lines of Persona ($1) and
# Linux ($2), with the ratio Persona/Linux (Linux/Persona for rates).
bench_table() {
    local pfile=$1 lfile=$2 line name pv unit lv ratio
    printf '%-48s %14s %14s %8s\n' "figure" "Persona" "Linux" "ratio"
    while IFS= read -r line; do
        name=${line%%:*}
        pv=$(echo "$line" | awk -F': ' '{print $2}' | awk '{print $1}')
        unit=$(echo "$line" | awk -F': ' '{print $2}' | awk '{print $2}')
        lv=$(grep -F "$name:" "$lfile" | head -n 1 | awk -F': ' '{print $2}' | awk '{print $1}')
        if [ -n "$lv" ] && [ "$lv" != 0 ]; then
            if [ "$unit" = "MB/s" ]; then
                ratio=$(awk -v p="$pv" -v l="$lv" 'BEGIN {printf "%.2fx", (p > 0 ? l / p : 0)}')
            else
                ratio=$(awk -v p="$pv" -v l="$lv" 'BEGIN {printf "%.2fx", p / l}')
            fi
        else
            ratio="-"
        fi
        printf '%-48s %14s %14s %8s\n' "$name${unit:+ ($unit)}" "$pv" "${lv:--}" "$ratio"
    done < "$pfile"
    echo "(ratio: how many times slower Persona is; for MB/s, Linux's rate over Persona's)"
}
