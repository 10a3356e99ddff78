#!/usr/bin/env bash
# Installs the Debian packages dfdg needs to build, test and benchmark, if any are missing.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail
packages=(
  build-essential cmake pkg-config python3 python3-yaml python3-jsonschema
  libyaml-cpp-dev nlohmann-json3-dev libsqlite3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libgoogle-perftools-dev
  libxlsxwriter-dev libxxhash-dev unzip
  libcpp-httplib-dev libssl-dev openssl curl zlib1g-dev
  postgresql-15 libpq-dev
  chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The statistics page is bundled with npm packages (web/package-lock.json); a Node.js that ships its own npm counts.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
