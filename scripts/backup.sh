#!/usr/bin/env bash
# `make backup`: one backup of the database into BACKUP_DIR (default var/backups), then the
# backups older than BACKUP_KEEP_DAYS (default 30) are deleted.
# PostgreSQL (DATABASE_URL=postgres://…): pg_dump's custom format (-Fc), compressed, restored
# with `make restore BACKUP=<file>`. The embedded SQLite: its online backup (the application
# may keep running), through `manage.py backup_sqlite`.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${BACKUP_DIR:-var/backups}"
keep="${BACKUP_KEEP_DAYS:-30}"
mkdir -p "$dir"
stamp=$(date -u +%Y%m%d-%H%M%S)
case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*)
    file="$dir/logement-$stamp.dump"
    pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file.part"
    ;;
  *)
    file="$dir/logement-$stamp.sqlite3"
    .venv/bin/python manage.py backup_sqlite "$file.part" >/dev/null
    ;;
esac
mv "$file.part" "$file"
find "$dir" -maxdepth 1 -name 'logement-*' -type f -mtime "+$keep" -delete
echo "$file"
