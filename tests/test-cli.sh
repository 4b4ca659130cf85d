#!/usr/bin/env bash
# pixmerge-cli as a script uses it: exit codes, messages, CSV checks, and
# generation against the fake provider with keys from the environment and
# from the real keyring. Afterwards no file the run wrote holds the key.
set -euo pipefail
cli=$1
fake=$2
tmp=$(mktemp -d)
fake_pid=
broke_pid=
cleanup () {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  [ -n "$broke_pid" ] && kill "$broke_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
check () { # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then echo "ok - $what"; else echo "not ok - $what"; fails=$((fails + 1)); fi
}
run () { # expected exit code, then the command; output in $tmp/out, $tmp/err
  local expected=$1; shift
  set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?; set -e
  [ "$got" = "$expected" ] || { echo "# exit $got, expected $expected: $*"; cat "$tmp/err"; return 1; }
}
has () { grep -qF -- "$2" "$tmp/$1" || { echo "# $1 lacks: $2"; cat "$tmp/$1"; return 1; }; }
lacks () { ! grep -qF -- "$2" "$tmp/$1" || { echo "# $1 has: $2"; cat "$tmp/$1"; return 1; }; }
one_line () { [ "$(wc -l <"$tmp/err")" = 1 ] || { echo "# stderr is not one line"; cat "$tmp/err"; return 1; }; }

key=cli-test-key-5f0e1d
export GSETTINGS_BACKEND=memory
export PIXMERGE_LIBRARY_DIR="$tmp/library"

# resolve
check "resolve fills tokens" run 0 "$cli" resolve --prompt "Portrait of [FirstName|you] from [COMPANY:upper]" --token COMPANY=acme
check "resolve output" has out "Portrait of you from ACME"
check "resolve names every missing token" run 1 "$cli" resolve --prompt "Hi [A] and [B]"
check "missing token message" has err "[A] (character 4), [B] (character 12)"
check "one-line error" one_line
check "bad --token is a usage error" run 2 "$cli" resolve --prompt x --token "no equals"
check "unknown command is a usage error" run 2 "$cli" frobnicate

# csv-check
printf '\xEF\xBB\xBFFirst Name;Company\r\nAda;"Acme; Inc"\r\n"Bo ""B""";Beta\r\n' >"$tmp/people.csv"
check "csv-check counts rows" run 0 "$cli" csv-check "$tmp/people.csv"
check "csv-check rows" has out "rows: 2"
check "csv-check columns" has out "columns: FIRST_NAME,COMPANY"
check "csv-check --json" run 0 "$cli" csv-check --json "$tmp/people.csv"
check "json values as parsed" has out '"COMPANY" : "Acme; Inc"'
check "json quotes" has out '"FIRST_NAME" : "Bo \"B\""'
printf 'a,b\n1,2\n3\n' >"$tmp/ragged.csv"
check "ragged row fails" run 1 "$cli" csv-check "$tmp/ragged.csv"
check "ragged row named" has err "Row 2: it has 1 fields, but the header has 2 columns"
printf 'a,b\n1,\xC3\x28\n' >"$tmp/bad.csv"
check "bad utf-8 fails" run 1 "$cli" csv-check "$tmp/bad.csv"
check "bad utf-8 named" has err "Row 1, column 2 (B)"
check "missing file fails" run 1 "$cli" csv-check "$tmp/none.csv"
printf 'a,b\n1,2\n' >"$tmp/late.csv"; head -c 200000 /dev/zero | tr '\0' ',' >>"$tmp/late.csv"
check "a line of commas fails" run 1 "$cli" csv-check --json "$tmp/late.csv"
check "a line of commas named" has err "Row 2: it has more than 1024 fields"
check "nothing printed before the error" lacks out "["
printf 'a,b\n' >"$tmp/header-only.csv"
check "header only" run 0 "$cli" csv-check --json "$tmp/header-only.csv"
check "header only is an empty array" has out "["

# video
convert -size 96x64 gradient:navy-gold "$tmp/v.png"
check "video renders" run 0 "$cli" video "$tmp/v.png" -o "$tmp/v.webm" --effect zoom-in --duration 1 --resolution 480p -q
check "video prints its path" has out "$tmp/v.webm"
check "video written" test -s "$tmp/v.webm"
check "unknown effect fails" run 1 "$cli" video "$tmp/v.png" -o "$tmp/x.webm" --effect spin
check "unknown effect named" has err "Unknown effect “spin”; choose one of still, zoom-in"
check "unknown effect one line" one_line
check "duration out of range fails" run 1 "$cli" video "$tmp/v.png" -o "$tmp/x.webm" --duration 12
check "duration out of range named" has err "from 1 to 10 seconds, not 12"
check "not an image fails" run 1 "$cli" video "$tmp/people.csv" -o "$tmp/x.webm"
check "not an image named" has err "not an image"
check "wrong extension fails" run 1 "$cli" video "$tmp/v.png" -o "$tmp/x.avi"
check "missing sound fails" run 1 "$cli" video "$tmp/v.png" -o "$tmp/x.webm" --audio "$tmp/none.ogg"
check "missing sound named" has err "There is no sound file"
check "nothing left of failures" sh -c "! ls '$tmp' | grep -q 'x\\.webm'"
convert -size 96x64 gradient:crimson-white "$tmp/w.png"

# edit
cat >"$tmp/recipe.json" <<'JSON'
{"operations": [{"op": "crop", "aspect": "1:1"}, {"op": "adjust", "exposure": 0.2, "contrast": 0.1, "saturation": -0.3},
 {"op": "text", "text": "Hello [FIRSTNAME]", "size": 16, "color": "#ff0000", "outline": "#000000", "position": "bottom"}]}
JSON
check "edit with a recipe" run 0 "$cli" edit "$tmp/v.png" --recipe "$tmp/recipe.json" --token FIRSTNAME=Ada -o "$tmp/edited.png"
check "edit prints its path" has out "$tmp/edited.png"
check "edit cropped to a square" test "$(identify -format '%wx%h' "$tmp/edited.png")" = 64x64
check "edit without the token fails" run 1 "$cli" edit "$tmp/v.png" --recipe "$tmp/recipe.json" -o "$tmp/x.png"
check "the missing token named" has err "FIRSTNAME"
printf '{"operations": [{"op": "crop", "aspect": "1:1"}, {"op": "blur"}]}' >"$tmp/bad-recipe.json"
check "a bad recipe fails" run 1 "$cli" edit "$tmp/v.png" --recipe "$tmp/bad-recipe.json" -o "$tmp/x.png"
check "the bad step named" has err "Step 2: there is no operation “blur”"
check "nothing written for a bad recipe" test ! -e "$tmp/x.png"
check "slideshow of two" run 0 "$cli" video "$tmp/v.png" "$tmp/w.png" -o "$tmp/show.webm" --duration 1 --resolution 480p --effect still -q
# ffprobe (not GStreamer) reads it: two seconds less the crossfade, a third of a second.
check "slideshow length" sh -c "ffprobe -v error -show_entries format=duration -of csv=p=0 '$tmp/show.webm' | awk '{exit !(\$1 > 1.6 && \$1 < 1.72)}'"
check "slideshow with a broken image fails" run 1 "$cli" video "$tmp/v.png" "$tmp/people.csv" -o "$tmp/x.webm" -q
check "the broken image named" has err "Image 2 of 2"

# providers
check "providers lists models" run 0 "$cli" providers
check "gpt-image-2 listed" has out "gpt-image-2"
check "imagen listed" has out "imagen-4.0-generate-001"
check "capabilities listed" has out "quality low|medium|high|auto"

# a model id the list does not know yet
check "models add" run 0 "$cli" models add openai gpt-image-9
check "added model listed" run 0 "$cli" providers
check "added model in the list" has out "gpt-image-9"
check "models add unknown provider" run 1 "$cli" models add nobody x
check "unknown provider named" has err "Unknown provider “nobody”"

# generate against the fake provider
"$fake" --port 0 --key "$key" >"$tmp/fake.url" 2>"$tmp/fake.err" &
fake_pid=$!
for _ in $(seq 50); do [ -s "$tmp/fake.url" ] && break; sleep 0.1; done
root=$(head -n1 "$tmp/fake.url")
export PIXMERGE_OPENAI_BASE_URL="$root/v1" PIXMERGE_GEMINI_BASE_URL="$root" PIXMERGE_VERTEX_BASE_URL="$root"

png_size () { od -An -tu1 -j16 -N8 "$1" | awk '{print $3*256+$4 "x" $7*256+$8}'; }

check "generate with OPENAI_API_KEY" run 0 env OPENAI_API_KEY="$key" "$cli" generate --model gpt-image-1.5 \
  --prompt "Portrait of [NAME]" --token NAME=Ada --size 1536x1024 --quality low -o "$tmp/ada.png"
check "prints the written path" has out "$tmp/ada.png"
check "image written" test "$(png_size "$tmp/ada.png")" = 1536x1024
check "cost reported" has err '$0.009'
check "same request is cached" run 0 env OPENAI_API_KEY="$key" "$cli" generate --model gpt-image-1.5 \
  --prompt "Portrait of [NAME]" --token NAME=Ada --size 1536x1024 --quality low -o "$tmp/ada2.png"
check "cached note" has err "from the cache"
check "cached image identical" cmp -s "$tmp/ada.png" "$tmp/ada2.png"
check "gemini with GEMINI_API_KEY" run 0 env GEMINI_API_KEY="$key" "$cli" generate --model gemini-3.1-flash-image \
  --prompt "A lighthouse" --aspect-ratio 16:9 -o "$tmp/lighthouse.png"
check "imagen with GOOGLE_API_KEY, two images" run 0 env GOOGLE_API_KEY="$key" "$cli" generate \
  --model imagen-4.0-fast-generate-001 --prompt "A fox" --count 2 -o "$tmp/fox.png"
check "second image numbered" test -s "$tmp/fox-2.png"
check "reference image" run 0 env OPENAI_API_KEY="$key" "$cli" generate --model gpt-image-1.5 --prompt "Make it blue" \
  --reference "$tmp/ada.png" -o "$tmp/blue.png"

check "wrong key fails" run 1 env OPENAI_API_KEY=sk-wrong-000000000000 "$cli" generate --model gpt-image-2 --prompt "x" -o "$tmp/wrong.png"
check "wrong key message" has err "did not accept the API key"
check "wrong key one line" one_line
check "nothing left on failure" test ! -e "$tmp/wrong.png"
check "missing token fails before sending" run 1 env OPENAI_API_KEY="$key" "$cli" generate --model gpt-image-2 --prompt "[WHO]" -o "$tmp/who.png"
check "missing token named" has err "[WHO]"
check "invalid setting" run 1 env OPENAI_API_KEY="$key" "$cli" generate --model gpt-image-2 --prompt "x" --quality ultra -o "$tmp/q.png"
check "invalid setting names choices" has err "choose one of low, medium, high, auto"
check "generate without -o is usage" run 2 "$cli" generate --model gpt-image-2 --prompt x

# every generated image is in the library
check "library list" run 0 "$cli" library list
check "listed with model and prompt" has out "gpt-image-1.5	Portrait of Ada"
check "every image listed" test "$(wc -l <"$tmp/out")" = 6
check "library search" run 0 "$cli" library search lighthouse
check "search finds one" test "$(wc -l <"$tmp/out")" = 1
check "search result" has out "A lighthouse"
check "search by token value" run 0 "$cli" library search ada
check "token value found" has out "Portrait of Ada"
check "library export" run 0 "$cli" library export --to "$tmp/export" --pattern "[NAME|picture]-[MODEL]"
check "exported names from tokens" has out "$tmp/export/Ada-gpt-image-1.5.png"
check "collisions numbered" has out "$tmp/export/Ada-gpt-image-1.5-2.png"
check "default for a missing token" has out "$tmp/export/picture-gemini-3.1-flash-image.png"
check "exported file has provenance" grep -qa "pixmerge:prompt" "$tmp/export/Ada-gpt-image-1.5.png"
check "export of a missing id fails" run 1 "$cli" library export --to "$tmp/export2" 99999
check "export converts to JPEG" run 0 "$cli" library export --to "$tmp/export3" --format jpeg --pattern "[NAME|picture]-[ID]"
check "converted names end in .jpg" has out "$tmp/export3/Ada-"
check "every export is a JPEG" test "$(grep -c '\.jpg$' "$tmp/out")" = 6
jpeg_file=$(grep -m1 '/Ada-' "$tmp/out")
check "a real JPEG" test "$(head -c 3 "$jpeg_file" | od -An -tx1 | tr -d ' ')" = "ffd8ff"
check "the prompt travels as XMP" grep -qa "Portrait of Ada" "$jpeg_file"
check "an unknown format is a usage error" run 2 "$cli" library export --to "$tmp/export4" --format gif
check "library check passes" run 0 "$cli" library check
check "check counts" has out "in order: 6 images"
rm -f "$(find "$tmp/library/images" -name '*.png' | head -n1)"
check "library check finds a missing file" run 1 "$cli" library check
check "missing file named" has err "is missing"

# batches: CSV edge cases end to end, then a run, its status and its results
b() { printf "$1" >"$tmp/$2"; }
b '\xef\xbb\xbfName;City\r\nAda;"Paris;\r\nFrance"\r\n=Bo;Rome\r\n' bom.csv
check "batch run: BOM, ; and a quoted newline" run 0 env OPENAI_API_KEY="$key" "$cli" batch run --csv "$tmp/bom.csv" \
  --prompt "Portrait of [NAME] in [CITY]" --model gpt-image-2 --concurrency 2
check "batch id first" test "$(head -n1 "$tmp/out" | cut -d' ' -f1)" = "batch:"
bid=$(sed -n 's/^batch: //p' "$tmp/out")
check "progress on stderr" has err "2 of 2 done"
check "batch status" run 0 "$cli" batch status "$bid"
check "status counts" has out "completed: 2"
check "status failed" has out "failed: 0"
check "status pending" has out "pending: 0"
check "batch export" run 0 "$cli" batch export "$bid" -o "$tmp/results.csv"
check "results keep the input columns" grep -q "^NAME,CITY,status,error,image_file,model,cost,time_ms" "$tmp/results.csv"
check "a formula stays text" grep -q "^'=Bo,Rome,completed" "$tmp/results.csv"
check "quoted newline kept" grep -q '"Paris;' "$tmp/results.csv"
check "batch export with images" run 0 "$cli" batch export "$bid" -o "$tmp/results2.csv" --images "$tmp/batch-images" --pattern "[NAME]-[CITY|x]"
check "images named from tokens" test -f "$tmp/batch-images/Ada-Paris;France.png" -o -f "$tmp/batch-images/Ada-Paris; France.png"
check "two images exported" test "$(ls "$tmp/batch-images" | wc -l)" = 2
check "batch video" run 0 "$cli" batch video "$bid" -o "$tmp/batch-videos" --pattern "[NAME]" --duration 1 --resolution 480p --effect pan-left -q
check "one video per row, named from tokens" test -s "$tmp/batch-videos/Ada.webm"
check "two videos made" test "$(ls "$tmp/batch-videos" | wc -l)" = 2
check "their paths printed" has out "$tmp/batch-videos/Ada.webm"
check "batch video of no batch fails" run 1 "$cli" batch video 999 -o "$tmp/none" -q
check "batch video says why" has err "no images"
check "batch slideshow" run 0 "$cli" batch video "$bid" --slideshow -o "$tmp/batch-show.mp4" --duration 1 --resolution 480p -q
check "batch slideshow is an MP4 of both" sh -c "ffprobe -v error -show_entries format=format_name,duration -of csv=p=0 '$tmp/batch-show.mp4' | grep -q 'mp4'"
printf '{"operations": [{"op": "text", "text": "[NAME] from [CITY|somewhere]", "size": 20}]}' >"$tmp/recipe-names.json"
before=$("$cli" library list | wc -l)
check "batch edit" run 0 "$cli" batch edit "$bid" --recipe "$tmp/recipe-names.json" -q
check "one edit per image of the batch, ids printed" sh -c "test \"\$(grep -cE '^[0-9]+\$' '$tmp/out')\" = 2"
check "the edits are new images in the library" test "$("$cli" library list | wc -l)" = $((before + 2))
check "batch slideshow needs a video name" run 1 "$cli" batch video "$bid" --slideshow -o "$tmp/folder" -q
check "batch list" run 0 "$cli" batch list
check "listed" has out "completed	2/2	gpt-image-2"
b 'Name,City\nAda,Paris\nB\xffo,Rome\n' bad-utf8.csv
check "invalid UTF-8 refused" run 1 "$cli" batch run --csv "$tmp/bad-utf8.csv" --prompt "[NAME]" --model local-model
check "its row and column named" has err "Row 2, column 1 (NAME)"
b '' empty.csv
check "empty file refused" run 1 "$cli" batch run --csv "$tmp/empty.csv" --prompt "[NAME]" --model local-model
b 'Name,City\n' header.csv
check "header only refused" run 1 "$cli" batch run --csv "$tmp/header.csv" --prompt "[NAME]" --model local-model
check "header only says so" has err "no rows"
b 'Name,name\nA,B\n' dup.csv
check "duplicate headers refused" run 1 "$cli" batch run --csv "$tmp/dup.csv" --prompt "[NAME]" --model local-model
check "duplicate named" has err "NAME"
check "over budget refused" run 1 env OPENAI_API_KEY="$key" "$cli" batch run --csv "$tmp/bom.csv" --prompt "[NAME]" \
  --model gpt-image-2 --budget 0.01
check "budget message" has err "spend cap"

# An account problem pauses a batch: exit 1 with the reason, the rows left
# pending; once the account is mended, resume does the rest.
"$fake" --port 0 --key "$key" --account-problem no-quota >"$tmp/broke.url" 2>"$tmp/broke.err" &
broke_pid=$!
for _ in $(seq 50); do [ -s "$tmp/broke.url" ] && break; sleep 0.1; done
broke=$(head -n1 "$tmp/broke.url")
b 'Name\nAda\nBo\nCy\nDi\n' four.csv
check "batch on an empty account" run 1 env OPENAI_API_KEY="$key" PIXMERGE_OPENAI_BASE_URL="$broke/v1" "$cli" batch run \
  --csv "$tmp/four.csv" --prompt "Poster for [NAME]" --model gpt-image-2 --concurrency 2 --rpm 600
check "the reason on stderr" has err "exceeded your current quota"
check "the next step on stderr" has err "batch resume"
pid=$(sed -n 's/^batch: //p' "$tmp/out")
kill "$broke_pid" 2>/dev/null || true
check "paused batch status" run 0 "$cli" batch status "$pid"
check "status: paused" has out "status: paused"
check "reason: quota" has out "reason: Your OpenAI account has no credit or quota left"
check "no row failed" has out "failed: 0"
check "all rows pending" has out "pending: 4"
check "resume with more at once" run 0 env OPENAI_API_KEY="$key" "$cli" batch resume "$pid" --concurrency 8
check "resumed batch completed" run 0 "$cli" batch status "$pid"
check "all four done" has out "completed: 4"
check "reason gone" sh -c "! grep -q '^reason:' '$tmp/out'"
check "retired model asked to be replaced" run 1 env OPENAI_API_KEY="$key" "$cli" generate --model dall-e-3 --prompt x -o "$tmp/r.png"
check "retired model named with its successor" has err "Choose another model: GPT Image 2 (gpt-image-2)"
check "concurrency out of range" run 2 "$cli" batch resume "$pid" --concurrency 33
check "no new batch on a retired model" run 1 env OPENAI_API_KEY="$key" "$cli" batch run --csv "$tmp/four.csv" \
  --prompt "Poster for [NAME]" --model gpt-image-1
check "its successor named" has err "Choose another model: GPT Image 2 (gpt-image-2)"

# The account's own model list, merged: what it cannot use, what is new.
check "providers --refresh" run 0 env OPENAI_API_KEY="$key" GEMINI_API_KEY="$key" "$cli" providers --refresh
check "a model the account lacks" grep -q "gpt-image-1-mini.*not available to this account" "$tmp/out"
check "a new image model offered" grep -q "gpt-image-3-preview.*offered by the provider" "$tmp/out"
check "a dated snapshot is not new" sh -c "! grep -q 'gpt-image-2-2026-04-21' '$tmp/out'"
check "gemini list merged" grep -q "gemini-3.5-flash-image-preview.*offered by the provider" "$tmp/out"
check "text models not offered" sh -c "! grep -q 'gpt-4o-mini' '$tmp/out'"
check "retired shown with successor" grep -q "dall-e-3.*retired.*use gpt-image-2" "$tmp/out"
check "list kept for the next run" run 0 "$cli" providers
check "kept list merged" grep -q "gpt-image-3-preview.*offered by the provider" "$tmp/out"

# templates: the built-in presets, then saved ones through export and import
check "templates list" run 0 "$cli" templates list
check "presets listed" has out "preset:meme-generator	Fun	Meme Generator"
cat >"$tmp/templates.json" <<'JSON'
{"templates": [{"name": "Team headshots", "category": "Work", "prompt": "Headshot of [FIRSTNAME]", "model": "gpt-image-2", "settings": {"size": "1024x1536"}}]}
JSON
check "templates import" run 0 "$cli" templates import "$tmp/templates.json"
check "templates list shows the import" run 0 "$cli" templates list
check "saved template listed with its row id" grep -qE "^[0-9]+	Work	Team headshots$" "$tmp/out"
check "templates export" run 0 "$cli" templates export "$tmp/exported.json"
check "export has the template" grep -q '"Headshot of \[FIRSTNAME\]"' "$tmp/exported.json"
check "a broken file is refused" sh -c "echo '{\"templates\": [{\"name\": \"x\"}]}' >'$tmp/bad.json'"
check "broken import fails" run 1 "$cli" templates import "$tmp/bad.json"
check "broken import names the template" has err "Template 1 has no “prompt”"
head -c 5000000 /dev/zero | tr '\0' ' ' >"$tmp/huge.json"
check "huge templates file fails" run 1 "$cli" templates import "$tmp/huge.json"
check "huge templates file named" has err "larger than 4 MB"

# keys through the real keyring
check "keys set" sh -c "printf '%s\n' '$key' | '$cli' keys set openai 2>'$tmp/err'"
check "generate with the keyring key" run 0 env -u OPENAI_API_KEY "$cli" generate --model gpt-image-2 --prompt "Keyring cat" --no-cache -o "$tmp/k.png"
check "keys clear" run 0 "$cli" keys clear openai
check "no key after clear" run 1 env -u OPENAI_API_KEY "$cli" generate --model gpt-image-2 --prompt "Keyring dog" -o "$tmp/k2.png"
check "no key message names the variable" has err "OPENAI_API_KEY"
check "unknown provider" run 1 "$cli" keys set nobody

# usage and budgets, from what the runs above kept
check "usage totals" run 0 "$cli" usage
check "usage counts images and dollars" grep -qE '^[0-9]+ images?, [$][0-9]+[.][0-9]{2}' "$tmp/out"
check "usage by model as csv" run 0 "$cli" usage --by model --csv
check "usage csv header" has out "model,events,images,cached,cost_usd,possibly_paid_usd,average_seconds"
check "usage csv has the model" has out "gpt-image-2,"
check "usage by month" run 0 "$cli" usage --by month --since 2026-01-01
check "usage bad date" run 2 "$cli" usage --since 2026-13-40
check "usage bad date named" has err "“2026-13-40” is not a date"
check "usage bad group" run 2 "$cli" usage --by colour
check "no budget yet" run 0 "$cli" budget show
check "no budget said" has out "No budget"
check "budget set" run 0 "$cli" budget set --monthly 0.01
check "budget shows what was spent" has out "all"
check "a spent budget refuses generate" run 3 "$cli" generate --model gpt-image-2 --prompt "Budget cat" --no-cache -o "$tmp/b.png"
check "the refusal says why" has err "This month’s budget of \$0.01 is spent"
check "nothing written when refused" test ! -e "$tmp/b.png"
check "budget raised" run 0 "$cli" budget set --monthly 1000
check "a raised budget generates" run 0 env OPENAI_API_KEY="$key" "$cli" generate --model gpt-image-2 --prompt "Budget cat" --no-cache -o "$tmp/b.png"
check "a provider's budget" run 0 "$cli" budget set --monthly 0.01 --provider openai
check "the provider's budget refuses" run 3 "$cli" generate --model gpt-image-2 --prompt "Budget dog" --no-cache -o "$tmp/b2.png"
check "the provider is named" has err "budget for openai"
check "budgets removed" run 0 sh -c "'$cli' budget set --monthly 0 --provider openai && '$cli' budget set --monthly 0"

# compare: models × token rows, as one labelled grid and its numbers
printf 'First Name,Company\nAda,Acme\nBo,Globex\n' >"$tmp/grid.csv"
check "compare makes a grid" run 0 env OPENAI_API_KEY="$key" GEMINI_API_KEY="$key" "$cli" compare \
  --prompt "Portrait of [FIRST_NAME] from [COMPANY]" --models gpt-image-2,gemini-3.1-flash-image \
  --csv "$tmp/grid.csv" -o "$tmp/grid.png" --csv-out "$tmp/grid-out.csv" --cell-size 64
check "the grid is a PNG" sh -c "head -c 8 '$tmp/grid.png' | grep -qa PNG"
check "the grid's numbers: a header and four cells" test "$(wc -l <"$tmp/grid-out.csv")" = 5
check "rows named by their tokens" grep -q "COMPANY: Acme, FIRST_NAME: Ada" "$tmp/grid-out.csv"
check "each model named" grep -q "gemini-3.1-flash-image" "$tmp/grid-out.csv"
check "the summary" has err "2 × 2 grid, 0 failed"
check "a blind grid" run 0 env OPENAI_API_KEY="$key" GEMINI_API_KEY="$key" "$cli" compare \
  --prompt "Portrait of [FIRST_NAME] from [COMPANY]" --models gpt-image-2,gemini-3.1-flash-image \
  --csv "$tmp/grid.csv" -o "$tmp/blind.png" --csv-out "$tmp/blind.csv" --cell-size 64 --blind
check "the key goes to stderr" has err "Model A is "
check "the blind CSV hides the names" sh -c "! grep -q 'gpt-image-2' '$tmp/blind.csv' && grep -q 'Model B' '$tmp/blind.csv'"
check "a row that cannot be filled sends nothing" run 1 env OPENAI_API_KEY="$key" "$cli" compare \
  --prompt "Hi [NOBODY]" --models gpt-image-2,gpt-image-1.5 --csv "$tmp/grid.csv" -o "$tmp/none.png"
check "the row is named" has err "Row 1:"
check "one model is not a comparison" run 2 "$cli" compare --prompt x --models gpt-image-2 -o "$tmp/none.png"
printf 'N\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n' >"$tmp/eleven.csv"
check "more than ten rows refused" run 1 "$cli" compare --prompt "[N]" --models gpt-image-2,gpt-image-1.5 \
  --csv "$tmp/eleven.csv" -o "$tmp/none.png"
check "the limit is said" has err "up to 10"
check "compare kept its images" run 0 "$cli" usage --by feature --csv
check "as compare in the usage" has out "compare,8,8"

# The key is in no file this run wrote: outputs, cache, settings, logs.
leaks=$(grep -rlF -- "$key" "$tmp" "${XDG_CACHE_HOME:-/nonexistent}" "${XDG_CONFIG_HOME:-/nonexistent}" \
        "${XDG_DATA_HOME:-/nonexistent}/pixmerge" 2>/dev/null | grep -v "/fake.url$" || true)
check "key in no file" test -z "$leaks"
[ -z "$leaks" ] || echo "# key found in: $leaks"

echo "1..0 # $fails failed"
[ "$fails" = 0 ]
