# Shared set-up for start.sh and test.sh: installs what is missing, saying so.
# Sourced, not run.

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

apt_updated=
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then
    say "updating Debian's package lists (apt-get update)"
    as_root apt-get update -qq || return 1
    apt_updated=1
  fi
  say "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

need_go() {
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null || die "Go is not installed: install Go 1.26 or newer (https://go.dev/doc/install), then run this again"
}

need_npm() {
  if ! command -v npm >/dev/null; then
    apt_install nodejs npm || die "npm is not installed: install Node.js with npm, then run this again"
  fi
}

# The app's front-end libraries (idb, Material Design Lite, fonts) from npm.
need_frontend_libs() {
  if [ ! -f frontend/node_modules/.package-lock.json ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
    need_npm
    say "installing the app's front-end libraries (npm ci in frontend/)"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in frontend/"
  fi
}

# The slide library (reveal.js) from npm, for the course's slides.
need_slides_libs() {
  if [ ! -f slides/node_modules/.package-lock.json ] || [ slides/package-lock.json -nt slides/node_modules/.package-lock.json ]; then
    need_npm
    say "installing the slide library (npm ci in slides/)"
    (cd slides && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in slides/"
  fi
}

find_browser() {
  if [ -n "${CHROME_PATH:-}" ]; then
    [ -x "$CHROME_PATH" ] || command -v "$CHROME_PATH" >/dev/null
    return
  fi
  for b in chromium chromium-browser google-chrome google-chrome-stable microsoft-edge; do
    command -v "$b" >/dev/null && return 0
  done
  return 1
}

need_browser() {
  if ! find_browser; then
    apt_install chromium || die "no Chrome or Chromium found: install one (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH"
  fi
}

need_go_modules() {
  say "fetching Go modules (go mod download)"
  go mod download || die "go mod download failed"
}

cd "$(dirname "$0")/.." || exit 2
