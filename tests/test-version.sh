#!/bin/sh
# `pixmerge --version` prints the project version and exits without opening a window.
set -eu
got=$("$1" --version)
[ "$got" = "Pixmerge $2" ] || { echo "expected 'Pixmerge $2', got '$got'"; exit 1; }
