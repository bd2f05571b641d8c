#!/usr/bin/env bash
# Runs a command as root inside a throwaway QEMU guest that boots Debian 12's own kernel
# (linux-image-amd64) with IP Virtual Server loaded, for hosts whose kernel lacks IP_VS.
# The guest sees the host's root filesystem over 9p (same /work, /opt/swift, haproxy, ipvsadm...)
# with its own tmpfs /tmp, /run, /var/tmp (a caller's directory below /tmp or /var/tmp stays
# visible), and has no network device. COMMAND's stdout and
# stderr stream back to ours; its exit code is ours.
#
#   bash scripts/with-ipvs-kernel.sh [--check] [--accel auto|kvm|tcg] [--timeout S] [-- COMMAND...]
#
# --check  boot, print kernel, IP_VS, LSM/Landlock, seccomp and netns state; exit 0 if all good.
# --accel  kvm needs a /dev/kvm that can run a stock kernel; tcg emulates (works anywhere, slower);
#          auto (default) takes kvm when it can, else tcg with a note on stderr.
# Exit codes: COMMAND's; 77 = --accel kvm but /dev/kvm unusable; 124 = timeout; 125 = VM failed.
# Passed in: HOME PATH CI LANG LC_* TERM TZ USER LOGNAME SWIFT_* and the names in WITH_IPVS_ENV.
# WITH_IPVS_MEM (8G), WITH_IPVS_SMP (2); WITH_IPVS_DEBUG=1 prints the guest's console at the end.
# shellcheck disable=SC2016,SC2054,SC2317  # guest-side quoting, qemu's commas, the trap function
set -euo pipefail

check=0 accel=auto timeout=1800
usage() { echo "usage: $0 [--check] [--accel auto|kvm|tcg] [--timeout SECONDS] -- COMMAND [ARGS...]" >&2; exit 2; }
while (($#)); do
  case $1 in
    --check) check=1; shift ;;
    --accel) accel=${2:-}; shift 2 || usage ;;
    --timeout) timeout=${2:-}; shift 2 || usage ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
((check || $#)) || usage
[ "$(id -u)" = 0 ] || { echo "with-ipvs-kernel: run as root" >&2; exit 2; }

# KVM is usable if /dev/kvm opens and is not PVM (kvm_pvm runs only PVM-built guest kernels:
# a stock kernel hangs as soon as it enters long mode).
kvm_problem=$( (exec 3<>/dev/kvm) 2>&1 | sed 's/.*: //' ) || true
[ -z "$kvm_problem" ] && [ -d /sys/module/kvm_pvm ] &&
  kvm_problem="it is PVM (kvm_pvm), which cannot boot a stock distribution kernel"
case $accel in
  kvm) [ -z "$kvm_problem" ] || { echo "with-ipvs-kernel: /dev/kvm is not usable here: $kvm_problem" >&2; exit 77; } ;;
  auto) if [ -n "$kvm_problem" ]; then accel=tcg
          echo "with-ipvs-kernel: /dev/kvm is not usable here: $kvm_problem; using TCG emulation" >&2
        else accel=kvm; fi ;;
  tcg) ;;
  *) usage ;;
esac

# What we need from Debian: qemu, a distribution kernel, a static busybox, kmod and cpio.
pkgs=()
command -v qemu-system-x86_64 >/dev/null || pkgs+=(qemu-system-x86)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "ok installed" || pkgs+=(busybox-static)
command -v modprobe >/dev/null || pkgs+=(kmod)
command -v cpio >/dev/null || pkgs+=(cpio)
ls /lib/modules/*/kernel/net/netfilter/ipvs/ip_vs.ko* >/dev/null 2>&1 || pkgs+=(linux-image-amd64)
if ((${#pkgs[@]})); then
  echo "with-ipvs-kernel: installing ${pkgs[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # INITRD=No: the kernel's postinst hook skips building Debian's initrd (we bring our own).
  INITRD=No apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && INITRD=No apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null; }
fi

# The newest installed Debian kernel that has IP_VS modules.
kver=$(cd /lib/modules && for k in *; do
  [ -e "/boot/vmlinuz-$k" ] && ls "$k"/kernel/net/netfilter/ipvs/ip_vs.ko* >/dev/null 2>&1 && echo "$k"
done | sort -V | tail -n1)
[ -n "$kver" ] || { echo "with-ipvs-kernel: no /boot/vmlinuz-* with IP_VS modules" >&2; exit 125; }

tmp=$(mktemp -d /tmp/with-ipvs.XXXXXX)
qpid='' outpid='' errpid=''
cleanup() {
  set +e
  [ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
  exec 7>&- 8>&-                      # our ends of the output pipes: their readers see EOF
  [ -n "$outpid" ] && wait "$outpid" 2>/dev/null
  [ -n "$errpid" ] && wait "$errpid" 2>/dev/null
  [ -n "${WITH_IPVS_DEBUG:-}" ] && cat "$tmp/console.log" >&2
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if ((check)); then
  set -- /bin/bash -c '
    bad=0
    echo "kernel:   $(uname -r), command started at guest uptime $(cut -d" " -f1 /proc/uptime) s"
    echo "modules: $(grep -oE "^(ip_vs[a-z_]*|nf_conntrack|nf_defrag_ipv[46]|libcrc32c) " /proc/modules | sort | tr -d "\n")"
    cat /proc/net/ip_vs && ipvsadm -Ln || bad=1
    lsm=$(cat /sys/kernel/security/lsm); echo "lsm:      $lsm"
    case ,$lsm, in *,landlock,*) ;; *) bad=1 ;; esac
    python3 - <<"PY" || bad=1
import ctypes, struct
libc = ctypes.CDLL(None, use_errno=True)
abi = libc.syscall(444, None, 0, 1)   # landlock_create_ruleset(NULL, 0, VERSION)
print("landlock: ABI", abi) if abi > 0 else exit("landlock: unavailable")
ins = lambda c, jt, jf, k: struct.pack("=HBBI", c, jt, jf, k)
prog = ins(0x20, 0, 0, 0) + ins(0x15, 0, 1, 110) + ins(0x06, 0, 0, 0x50001) + ins(0x06, 0, 0, 0x7FFF0000)
buf = ctypes.create_string_buffer(prog)  # BPF: getppid -> EPERM, everything else allowed
class Fprog(ctypes.Structure): _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
fp = Fprog(4, ctypes.addressof(buf))
assert libc.prctl(38, 1, 0, 0, 0) == 0 and libc.prctl(22, 2, ctypes.byref(fp), 0, 0) == 0
ok = libc.syscall(110) == -1 and ctypes.get_errno() == 1
print("seccomp:  filter enforced") if ok else exit("seccomp:  filter NOT enforced")
PY
    if ip netns add with-ipvs-check && ip netns del with-ipvs-check; then echo "netns:    ok"
    else echo "netns:    FAILED"; bad=1; fi
    exit $bad'
fi

# The job: a clean environment with the names we pass on, the caller's cwd, then COMMAND.
{
  for n in $(compgen -e); do
    if [[ $n =~ ^(HOME|PATH|CI|LANG|LC_[A-Z]+|TERM|TZ|USER|LOGNAME|SWIFT_[A-Za-z0-9_]*)$ ]] ||
       [[ " ${WITH_IPVS_ENV:-} " == *" $n "* ]]; then printf 'export %s=%q\n' "$n" "${!n}"; fi
  done
  printf 'cd -- %q || exit 125\nexec' "$PWD"; printf ' %q' "$@"; echo
} >"$tmp/job.sh"

# Stage 2 runs as PID 1 on the host's root: load IP_VS, bring lo up, run the job, power off.
cat >"$tmp/stage2.sh" <<'EOF'
w=/run/with-ipvs
modprobe -a ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc || echo "with-ipvs-kernel: modprobe failed" >&2
ip link set lo up
$w/busybox hostname -F $w/hostname
env -i /bin/bash --noprofile --norc $w/job.sh </dev/null >$w/stdout 2>$w/stderr
echo "rc=$?" >$w/status
sync
exec $w/busybox poweroff -f
EOF

# Stage 1, the initramfs's /init: virtio + 9p modules, mount the host root and the guest's own
# filesystems over it, then switch_root to stage 2.
cat >"$tmp/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
fail() { echo "with-ipvs-kernel (guest): $*"; poweroff -f; }
mount -t proc proc /proc && mount -t sysfs sys /sys && mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m || fail "insmod $m"; done
n=0; until mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=mmap hostroot /newroot; do
  n=$((n+1)); [ $n -lt 50 ] || fail "cannot mount the host root"; sleep 0.1; done
r=/newroot
# The caller's directory, when it lies in /tmp or /var/tmp (a clone there), stays visible under
# the guest's own tmpfs: its top directory is moved aside and back on top.
kept=''
for base in /tmp /var/tmp; do
  case $(cat /keep) in $base/?*) rest=$(cat /keep); rest=${rest#$base/}; kept=$base/${rest%%/*} ;; esac
done
if [ -n "$kept" ]; then mkdir -p /kept && mount -o bind "$r$kept" /kept || fail "bind $kept"; fi
mount -t tmpfs -o mode=1777 tmp $r/tmp && mount -t tmpfs -o mode=1777 vartmp $r/var/tmp
if [ -n "$kept" ]; then mkdir -p "$r$kept" && mount -o move /kept "$r$kept" || fail "move $kept"; fi
mount -t tmpfs -o mode=755 run $r/run || fail "tmpfs"
for d in dev proc sys; do mount --move /$d $r/$d; done
mkdir -p $r/dev/pts $r/dev/shm $r/run/with-ipvs
mount -t devpts -o ptmxmode=666 devpts $r/dev/pts; mount -t tmpfs -o mode=1777 shm $r/dev/shm
mount -t securityfs securityfs $r/sys/kernel/security; mount -t cgroup2 cgroup2 $r/sys/fs/cgroup
# virtio-serial ports 1..3 (stdout, stderr, status) show up asynchronously.
n=0; until [ -e $r/dev/vport*p3 ]; do n=$((n+1)); [ $n -lt 100 ] || fail "no ports"; sleep 0.05; done
for i in 1:stdout 2:stderr 3:status; do p=$(echo $r/dev/vport*p${i%:*}); ln -s ${p#$r} $r/run/with-ipvs/${i#*:}; done
cp /job.sh /stage2.sh /hostname /bin/busybox $r/run/with-ipvs/
exec switch_root $r /bin/bash /run/with-ipvs/stage2.sh
EOF

# The initramfs: busybox, the modules stage 1 needs (in dependency order), stages 1 and 2.
ird=$tmp/initramfs
mkdir -p "$ird"/{bin,mods,proc,sys,dev,newroot}
cp /bin/busybox "$ird/bin/"
cp "$tmp/init" "$tmp/stage2.sh" "$tmp/job.sh" "$ird/" && chmod +x "$ird/init"
hostname >"$ird/hostname"
printf '%s\n' "$PWD" >"$ird/keep"
modprobe -S "$kver" --show-depends -a virtio_pci 9pnet_virtio 9p virtio_console |
  awk '$1 == "insmod" && !seen[$2]++ {print $2}' | while read -r ko; do
    cp "$ko" "$ird/mods/"; basename "$ko" >>"$ird/mods/order"; done
(cd "$ird" && find . | cpio -o -H newc --quiet) >"$tmp/initramfs.img"

if [ "$accel" = kvm ]; then accel_args=(-accel kvm -cpu host)
else accel_args=(-accel tcg,thread=multi,tb-size=512 -cpu max); fi
# COMMAND's stdout and stderr: pipes read by cat into ours; qemu reopens them via /proc/self/fd.
exec 7> >(cat) && outpid=$!
exec 8> >(cat >&2) && errpid=$!
timeout -k 10 "$timeout" qemu-system-x86_64 -nodefaults -no-user-config -no-reboot \
  -machine q35 "${accel_args[@]}" -smp "${WITH_IPVS_SMP:-2}" -m "${WITH_IPVS_MEM:-8G}" \
  -display none -monitor none -serial "file:$tmp/console.log" \
  -kernel "/boot/vmlinuz-$kver" -initrd "$tmp/initramfs.img" \
  -append "console=ttyS0 quiet mitigations=off panic=-1 rdinit=/init lsm=landlock,lockdown,yama,apparmor,bpf" \
  -fsdev local,id=hostroot,path=/,security_model=passthrough,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -device virtio-serial-pci \
  -chardev file,id=out,path=/proc/self/fd/7,append=on -device virtserialport,chardev=out,nr=1 \
  -chardev file,id=err,path=/proc/self/fd/8,append=on -device virtserialport,chardev=err,nr=2 \
  -chardev file,id=status,path="$tmp/status" -device virtserialport,chardev=status,nr=3 \
  </dev/null >"$tmp/qemu.log" 2>&1 &
qpid=$!
qrc=0; wait "$qpid" || qrc=$?
qpid=''

rc=$(sed -n 's/^rc=\([0-9]*\)$/\1/p' "$tmp/status" 2>/dev/null)
[ -n "$rc" ] && exit "$rc"
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
  echo "with-ipvs-kernel: timed out after ${timeout}s" >&2; exit 124
fi
if [ "$accel" = kvm ] && grep -qi kvm "$tmp/qemu.log"; then
  echo "with-ipvs-kernel: /dev/kvm is not usable here: $(grep -im1 kvm "$tmp/qemu.log")" >&2; exit 77
fi
echo "with-ipvs-kernel: the VM ended without an exit code (qemu rc $qrc); its logs:" >&2
tail -n 20 "$tmp/qemu.log" "$tmp/console.log" >&2 || true
exit 125
