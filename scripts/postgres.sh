#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 and print a URL for a
# throw-away database (pytest-django creates and drops "test_<name>").
set -euo pipefail
say() { echo "$*" >&2; }
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  say "== installing PostgreSQL (Debian package)"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "== starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start >&2 || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
name="endospine_ci_$$"
if psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1" >/dev/null 2>&1; then
  echo "postgres://postgres@127.0.0.1:5432/$name"
  exit 0
fi
# A fresh Debian install does not trust TCP connections: give the postgres role a
# local-only password through the peer-authenticated socket.
say "== setting a local password for the postgres role"
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'endospine-ci'\"" >&2
echo "postgres://postgres:endospine-ci@127.0.0.1:5432/$name"
