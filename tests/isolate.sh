#!/usr/bin/env bash
# tests/isolate.sh COMMAND…: runs one test (or benchmark) in folders of its
# own and in a D-Bus session of its own with its own unlocked keyring, so that
# `meson test` run straight on a desktop never reads or writes the user's
# library, settings, cache or keys. meson runs every test through it (the
# default test setup in tests/meson.build).
set -euo pipefail

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "tests/isolate.sh: $tool is missing; build-aux/test installs it" >&2
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pixmerge-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/data" "$tmp/cache" "$tmp/config" "$tmp/state" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export HOME="$tmp/home"
export XDG_DATA_HOME="$tmp/data"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_STATE_HOME="$tmp/state"
export XDG_RUNTIME_DIR="$tmp/runtime"
# Settings in memory, never the user's dconf.
export GSETTINGS_BACKEND=memory

# Not exec: the trap above removes the folders afterwards.
set +e
dbus-run-session -- bash -c '
  eval "$(printf %s test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  exec "$@"
' isolate "$@"
status=$?
set -e

# No file the test made Pixmerge write (library, cache, settings, exports,
# logs) holds a test key in the clear; only the keyring's own encrypted
# file may. What tests print is checked by build-aux/test on the whole log.
keys="$(dirname "${BASH_SOURCE[0]}")/secret-keys.txt"
if leaks=$(grep -rlaF -f "$keys" --devices=skip --exclude-dir=keyrings "$tmp" 2>/dev/null); then
  echo "tests/isolate.sh: a test key was written in the clear to:" >&2
  sed "s|^$tmp/|  |" <<<"$leaks" >&2
  exit 1
fi
exit $status
