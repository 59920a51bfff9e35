#!/usr/bin/env bash
# Installs what building and testing secpilot needs on Debian 12, only when it is missing.
# Safe to run any number of times; uses sudo when not root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  cmake ninja-build g++ pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev libsqlite3-dev libseccomp-dev
  zlib1g-dev jq curl
  clang-format openssl
  chromium  # the web page's end-to-end tests (tests/web)
)
# Node and npm for those tests, unless a node is already installed some other way.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# valijson is header-only; Debian's libvalijson-dev drags in Qt, Poco and four JSON libraries for
# adapters we do not use, so unpack just that package's headers into the tree (ignored by git).
deps="$root/.deps"
if [ ! -f "$deps/valijson/usr/include/valijson/validator.hpp" ]; then
  echo "setup: unpacking valijson headers into $deps/valijson"
  mkdir -p "$deps/download"
  (cd "$deps/download" && rm -f libvalijson-dev_*.deb && apt-get download libvalijson-dev >/dev/null 2>&1) || {
    "${sudo_cmd[@]}" apt-get update -qq
    (cd "$deps/download" && apt-get download libvalijson-dev)
  }
  rm -rf "$deps/valijson"
  dpkg -x "$deps"/download/libvalijson-dev_*.deb "$deps/valijson"
fi
# npm packages, exactly as each package-lock.json pins them (node_modules is ignored):
# playwright-core for tests/web; for tests/mcp the MCP Inspector (a real client of secpilot's MCP
# server) and the servers secpilot hosts as Format: MCP plugins (the reference server-everything,
# and both versions of the official TypeScript SDK that tests/mcp/peers are written on).
for packages in "$root/tests/web" "$root/tests/mcp"; do
  if [ ! -f "$packages/node_modules/.package-lock.json" ] ||
     [ "$packages/package-lock.json" -nt "$packages/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci in $packages"
    (cd "$packages" && npm ci --no-audit --no-fund)
  fi
done
echo "setup: ready"
