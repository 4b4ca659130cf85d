#!/usr/bin/env bash
# A provider batch (the Gemini API's Batch Mode and OpenAI's Batch API, served
# by the fake) whose command is SIGKILLed at the two worst moments, then
# resumed:
#  1. after the provider made the job and before its name was stored (the
#     answer is 1.5 s late): the resume finds the job by its display name;
#     the provider made exactly one job.
#  2. in the middle of downloading the results (the fake sends half the file,
#     then waits): nothing half-stored; the resume downloads again and stores
#     every row exactly once.
# Then a few more kills at other moments. Afterwards: every row completed or
# failed with the provider's words, one image per completed row, no
# duplicates, no stray files, the library consistent.
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

export GEMINI_API_KEY=test-key-0123456789
export OPENAI_API_KEY=sk-test-key-0123456789
export XDG_CACHE_HOME="$tmp/cache"

start_fake () { # options
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  : >"$tmp/fake.err"
  rm -f "$tmp/url"
  "$fake" --plain-images "$@" --log-batches >"$tmp/url" 2>"$tmp/fake.err" &
  fake_pid=$!
  for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
  url=$(head -n1 "$tmp/url")
}
wait_for_line () { # pattern file count
  for _ in $(seq 600); do
    [ "$(grep -c "$1" "$2" || true)" -ge "$3" ] && return 0
    sleep 0.05
  done
  echo "timed out waiting for “$1” in $2"; cat "$2"; exit 1
}
rows () { # n
  printf 'Name\n' >"$tmp/rows.csv"
  for i in $(seq "$1"); do printf 'Person %d\n' "$i" >>"$tmp/rows.csv"; done
}
check_batch () { # id rows failed
  local id=$1 n=$2 failed=$3
  "$cli" batch status "$id" --base-url "$url${url_suffix:-}" >"$tmp/status"
  grep -q "^completed: $((n - failed))$" "$tmp/status" || { echo "not $((n - failed)) completed:"; cat "$tmp/status"; exit 1; }
  grep -q "^failed: $failed$" "$tmp/status" || { echo "not $failed failed:"; cat "$tmp/status"; exit 1; }
  grep -q '^pending: 0$' "$tmp/status" || { echo "pending items:"; cat "$tmp/status"; exit 1; }
  "$cli" library list >"$tmp/images"
  [ "$(wc -l <"$tmp/images")" = $((n - failed)) ] || { echo "library has $(wc -l <"$tmp/images") images"; exit 1; }
  dups=$(cut -f4- "$tmp/images" | sort | uniq -d | wc -l)
  [ "$dups" = 0 ] || { echo "$dups prompts have more than one image"; exit 1; }
  made=$(grep -c '^batch created: ' "$tmp/fake.err" || true)
  [ "$made" = 1 ] || { echo "the provider made $made jobs, not 1"; cat "$tmp/fake.err"; exit 1; }
  stray=$(find "$PIXMERGE_LIBRARY_DIR/provider-batches" -type f | wc -l)
  [ "$stray" = 0 ] || { echo "$stray files left in provider-batches"; ls -la "$PIXMERGE_LIBRARY_DIR/provider-batches"; exit 1; }
  "$cli" library check >/dev/null 2>"$tmp/err" || { echo "library check found problems:"; cat "$tmp/err"; exit 1; }
}

# 1. Killed between the provider making the job and the job's name stored,
#    on each provider's batch engine.
killed_after_submit () { # library model base-url-suffix words-of-a-refused-line
  export PIXMERGE_LIBRARY_DIR="$tmp/$1"
  start_fake --latency-ms 1500 --batch-polls 2 --batch-failing 25
  rows 100
  "$cli" batch run --provider-batch --csv "$tmp/rows.csv" --prompt "Portrait of [NAME]" \
    --model "$2" --poll 0.2 --base-url "$url$3" >"$tmp/out" 2>"$tmp/err" &
  run_pid=$!
  wait_for_line '^batch created: ' "$tmp/fake.err" 1
  kill -9 "$run_pid"
  wait "$run_pid" 2>/dev/null || true
  id=$(sed -n 's/^batch: //p' "$tmp/out")
  [ -n "$id" ] || { echo "no batch id printed"; cat "$tmp/out" "$tmp/err"; exit 1; }
  grep -q 'provider jobs: 1 of 1 made' "$tmp/err" && { echo "the kill came after the name was stored"; exit 1; }
  "$cli" batch resume "$id" --poll 0.2 --base-url "$url$3" >/dev/null 2>"$tmp/err" && \
    { echo "4 rows fail, so the resume should say so"; cat "$tmp/err"; exit 1; }
  grep -q 'The batch ended with 4 failed items' "$tmp/err" || { echo "resume failed:"; cat "$tmp/err"; exit 1; }
  url_suffix=$3 check_batch "$id" 100 4
  "$cli" batch export "$id" -o "$tmp/results.csv"
  [ "$(grep -c "$4" "$tmp/results.csv")" = 4 ] || { echo "the provider's words are not in the export"; exit 1; }
  echo "# $2: killed after submit, resumed with one provider job, 96 images, 4 failed with the provider's words"
}
killed_after_submit library1 gemini-3.1-flash-image "" "invalid argument"
killed_after_submit library1-openai gpt-image-2 /v1 "safety system"

# 2. Killed in the middle of the results download.
export PIXMERGE_LIBRARY_DIR="$tmp/library2"
start_fake --batch-polls 1 --batch-download-stall-ms 2500
rows 300
"$cli" batch run --provider-batch --csv "$tmp/rows.csv" --prompt "Portrait of [NAME]" \
  --model gemini-3.1-flash-image --poll 0.1 --base-url "$url" >"$tmp/out" 2>"$tmp/err" &
run_pid=$!
wait_for_line '^results download: ' "$tmp/fake.err" 1
sleep 0.5
kill -9 "$run_pid"
wait "$run_pid" 2>/dev/null || true
id=$(sed -n 's/^batch: //p' "$tmp/out")
"$cli" library list >"$tmp/images"
[ "$(wc -l <"$tmp/images")" = 0 ] || { echo "images stored from half a download"; exit 1; }

# More kills: during the next download, then whenever.
kills=1
for delay in 1.0 3.2 2.9 3.6; do
  "$cli" batch resume "$id" --poll 0.1 --base-url "$url" >/dev/null 2>"$tmp/err" &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  kills=$((kills + 1))
done
"$cli" batch resume "$id" --poll 0.1 --base-url "$url" >/dev/null 2>"$tmp/err" || \
  { echo "final resume failed"; cat "$tmp/err"; exit 1; }
check_batch "$id" 300 0
echo "# killed mid-download and $((kills - 1)) more times: 300 rows, 300 images, one provider job"
