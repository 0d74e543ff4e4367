#!/usr/bin/env bash
# The whole check: lint, format, types, the suite on SQLite (with browser tests) and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
export ENDOSPINE_DATA_DIR=${ENDOSPINE_DATA_DIR:-$(mktemp -d)}

echo "== ruff check"
"$bin/ruff" check .
echo "== ruff format --check"
"$bin/ruff" format --check .
echo "== mypy"
"$bin/mypy" endospine

if [ ! -x /usr/bin/chromium ]; then
  echo "!! Chromium is not installed: the browser tests will be SKIPPED (install Debian's 'chromium')."
fi

echo "== pytest on SQLite (with browser tests)"
"$bin/pytest" -q -p no:randomly

echo "== pytest on PostgreSQL"
pg_url=$(bash scripts/postgres.sh)
DATABASE_URL="$pg_url" "$bin/pytest" -q -m "not browser" --create-db
