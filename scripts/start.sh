#!/usr/bin/env bash
# Starts Sync Lab's backend: the REST API on localhost:3000, the app on
# localhost:8080 and the course on localhost:8000, with an embedded MongoDB.
# Flags are passed on, e.g.
#   bash scripts/start.sh -step 03
set -euo pipefail
. "$(dirname "$0")/setup.sh"
need_go
need_frontend_libs
need_slides_libs
exec go run ./backend "$@"
