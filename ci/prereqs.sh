#!/usr/bin/env bash
# Installs the real test peers that `./eddy test` needs (libsrtp2, coturn, usrsctp, Chromium, ...).
# Each file in ci/prereqs.d/ declares what one group of tests needs by calling need_deb (Debian packages)
# or need_npm (a directory with a package.json/package-lock.json whose node_modules the tests use);
# this script gathers the missing Debian packages and installs them in one apt-get run, then runs
# `npm ci` where node_modules is missing or older than the lock file.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

MISSING=()
NPM_DIRS=()
need_npm() { # directories relative to the repository root
  local d
  for d in "$@"; do
    NPM_DIRS+=("$d")
    command -v npm >/dev/null || MISSING+=(nodejs npm)
  done
}

install_npm_dirs() {
  local d root
  root="$(cd "$HERE/.." && pwd)"
  for d in "${NPM_DIRS[@]}"; do
    local dir="$root/$d"
    if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
      echo "eddy: npm ci in $d" >&2
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || {
        echo "eddy: 'npm ci' failed in $d; the interop tests need it (is the npm registry reachable?)" >&2; exit 1; }
    fi
  done
}

need_deb() { # package names; a package counts as present when dpkg says it is installed
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || MISSING+=("$p")
  done
}

for f in "$HERE"/prereqs.d/*.sh; do
  [[ -e "$f" ]] || continue
  # shellcheck source=/dev/null
  source "$f"
done

if [[ ${#MISSING[@]} -eq 0 ]]; then
  install_npm_dirs
  exit 0
fi
echo "eddy: installing test peers: ${MISSING[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
  command -v sudo >/dev/null || { echo "eddy: the tests need these Debian packages: ${MISSING[*]}; install them as root (apt-get install ${MISSING[*]}) and retry" >&2; exit 1; }
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || true
$SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >&2 || {
  echo "eddy: could not install ${MISSING[*]} with apt-get; install them yourself and retry" >&2; exit 1; }
install_npm_dirs
