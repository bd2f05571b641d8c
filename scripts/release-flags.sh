# shellcheck shell=bash
# Sourced by the release builds (bench/run.sh, scripts/build-deb.sh, scripts/record-symbol-order.sh):
# every function, ours and the dependencies', in a section of its own, so that the linker can place
# the ones the agent runs next to each other (linker/README.md) and drop the ones nothing calls.
release_flags=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)

# SwiftPM does not know that linker/ holds inputs of the link: an executable in BIN_DIR older than
# a file there is removed, so that the build links it again. Run from the repository's root.
relink_if_layout_changed() {  # BIN_DIR
  local exe
  for exe in amphora-front amphora-helper amphora-agent amphora-prometheus-proxy; do
    if [ -e "$1/$exe" ] && [ -n "$(find linker -type f -newer "$1/$exe" | head -1)" ]; then
      rm -f "$1/$exe"
    fi
  done
}

# SwiftPM does not compile Swift modules again when only -Xswiftc flags change: a scratch folder
# last built with other flags is emptied first (once; its stamp names the flags).
prepare_release_scratch() {  # SCRATCH
  local stamp="$1/release-flags" want="${release_flags[*]}"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    [ ! -d "$1" ] || echo "release build: $1 was built with other flags; building it again from scratch"
    rm -rf "$1"
    mkdir -p "$1"
    printf '%s\n' "$want" >"$stamp"
  fi
}

# Fails unless the executables in BIN_DIR are linked in the shipped layout (linker/README.md):
# linker/private-functions.ld took effect, the recording layout (AMPHORA_RECORDING_LAYOUT=1) did not.
check_shipped_layout() {  # BIN_DIR
  local exe sections
  for exe in amphora-front amphora-helper amphora-agent amphora-prometheus-proxy; do
    sections=$(readelf -SW "$1/$exe") || return 1
    if [[ $sections != *" .text.private "* || $sections == *" .text.recorded "* ]]; then
      echo "$1/$exe is not linked in the shipped layout (linker/README.md)" >&2
      return 1
    fi
  done
}
