#!/usr/bin/env bash
# tests/a11y/test-a11y.sh PIXMERGE DEMO-PROVIDER: the real app driven the way
# a screen reader sees it. Runs inside the test's own D-Bus session
# (tests/isolate.sh) and Xvfb: starts the accessibility bus, then Pixmerge
# with accessibility on (the suite turns it off everywhere else), on a first
# start with no key, then tests/a11y/drive.py, which works only through
# AT-SPI: accessible names, roles, actions and selections; no coordinates.
set -euo pipefail

app=$1
demo=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3   # Debian's, which has pyatspi (build-aux/test installs it)

if ! "$python" -c 'import pyatspi' 2>/dev/null; then
  echo "test-a11y: $python has no pyatspi; build-aux/test installs python3-pyatspi" >&2
  exit 1
fi
launcher=/usr/libexec/at-spi-bus-launcher
if [ ! -x "$launcher" ]; then
  echo "test-a11y: $launcher is missing; build-aux/test installs at-spi2-core" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pixmerge-a11y.XXXXXX")
pids=()
cleanup () {
  # The app, then the accessibility bus and everything it started: nothing
  # may outlive the test and hold meson's output open.
  for pid in "${pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  pkill -TERM -f at-spi2-registryd 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$launcher" --launch-immediately >/dev/null 2>&1 &
pids+=($!)

# A first start: no key anywhere, a library of its own.
mkdir -p "$work/library"
env -u GTK_A11Y -u NO_AT_BRIDGE -u OPENAI_API_KEY -u GEMINI_API_KEY -u GOOGLE_API_KEY \
  PIXMERGE_LIBRARY_DIR="$work/library" PIXMERGE_DEMO_PROVIDER="$demo" PIXMERGE_DEMO_LATENCY_MS=200 \
  "$app" >"$work/app.log" 2>&1 &
app_pid=$!
pids=("$app_pid" "${pids[@]}")

set +e
timeout 150 "$python" "$here/drive.py" pixmerge
status=$?
set -e
if [ $status -ne 0 ]; then
  echo "--- what Pixmerge printed:" >&2
  cat "$work/app.log" >&2
fi
exit $status
