#!/usr/bin/env bash
# Installs what itareport needs to build and test, on Debian 12, when it is missing.
# Run as root (or with sudo available). Safe to run again: installs only what is absent.
set -euo pipefail
pkgs=(build-essential pkg-config libhpdf-dev libyaml-dev libharfbuzz-dev libfreetype-dev
      libthai-dev libpng-dev zlib1g-dev libcmocka-dev poppler-utils qpdf mupdf-tools libharfbuzz-bin
      ghostscript valgrind hyperfine cppcheck clang-format clang python3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' -e '^auxfiles$')" ]; then
  $sudo apt-get update -qq
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
