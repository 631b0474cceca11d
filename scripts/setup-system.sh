#!/usr/bin/env bash
# Installs the Debian packages Samverka needs when they are missing: pango and fonts for PDF reports,
# poppler-utils to read PDFs back in tests, Chromium for the browser tests, and python3-venv.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation
          poppler-utils chromium)

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Samverka needs Python 3.11 or newer; python3 is $(python3 --version 2>&1)." >&2; exit 1; }
python3 -c 'import venv, ensurepip' 2>/dev/null || PACKAGES+=(python3-venv)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "System packages: all present."
  exit 0
fi
command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "System packages: installing ${missing[*]} (about 130 MB when all are missing)..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $command -qq
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo "System packages: installing ${missing[*]} with sudo..."
  sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive $command -qq
else
  echo "Samverka needs these Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  sudo apt-get update && sudo $command" >&2
  exit 1
fi
