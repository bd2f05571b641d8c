#!/usr/bin/env bash
# Builds an amphora image from Debian's packages and our .deb with mmdebstrap:
#
#   bash scripts/build-image.sh [--test-console] [--deb FILE] [--out DIR] debian12|debian13
#
# Output in DIR (default dist/image-<release>): rootfs.raw (an ext4 filesystem, the root disk;
# no partition table: QEMU boots it directly with the image's own kernel), vmlinuz and initrd.img
# (Debian's kernel and an initramfs from initramfs-tools with just the virtio and ext4 modules),
# cmdline (the kernel command line), manifest.txt (package versions). Run as root.
#
# The image holds no configuration and no certificate: Octavia's config drive (label config-2)
# brings them at boot, read by amphora-config-drive.service (see docs/production.md).
# --test-console adds a root shell on the virtio-serial port org.amphora.test for the boot test
# (scripts/boot-test.sh); never use it for a production image.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
test_console=0 deb='' out=''
while (($#)); do
  case $1 in
    --test-console) test_console=1; shift ;;
    --deb) deb=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    debian12|debian13) release=$1; shift ;;
    *) echo "usage: $0 [--test-console] [--deb FILE] [--out DIR] debian12|debian13" >&2; exit 2 ;;
  esac
done
[ -n "${release:-}" ] || { echo "usage: $0 [--test-console] [--deb FILE] [--out DIR] debian12|debian13" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "build-image: run as root" >&2; exit 2; }
case $release in debian12) suite=bookworm ;; debian13) suite=trixie ;; esac
out=${out:-$repo/dist/image-$release}
if [ -z "$deb" ]; then deb=$(ls -t "$repo"/dist/amphora-agent_*_amd64.deb 2>/dev/null | head -n1 || true); fi
[ -f "$deb" ] || { echo "build-image: no .deb (bash scripts/build-deb.sh first, or --deb FILE)" >&2; exit 2; }
deb=$(readlink -f "$deb")

need=()
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
if ((${#need[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi

work=$(mktemp -d /var/tmp/amphora-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
start=$SECONDS

# What an amphora runs: systemd, a kernel, the agent's dependencies (our .deb pulls them in, through
# elements/amphora-agent-swift/install.d),
# systemd-networkd for the management port, jq for the config drive. Nothing else (no
# Recommends, no documentation, no locales).
packages=systemd,systemd-sysv,udev,kmod,linux-image-amd64,initramfs-tools,zstd,iproute2,jq,procps,util-linux,e2fsprogs
cp "$deb" "$work/amphora-agent.deb"
# Our package goes in through the diskimage-builder element's own scripts (so CI runs them).
element=$repo/elements/amphora-agent-swift
cat >"$work/virtio-hook" <<'HOOK'
#!/bin/sh
# initramfs-tools hook: the few modules an amphora needs to find its root disk under QEMU/KVM.
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
for m in virtio_pci virtio_blk virtio_scsi ext4 crc32c_generic; do manual_add_modules "$m"; done
HOOK
mmdebstrap --variant=apt --components=main --include="$packages" \
  --aptopt='APT::Install-Recommends "false"' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/etc/initramfs-tools/hooks"' \
  --essential-hook="printf 'MODULES=list\nCOMPRESS=zstd\n' >\"\$1/etc/initramfs-tools/conf.d/amphora.conf\"" \
  --essential-hook="install -m 0755 '$work/virtio-hook' \"\$1/etc/initramfs-tools/hooks/amphora-virtio\"" \
  --customize-hook="mkdir -p \"\$1/tmp/hooks\" && TMP_HOOKS_PATH=\"\$1/tmp/hooks\" AMPHORA_AGENT_SWIFT_DEB='$work/amphora-agent.deb' bash '$element/extra-data.d/10-amphora-agent-swift'" \
  --customize-hook="cp '$element/install.d/70-amphora-agent-swift' \"\$1/tmp/hooks/\"" \
  --customize-hook='chroot "$1" env TMP_HOOKS_PATH=/tmp/hooks bash /tmp/hooks/70-amphora-agent-swift >/dev/null' \
  --customize-hook='rm -rf "$1/tmp/hooks"' \
  "$suite" "$work/root" http://deb.debian.org/debian 2>&1 | grep -vE "^I: |^W: (no|Cannot)|^$" >&2 || true
[ -x "$work/root/usr/sbin/amphora-helper" ] || { echo "build-image: mmdebstrap failed" >&2; exit 1; }

r=$work/root
# The machine: hostname, root filesystem, management network by networkd (files from the config
# drive), journald persistent, no gettys, no login (no password anywhere).
echo amphora >"$r/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$r/etc/hosts"
echo '/dev/vda / ext4 rw,noatime,errors=remount-ro 0 1' >"$r/etc/fstab"
mkdir -p "$r/var/log/journal"
chroot "$r" systemctl enable --quiet systemd-networkd.service amphora-config-drive.service
chroot "$r" systemctl mask --quiet getty@tty1.service serial-getty@ttyS0.service apt-daily.timer apt-daily-upgrade.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer 2>/dev/null || true
chroot "$r" systemctl mask --quiet systemd-networkd-wait-online.service
: >"$r/etc/machine-id"   # a new machine id at first boot
if ((test_console)); then
  cat >"$r/etc/systemd/system/amphora-test-console.service" <<'UNIT'
# TEST IMAGES ONLY (build-image.sh --test-console): a root shell on the virtio-serial port
# org.amphora.test, for scripts/boot-test.sh. Never present in a production image.
# A shell on the port for the boot test. The port reads end-of-file while the host side is not
# connected, so the shell ends and starts again (every second) until it is.
[Unit]
Description=TEST ONLY: root shell on virtio-serial port org.amphora.test
After=systemd-udevd.service local-fs.target
StartLimitIntervalSec=0

[Service]
ExecStart=/bin/bash -c 'p=/dev/virtio-ports/org.amphora.test; until [ -e $p ]; do sleep 1; done; exec <>$p >&0 2>&0; exec /bin/bash --noprofile --norc'
Restart=always
RestartSec=1

[Install]
WantedBy=multi-user.target
UNIT
  chroot "$r" systemctl enable --quiet amphora-test-console.service
  # Test images also copy the agent's own lines to the serial console (the boot test's log).
  for u in amphora-agent-helper amphora-agent-front; do
    mkdir -p "$r/etc/systemd/system/$u.service.d"
    printf '[Service]\nStandardOutput=journal+console\nStandardError=journal+console\n' >"$r/etc/systemd/system/$u.service.d/test-console.conf"
  done
fi

kver=$(cd "$r/lib/modules" && ls | sort -V | tail -n1)
# Lean: no module a virtual amphora can use for nothing (graphics, sound, wireless, media,
# Bluetooth, InfiniBand, staging, industrial I/O); fewer modules also mean a shorter udev coldplug.
k=$r/lib/modules/$kver/kernel
rm -rf "$k"/drivers/{gpu,media,infiniband,staging,iio,bluetooth,isdn,net/wireless,net/can,hwmon,input/touchscreen} \
  "$k"/sound "$k"/net/{wireless,bluetooth,mac80211,can,nfc}
chroot "$r" depmod "$kver"
chroot "$r" update-initramfs -u -k "$kver" >/dev/null
cp "$r/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$r/boot/initrd.img-$kver" "$out/initrd.img"
echo "root=/dev/vda rw net.ifnames=0 console=ttyS0 loglevel=4 systemd.show_status=auto panic=-1" >"$out/cmdline"
chroot "$r" dpkg-query -W -f='${Package} ${Version}\n' >"$out/manifest.txt"
rm -rf "$r"/var/cache/apt/* "$r"/var/lib/apt/lists/* "$r"/var/log/*.log "$r"/tmp/*

# The root disk: an ext4 filesystem made from the tree (no loop mount), 512 MiB more than the tree.
used=$(du -sm "$r" | cut -f1)
rm -f "$out/rootfs.raw"
mkfs.ext4 -q -L amphora-root -E root_owner=0:0 -d "$r" "$out/rootfs.raw" "$((used + 512))M"
echo "build-image: $release image in $out: tree $used MiB, disk $(du -h --apparent-size "$out/rootfs.raw" | cut -f1) \
(allocated $(du -h "$out/rootfs.raw" | cut -f1)), kernel $kver, initrd $(du -h "$out/initrd.img" | cut -f1), $((SECONDS - start)) s"
