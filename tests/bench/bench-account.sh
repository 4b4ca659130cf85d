#!/usr/bin/env bash
# bench-account.sh: pixmerge-cli batch run against the fake provider as its
# own process, like a real account:
#  - 160 rows, 300 ms an answer, --concurrency 8, an account allowing 10,000
#    requests a minute: at most 1.10 × the ideal 6.0 s, and no slower than a
#    script with the official OpenAI SDK doing the same (when Node.js and npm
#    can install the SDK; otherwise that comparison is reported as not run);
#  - the same on an account allowing 120 a minute: within 1.25 × the
#    account's own pace, with at most 10 % of the answers 429.
# Exits 1 when a target is missed.
set -euo pipefail
cli=$1
fake=$2
sdk_dir=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
fake_pid=
cleanup () { [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
key=bench-key-7a61
rows=160
missed=0
export GSETTINGS_BACKEND=memory XDG_CACHE_HOME="$tmp/cache" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"

printf 'Name\n' >"$tmp/rows.csv"
for i in $(seq $rows); do printf 'Person %s\n' "$i" >>"$tmp/rows.csv"; done

start_fake () { # requests a minute
  "$fake" --port 0 --key "$key" --latency-ms 300 --plain-images --rpm "$1" >"$tmp/fake.url" 2>"$tmp/fake.err" &
  fake_pid=$!
  for _ in $(seq 50); do [ -s "$tmp/fake.url" ] && break; sleep 0.1; done
  root=$(head -n1 "$tmp/fake.url")
}
stop_fake () {
  kill "$fake_pid"; wait "$fake_pid" 2>/dev/null || true; fake_pid=
  refused=$(sed -n 's/^refused by the rate limit: //p' "$tmp/fake.err")
  served=$(sed -n 's/^requests: //p' "$tmp/fake.err")
}
seconds () { python3 -c "import sys; print(f'{float(sys.argv[1]):.3f}')" "$1"; }
now () { date +%s.%N; }
run_batch () { # library dir; a cache of its own, so no answer comes from an earlier run
  local t0 t1
  t0=$(now)
  XDG_CACHE_HOME="$1-cache" PIXMERGE_LIBRARY_DIR="$1" OPENAI_API_KEY="$key" PIXMERGE_OPENAI_BASE_URL="$root/v1" \
    "$cli" batch run --csv "$tmp/rows.csv" --prompt "Poster for [NAME]" --model gpt-image-2 --concurrency 8 \
    >/dev/null 2>"$tmp/cli.err" || { cat "$tmp/cli.err"; return 1; }
  t1=$(now)
  wall=$(python3 -c "print($t1 - $t0)")
}
check () { # description, condition as a python expression
  if python3 -c "import sys; sys.exit(0 if ($2) else 1)"; then echo "ok   $1"; else echo "MISS $1"; missed=1; fi
}

# A large account: the client is the limit.
start_fake 10000
run_batch "$tmp/lib1"
stop_fake
ideal=$(python3 -c "print($rows / 8 * 0.3)")
echo "10,000/min account: $(seconds "$wall") s for $rows rows (ideal $ideal s), ratio $(python3 -c "print(f'{$wall / $ideal:.3f}')"), $refused refused, $served requests"
check "at most 1.10 × the ideal" "$wall <= 1.10 * $ideal"
check "no request refused" "$refused == 0"

if [ -n "$sdk_dir" ] && command -v node >/dev/null && command -v npm >/dev/null; then
  [ -d "$sdk_dir/node_modules/openai" ] || npm install --silent --prefix "$sdk_dir" openai@5 >/dev/null 2>&1 || true
fi
if [ -n "$sdk_dir" ] && [ -d "$sdk_dir/node_modules/openai" ]; then
  start_fake 10000
  mkdir -p "$tmp/sdk-out"
  cp "$here/openai-sdk-peer.mjs" "$sdk_dir/"
  # The whole script, start to end, as the batch command is timed.
  t0=$(now)
  OPENAI_API_KEY="$key" node "$sdk_dir/openai-sdk-peer.mjs" "$root/v1" $rows 8 "$tmp/sdk-out" >/dev/null
  t1=$(now)
  sdk=$(python3 -c "print($t1 - $t0)")
  stop_fake
  sdk_version=$(node -e "console.log(require('$sdk_dir/node_modules/openai/package.json').version)")
  echo "official OpenAI SDK $sdk_version (Node.js $(node --version)), same batch: $(seconds "$sdk") s"
  check "no slower than the SDK script" "$wall <= $sdk"
else
  echo "official OpenAI SDK: not run (no Node.js/npm, or the SDK could not be installed)"
fi

# A 120-a-minute account: its bucket of 120 starts full and refills at 2 a
# second, so 160 requests need at least (160 - 120) / 2 s, plus one answer.
start_fake 120
run_batch "$tmp/lib2"
stop_fake
pace=$(python3 -c "print(($rows - 120) / 2 + 0.3)")
echo "120/min account: $(seconds "$wall") s (the account's own pace: $pace s), ratio $(python3 -c "print(f'{$wall / $pace:.3f}')"), $refused of $served answers 429"
check "within 1.25 × the account's pace" "$wall <= 1.25 * $pace"
check "at most 10 % of answers 429" "$refused <= 0.10 * $served"

exit $missed
