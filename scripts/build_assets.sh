#!/usr/bin/env bash
# Fetches the dashboard's browser libraries from the npm registry (versions pinned in
# package-lock.json) and copies the few files the page loads into
# eventline/serve/static/vendor/. The server then works offline: no CDN, no tile server.
#
# Usage: scripts/build_assets.sh        (from anywhere; needs node and npm)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/eventline/serve/static/vendor"
cd "$root"

if ! command -v npm >/dev/null 2>&1; then
    echo "build_assets: npm not found. Install Node.js 18+ (with npm), then run this again." >&2
    exit 1
fi

if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
else
    npm install --no-audit --no-fund
fi

mkdir -p "$vendor/images"
cp node_modules/leaflet/dist/leaflet.js "$vendor/leaflet.js"
cp node_modules/leaflet/dist/leaflet.css "$vendor/leaflet.css"
cp node_modules/leaflet/dist/images/*.png "$vendor/images/"
cp node_modules/topojson-client/dist/topojson-client.min.js "$vendor/topojson-client.min.js"
cp node_modules/world-atlas/countries-110m.json "$vendor/countries-110m.json"
# the licences travel with the files
cp node_modules/leaflet/LICENSE "$vendor/LICENSE.leaflet"
cp node_modules/topojson-client/LICENSE "$vendor/LICENSE.topojson-client"
cp node_modules/world-atlas/LICENSE "$vendor/LICENSE.world-atlas"

echo "build_assets: dashboard libraries copied to eventline/serve/static/vendor/"
