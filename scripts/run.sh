#!/usr/bin/env bash
# Prepare the database and content, then serve EndoSpine with its background worker.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
bin=.venv/bin

"$bin/endospine" migrate --noinput -v0
"$bin/endospine" load_content
"$bin/endospine" demo --if-empty

"$bin/endospine" worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

echo
echo "EndoSpine is at http://$host:$port/  (Ctrl-C to stop)"
echo
# The production server (granian, one worker per core, WhiteNoise for static
# files); `endospine runserver` remains available for Django's development server.
"$bin/endospine" serve --host "$host" --port "$port"
