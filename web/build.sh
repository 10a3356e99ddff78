#!/usr/bin/env bash
# Builds the statistics page into $1: `npm ci` when web/node_modules is missing or older than the lock file
# (packages pinned in web/package-lock.json, from the npm registry), then esbuild (web/build.mjs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../build/web}"
cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node build.mjs "$out"
