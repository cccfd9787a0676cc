#!/usr/bin/env bash
# Runs Sync Lab's whole test suite on this machine: formatting, vet, every
# package's tests (real browser, real HTTP, embedded MongoDB; -race where
# the Go code is concurrent; the full scenario matrix), a short fuzz
# run and one pass of the quick benchmarks: the backend's,
# BenchmarkOfflineReplay and BenchmarkBuildSite. The long ones
# (BenchmarkGradeClass, BenchmarkGradeCost, BenchmarkMatrix, BenchmarkChapter,
# BenchmarkWatchRerun, BenchmarkScreenshots, …) are run by hand as the
# README says.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
need_go
need_frontend_libs
need_slides_libs
need_browser
# The tests that prove a browser without Background Sync is the
# environment's failure, not the app's, use Chromium's old headless shell
# (Debian's chromium-headless-shell); without it they skip.
if ! command -v chromium-headless-shell >/dev/null && ! command -v chrome-headless-shell >/dev/null; then
  apt_install chromium-headless-shell ||
    say "could not install chromium-headless-shell: the tests with a browser without Background Sync will skip"
fi

# --- A Docker engine for TestMongoInDocker (backend/dbsource) --------------
# TestMongoInDocker proves `-mongo docker` on a real engine with an image it
# builds itself (no registry needed); without an engine it skips, and fails
# under CI=true. Like Chromium above, Debian's docker.io is installed when
# there is neither an engine nor dockerd; as root, dockerd is started when no
# engine answers: without a bridge network, iptables rules or forwarding,
# because containers on Docker's bridge network must never be reached on the
# development machines (the test runs its container with host networking).
docker_answers() { command -v docker >/dev/null && timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if ! docker_answers; then
  command -v dockerd >/dev/null || apt_install docker.io ||
    say "could not install docker.io: TestMongoInDocker will skip (start Docker to include it)"
  if docker_answers; then
    : # the package's service started it
  elif command -v dockerd >/dev/null && [ "$(id -u)" = 0 ]; then
    say "starting dockerd (no bridge network; log in /tmp/dockerd.log)"
    setsid dockerd --bridge=none --iptables=false --ip-forward=false </dev/null >/tmp/dockerd.log 2>&1 &
    for _ in $(seq 1 30); do docker_answers && break; sleep 0.5; done
    docker_answers || say "dockerd did not answer within 15 s (see /tmp/dockerd.log): TestMongoInDocker will skip"
  else
    say "no Docker engine answers: TestMongoInDocker will skip (start Docker, or run this as root to start dockerd)"
  fi
fi
# --- end of the Docker block ------------------------------------------------

need_go_modules

say "checking formatting (gofmt)"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './frontend/node_modules/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi

say "go vet"
go vet ./...

# A count, not a duration: with -fuzztime 10s, Go 1.26's fuzz coordinator
# can report its own stop as "context deadline exceeded" and fail without
# any failing input (golang/go#75804, fixed in Go 1.27); it did so once on
# this project's CI. 3000 inputs take about 10 s on a 2-core machine.
say "fuzzing the upload handler (3000 inputs)"
go test -run '^$' -fuzz FuzzUpload -fuzztime 3000x ./backend/api

say "running the quick benchmarks once: the backend's, OfflineReplay, BuildSite"
go test -run '^$' -bench . -benchtime 1x ./backend/... >/dev/null
go test -run '^$' -bench 'OfflineReplay' -benchtime 1x ./simulator/scenario >/dev/null
go test -run '^$' -bench 'BuildSite' -benchtime 1x ./course/site

# Packages whose tests drive Chromium run one at a time: two browser-heavy
# suites at once on a small machine only slow each other down.
browser_pkgs="synclab/checks synclab/checks/grading synclab/checks/runner synclab/course/site synclab/frontend synclab/simulator synclab/simulator/scenario synclab/simulator/session synclab/slides/pdf"
browser_pkgs="$browser_pkgs synclab/checks/cli synclab/checks/synclab-checks synclab/course/screens"

# The packages without a browser, and the two browser packages whose Go
# code is the most concurrent (the runner's scheduler, a session's event
# streams), run under the race detector; the other browser packages run
# without it (their work is in Chromium, and -race would only slow them).
race_browser_pkgs="synclab/checks/runner synclab/simulator/session"

say "running the tests without a browser, with -race"
go test -race -timeout 20m -count 1 $(go list ./... | grep -vxF -f <(printf '%s\n' $browser_pkgs))
go test -count 1 -tags synclab_embed ./frontend/mirror  # the libraries built into synclab-checks (go install -tags synclab_embed)

say "running the browser tests, one package at a time (every scenario on every checkpoint)"
# SYNCLAB_FULL_MATRIX: TestMatrix runs each scenario on all checkpoints,
# not only where its verdict turns, so each scenario's first passing
# checkpoint is proven to be what the course and -list claim.
SYNCLAB_FULL_MATRIX=1 go test -p 1 -timeout 30m -count 1 $(printf '%s\n' $browser_pkgs | grep -vxF -f <(printf '%s\n' $race_browser_pkgs))
say "running the runner's and the session's browser tests with -race"
go test -race -p 1 -timeout 30m -count 1 $race_browser_pkgs
