#!/usr/bin/env bash
# `make restore BACKUP=<file>`: puts a backup of `make backup` back, replacing what the
# database holds (stop the web, worker and beat first).
# PostgreSQL: pg_restore into DATABASE_URL's database (its objects dropped and recreated),
# in one transaction: a failed restore leaves the database as it was.
# SQLite: the file is copied over var/db.sqlite3 (or VAR_DIR's).
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:?give the backup file: make restore BACKUP=var/backups/logement-….dump}"
[ -f "$file" ] || { echo "No backup at $file" >&2; exit 1; }
case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*)
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
      --exit-on-error --dbname="$DATABASE_URL" "$file"
    ;;
  *)
    target="${VAR_DIR:-var}/db.sqlite3"
    rm -f "$target-wal" "$target-shm"
    cp "$file" "$target"
    ;;
esac
echo "Restored $file"
