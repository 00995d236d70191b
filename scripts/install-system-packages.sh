#!/usr/bin/env bash
# Installs the Debian packages the test suite needs on a fresh machine: Chromium for browser
# tests, GnuPG for interoperability tests, Redis for multi-process tests. Go (for the embedded
# database build) must already be on PATH. Safe to run again: it installs only what is missing.
# With --check it installs nothing and fails, naming what is missing.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v gpg >/dev/null 2>&1 || need+=(gnupg)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
fc-list 2>/dev/null | grep -qi liberation || need+=(fonts-liberation)

if [ ${#need[@]} -eq 0 ]; then
  [ "${1:-}" = "--check" ] || echo "system packages: all present"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "The test suite needs these Debian packages: ${need[*]}" >&2
  echo "Install them with: sudo bash scripts/install-system-packages.sh" >&2
  exit 1
fi
echo "system packages: installing ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
