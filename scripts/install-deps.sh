#!/usr/bin/env bash
# Installs the Debian packages inhouse needs to build and test, only those missing.
# Idempotent: with everything present it only checks and exits.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config ccache make git
  clang libclang-rt-14-dev
  libfmt-dev libspdlog-dev nlohmann-json3-dev libcli11-dev
  libssl-dev libpcre2-dev libsqlite3-dev libboost-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
# pip and venv come with the image's python3 or from Debian; check what works, not the package.
if ! command -v python3 >/dev/null 2>&1; then
  missing+=(python3 python3-venv python3-pip)
elif ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3-venv python3-pip)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
