#!/usr/bin/env bash
# Builds the Debian package dist/amphora-agent_<version>_amd64.deb with Debian's own tools
# (dpkg-shlibdeps, dpkg-deb, lintian; no debhelper): a release build with the Swift runtime linked
# statically, the systemd units, sysusers.d / tmpfiles.d / modules-load.d entries, an example
# configuration (conffile), docs and maintainer scripts from packaging/.
#
#   bash scripts/build-deb.sh [--no-build] [--no-lintian]
#
# The version is BuildInfo.version (Sources/BuildInfo/BuildInfo.swift), the one place it is kept;
# the git commit is injected through Sources/CBuildInfo/generated_commit.h, which exists only while
# this script builds. Environment: AMPHORA_DEB_OUT (dist/), AMPHORA_RELEASE_SCRATCH (.build-release:
# the release build's own directory, so it never disturbs the debug build), AMPHORA_GIT_COMMIT
# (when git cannot tell, e.g. in a copy without .git), AMPHORA_BIN_DIR (package these binaries
# instead, with --no-build; for trying the packaging only). Prints the .deb's path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
build=1 lint=1
for a in "$@"; do
  case $a in
    --no-build) build=0 ;;
    --no-lintian) lint=0 ;;
    *) echo "usage: $0 [--no-build] [--no-lintian]" >&2; exit 2 ;;
  esac
done
out=${AMPHORA_DEB_OUT:-$repo/dist}
scratch=${AMPHORA_RELEASE_SCRATCH:-$repo/.build-release}
version=$(sed -n 's/.*public static let version = "\([0-9][0-9.]*\)".*/\1/p' Sources/BuildInfo/BuildInfo.swift)
[ -n "$version" ] || { echo "build-deb: no version in Sources/BuildInfo/BuildInfo.swift" >&2; exit 1; }
commit=${AMPHORA_GIT_COMMIT:-}
if [ -z "$commit" ]; then
  commit=$(git rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
  [ "$commit" = unknown ] || git diff --quiet HEAD -- Sources Package.swift 2>/dev/null || commit="$commit-dirty"
fi
[[ $commit =~ ^[A-Za-z0-9._-]+$ ]] || { echo "build-deb: bad commit id $commit" >&2; exit 1; }
# Reproducible dates: the commit's time when git knows it.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

stage=$(mktemp -d /var/tmp/amphora-deb.XXXXXX)
header=Sources/CBuildInfo/generated_commit.h
cleanup() { rm -rf "$stage"; if [ -e "$header" ]; then rm -f "$header"; touch Sources/CBuildInfo/build_info.c; fi; }
trap cleanup EXIT

source scripts/release-flags.sh
swiftbuild=(swift build -c release --static-swift-stdlib --scratch-path "$scratch" "${release_flags[@]}")
if ((build)); then
  prepare_release_scratch "$scratch"
  relink_if_layout_changed "$("${swiftbuild[@]}" --show-bin-path)"
  echo "build-deb: release build of $version (commit $commit) in $scratch"
  printf '#define AMPHORA_GIT_COMMIT "%s"\n' "$commit" >"$header"
  touch Sources/CBuildInfo/build_info.c
  start=$SECONDS
  # Diagnostics of our sources only (the toolchain's static libraries bring linker notes of their own).
  "${swiftbuild[@]}" 2>&1 | grep -E "error|warning: |Build complete" | grep -vE "unhandled|^/opt/swift/" || true
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "build-deb: release build failed" >&2; exit 1; }
  echo "build-deb: release build took $((SECONDS - start)) s"
fi
bin=${AMPHORA_BIN_DIR:-$("${swiftbuild[@]}" --show-bin-path)}
for p in amphora-agent amphora-helper amphora-front amphora-health-checker amphora-prometheus-proxy; do
  [ -x "$bin/$p" ] || { echo "build-deb: $bin/$p missing (run without --no-build)" >&2; exit 1; }
done
[ -n "${AMPHORA_BIN_DIR:-}" ] || "$bin/amphora-front" --version | grep -qF "$version (commit $commit)" ||
  { echo "build-deb: $bin/amphora-front --version says '$("$bin/amphora-front" --version)', not $version (commit $commit)" >&2; exit 1; }
# The release layout took effect (linker/README.md): the functions that run first together.
[ -n "${AMPHORA_BIN_DIR:-}" ] || check_shipped_layout "$bin" || { echo "build-deb: link it again without AMPHORA_RECORDING_LAYOUT" >&2; exit 1; }

# The tree.
root=$stage/root
install -d -m 0755 "$root"/{usr/sbin,usr/bin,lib/systemd/system,usr/lib/sysusers.d,usr/lib/tmpfiles.d,usr/lib/modules-load.d}
install -d -m 0755 "$root"/usr/lib/amphora-agent "$root"/etc/octavia "$root"/usr/share/doc/amphora-agent "$root"/usr/share/man/man8 "$root"/usr/share/lintian/overrides
install -d -m 0700 "$root"/var/lib/octavia
for p in amphora-agent amphora-helper amphora-front amphora-prometheus-proxy; do install -m 0755 "$bin/$p" "$root/usr/sbin/$p"; done
install -m 0755 "$bin/amphora-health-checker" "$root/usr/bin/amphora-health-checker"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root"/usr/sbin/* "$root"/usr/bin/*
# SwiftPM leaves the toolchain's library directory as RUNPATH even with a static runtime.
if readelf -d "$root"/usr/sbin/* "$root"/usr/bin/* | grep -q 'R.*PATH'; then
  command -v patchelf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends patchelf >/dev/null
  for f in "$root"/usr/sbin/* "$root"/usr/bin/*; do patchelf --remove-rpath "$f"; done
fi
install -m 0644 systemd/*.service systemd/*.mount "$root/lib/systemd/system/"
install -m 0755 packaging/config-drive/config-drive "$root/usr/lib/amphora-agent/config-drive"
install -m 0644 systemd/amphora-agent.sysusers.conf "$root/usr/lib/sysusers.d/amphora-agent.conf"
install -m 0644 systemd/amphora-agent.tmpfiles.conf "$root/usr/lib/tmpfiles.d/amphora-agent.conf"
install -m 0644 systemd/amphora-agent.modules-load.conf "$root/usr/lib/modules-load.d/amphora-agent.conf"
install -m 0644 packaging/amphora-agent.conf.example "$root/etc/octavia/amphora-agent.conf.example"
install -m 0644 packaging/debian/copyright "$root/usr/share/doc/amphora-agent/copyright"
install -m 0644 packaging/debian/lintian-overrides "$root/usr/share/lintian/overrides/amphora-agent"
doc=$root/usr/share/doc/amphora-agent
for f in README.md docs/production.md; do
  [ -e "$f" ] && gzip -9n <"$f" >"$doc/$(basename "$f").gz"
done
for m in packaging/man/*.8; do gzip -9n <"$m" >"$root/usr/share/man/man8/$(basename "$m").gz"; done
{
  echo "amphora-agent ($version) unstable; urgency=medium"
  echo
  echo "  * Release $version, built from commit $commit."
  echo
  echo " -- Amphora agent developers <amphora-agent@example.org>  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
chmod 0644 "$doc"/*.gz "$root"/usr/share/man/man8/*.gz

# Control: shared library dependencies from the binaries themselves (dpkg-shlibdeps).
install -d -m 0755 "$root/DEBIAN" "$stage/shlibs/debian"
printf 'Source: amphora-agent\n\nPackage: amphora-agent\nArchitecture: amd64\n' >"$stage/shlibs/debian/control"
shlibs=$(cd "$stage/shlibs" && dpkg-shlibdeps -O "$root"/usr/sbin/* "$root"/usr/bin/* 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found nothing" >&2; exit 1; }
size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$size/" -e "s/@SHLIBS@/$shlibs/" packaging/debian/control.in >"$root/DEBIAN/control"
echo /etc/octavia/amphora-agent.conf.example >"$root/DEBIAN/conffiles"
for s in postinst prerm postrm; do install -m 0755 "packaging/debian/$s" "$root/DEBIAN/$s"; done
find "$root" -newermt "@$SOURCE_DATE_EPOCH" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
deb=$out/amphora-agent_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "build-deb: $(du -h "$deb" | cut -f1) $(dpkg-deb -f "$deb" Depends)"
if ((lint)); then
  command -v lintian >/dev/null || { apt-get install -y -qq --no-install-recommends lintian >/dev/null; }
  # Tags that remain are explained in usr/share/lintian/overrides/amphora-agent (and docs/production.md).
  lintian --fail-on error,warning --tag-display-limit 0 "$deb" || { echo "build-deb: lintian complains" >&2; exit 1; }
  echo "build-deb: lintian clean (overrides explained in packaging/debian/lintian-overrides)"
fi
echo "$deb"
