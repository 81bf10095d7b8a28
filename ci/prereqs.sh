#!/usr/bin/env bash
# Installs the real test peers that `./eddy test` needs (libsrtp2, coturn, usrsctp, Chromium, ...).
# Each file in ci/prereqs.d/ declares what one group of tests needs by calling need_deb / need_cmd;
# this script gathers the missing Debian packages and installs them in one apt-get run.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

MISSING=()
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

[[ ${#MISSING[@]} -eq 0 ]] && exit 0
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
