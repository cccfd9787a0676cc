#!/usr/bin/env bash
# Starts Sync Lab's backend: the REST API on localhost:3000 and the app on
# localhost:8080, with an embedded MongoDB. Flags are passed on, e.g.
#   bash scripts/start.sh -step 03
set -euo pipefail
. "$(dirname "$0")/setup.sh"
need_go
need_frontend_libs
exec go run ./backend "$@"
