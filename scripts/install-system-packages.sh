#!/usr/bin/env bash
# Installs the Debian packages the test suite needs: Chromium for browser tests, GnuPG for
# interoperability tests, Redis for multi-process tests, HAProxy for the portals-behind-a-proxy
# tests, Liberation fonts for screenshots and PDFs. Go (for the embedded database build) is checked by that build, not here.
#
# Safe to run again: it installs only what is missing. It installs when it can, as root or with a
# sudo that needs no password; otherwise it fails with the one command to run.
#   --check   install nothing; fail naming what is missing
set -euo pipefail

# HAProxy lives in /usr/sbin, which an unprivileged user's PATH may not hold.
PATH="$PATH${SBIN_DIRS-:/usr/local/sbin:/usr/sbin:/sbin}"

missing() {
  local need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v gpg >/dev/null 2>&1 || need+=(gnupg)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
  { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi liberation; } ||
    need+=(fonts-liberation)
  echo "${need[*]}"
}

need=$(missing)
[ -z "$need" ] && exit 0

how="sudo bash scripts/install-system-packages.sh"
if [ "${1:-}" = "--check" ]; then
  echo "The test suite needs these Debian packages: $need. Install them with: $how" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "The test suite needs these Debian packages: $need. Install them once with: $how" >&2
  exit 1
fi

echo "system packages: installing $need"
"${as_root[@]}" apt-get update -qq
# shellcheck disable=SC2086 # $need is a list of package names
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends $need >/dev/null

still=$(missing)
if [ -n "$still" ]; then
  echo "system packages: still missing after apt-get install: $still" >&2
  exit 1
fi
echo "system packages: installed $need"
