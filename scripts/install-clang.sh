#!/usr/bin/env bash
# Installs clang and libFuzzer's runtime (Debian: libclang-rt-14-dev) when missing: the fuzz
# preset's compiler, used by scripts/fuzz.sh and scripts/sanitize.sh ci only.
set -euo pipefail
if ! command -v clang++ >/dev/null || ! dpkg -s libclang-rt-14-dev >/dev/null 2>&1; then
  echo "install-clang.sh: installing clang and libclang-rt-14-dev" >&2
  sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-14-dev >/dev/null
fi
