#!/usr/bin/env bash
# A batch of 200 rows, its process SIGKILLed at random moments and resumed
# each time: afterwards exactly 200 completed items, 200 images in the
# library, 200 image files, nothing half-written, no duplicates.
set -euo pipefail
cli=$1
fake=$2
tmp=$(mktemp -d)
fake_pid=
cleanup () {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"$fake" --latency-ms 60 >"$tmp/url" &
fake_pid=$!
for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
url=$(head -n1 "$tmp/url")

export PIXMERGE_LIBRARY_DIR="$tmp/library"
export XDG_CACHE_HOME="$tmp/cache"
printf 'Name,City\n' >"$tmp/rows.csv"
for i in $(seq 200); do printf 'Person %d,City %d\n' "$i" $((i % 7)) >>"$tmp/rows.csv"; done

batch=(--model local-model --base-url "$url/v1")
kill_after () { # seconds, then the command: run it and SIGKILL it then
  local delay=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err" &
  local pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# The first run is killed 0.8 s after it has made the batch (it says so
# first): on a loaded machine starting up alone can take longer than that.
"$cli" batch run --csv "$tmp/rows.csv" --prompt "Portrait of [NAME] in [CITY]" --concurrency 8 "${batch[@]}" \
  >"$tmp/out" 2>"$tmp/err" &
run_pid=$!
for _ in $(seq 300); do grep -q '^batch: ' "$tmp/out" && break; sleep 0.1; done
sleep 0.8
kill -9 "$run_pid" 2>/dev/null || true
wait "$run_pid" 2>/dev/null || true
id=$(sed -n 's/^batch: //p' "$tmp/out")
[ -n "$id" ] || { echo "no batch id printed"; cat "$tmp/out" "$tmp/err"; exit 1; }
# 200 rows at 60 ms, 8 at a time, take at least 1.5 s: the first kill lands mid-run.
"$cli" batch status "$id" >"$tmp/status"
grep -q '^completed: 200$' "$tmp/status" && { echo "the first kill came after the end"; exit 1; }

kills=1
for delay in 0.6 0.9 0.5 1.1 0.7 0.8; do
  kill_after "$delay" "$cli" batch resume "$id" "${batch[@]}"
  kills=$((kills + 1))
done
"$cli" batch status "$id" >"$tmp/status"
echo "# after $kills kills: $(tr '\n' ' ' <"$tmp/status")"

"$cli" batch resume "$id" "${batch[@]}" >/dev/null 2>"$tmp/err" || { echo "final resume failed"; cat "$tmp/err"; exit 1; }
"$cli" batch status "$id" >"$tmp/status"
grep -q '^completed: 200$' "$tmp/status" || { echo "not 200 completed:"; cat "$tmp/status"; exit 1; }
grep -q '^failed: 0$' "$tmp/status" || { echo "failed items:"; cat "$tmp/status"; exit 1; }
grep -q '^pending: 0$' "$tmp/status" || { echo "pending items:"; cat "$tmp/status"; exit 1; }

"$cli" library list >"$tmp/images"
[ "$(wc -l <"$tmp/images")" = 200 ] || { echo "library has $(wc -l <"$tmp/images") images, not 200"; exit 1; }
dups=$(cut -f4- "$tmp/images" | sort | uniq -d | wc -l)
[ "$dups" = 0 ] || { echo "$dups prompts have more than one image"; exit 1; }
files=$(find "$tmp/library/images" -type f -not -path '*/.staging/*' | wc -l)
[ "$files" = 200 ] || { echo "$files image files, not 200"; exit 1; }
staged=$(find "$tmp/library/images" -path '*/.staging/*' -type f | wc -l)
[ "$staged" = 0 ] || { echo "$staged staged files left behind"; exit 1; }
"$cli" library check >/dev/null 2>"$tmp/err" || { echo "library check found problems:"; cat "$tmp/err"; exit 1; }
echo "batch survived $kills kills: 200 items, 200 images, 200 files"
