#!/usr/bin/env bash
# Installs what itareport needs to build and test, on Debian 12, when it is missing.
# Run as root, or as a user with sudo; a user with neither is told what to install and how.
# Safe to run again: installs only what is absent.
set -euo pipefail
# Build: compiler, pkg-config, the libraries. Tests: cmocka, the PDF tools the suites read
# back with, valgrind. Hygiene: cppcheck, clang-format, clang with its runtimes
# (libclang-rt-14-dev holds libFuzzer and the sanitizer runtimes; clang only recommends it).
# Messages: gettext (msgfmt builds the Thai catalogue), locales (a Thai locale, th_TH.UTF-8,
# generated below; a fresh Debian has none, and the program's Thai does not need it).
# The manual page is tested with man-db's man -l, the completion with bash-completion. Bench: hyperfine, bc and GNU time.
# itareport serve: libmicrohttpd-dev (the HTTP server); its browser test drives chromium
# with puppeteer-core from tests/browser (nodejs and npm; a node and npm already on the PATH,
# e.g. from NodeSource, count as installed).
# The breaker's dictionary: libdatrie-dev (the trie library libthai is built on, read by the
# breaker for the project's words), libdatrie1-bin (trietool: make builds the trie from
# libthai's word list and dict/*.txt).
# The national font: fonts-tlwg-laksaman-ttf (TH Sarabun New's derivative, for --font-family laksaman).
pkgs=(build-essential pkg-config libhpdf-dev libyaml-dev libharfbuzz-dev libfreetype-dev
      libthai-dev libdatrie-dev libdatrie1-bin libpng-dev libdeflate-dev libxxhash-dev libjpeg62-turbo-dev libcmocka-dev poppler-utils qpdf mupdf-tools libharfbuzz-bin
      ghostscript valgrind hyperfine bc time gettext locales man-db bash-completion fonts-tlwg-laksaman-ttf cppcheck clang-format clang libclang-rt-14-dev python3
      libmicrohttpd-dev chromium nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  case "$p" in nodejs) command -v node >/dev/null 2>&1 && continue ;; npm) command -v npm >/dev/null 2>&1 && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
thai_locale() { locale -a 2>/dev/null | grep -qix 'th_TH.utf8'; }
[ ${#missing[@]} -eq 0 ] && thai_locale && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  elif [ ${#missing[@]} -eq 0 ]; then
    echo "deps: no th_TH.UTF-8 locale (Thai messages work without it; as root, make deps adds it)" >&2
    exit 0
  else
    {
      echo "deps: itareport needs these Debian packages, which are not installed:"
      echo "  ${missing[*]}"
      echo "deps: you are not root and sudo is not available; ask an administrator to run, as root:"
      echo "  apt-get update && apt-get install --no-install-recommends ${missing[*]}"
      echo "deps: (or run 'make deps' as root), then run make again."
    } >&2
    exit 1
  fi
fi
[ ${#missing[@]} -gt 0 ] && echo "deps: installing ${missing[*]}" >&2
if [ ${#missing[@]} -gt 0 ] && [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' -e '^auxfiles$')" ]; then
  $sudo apt-get update -qq
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ] && ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Thai locale, so that LANG=th_TH.UTF-8 is a locale the C library knows.
if ! thai_locale; then
  echo "deps: generating the th_TH.UTF-8 locale" >&2
  $sudo sed -i 's/^# *th_TH.UTF-8 UTF-8/th_TH.UTF-8 UTF-8/' /etc/locale.gen
  grep -q '^th_TH.UTF-8 UTF-8' /etc/locale.gen || echo 'th_TH.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
  $sudo locale-gen >/dev/null
fi
