#!/bin/bash
# Nightly backup of the web root to the backup volume.
set -euo pipefail
SRC=/var/www/html
DEST=/mnt/backup/www
STAMP=$(date +%Y%m%d)
mkdir -p "$DEST"
if [ -d "$SRC" ]; then
  tar -czf "$DEST/www-$STAMP.tar.gz" -C "$SRC" .
  find "$DEST" -name 'www-*.tar.gz' -mtime +14 -delete
fi
echo "backup done: $DEST/www-$STAMP.tar.gz"
