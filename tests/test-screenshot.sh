#!/bin/sh
# The screenshot tool writes a real PNG of every page and refuses a page that
# does not exist.
set -eu
tool=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for page in generate gallery batch compare; do
  "$tool" --settle 50 --width 800 --height 600 "$page" "$out/$page.png" >/dev/null
  # PNG signature, then IHDR with the window's size.
  sig=$(od -An -tx1 -N8 "$out/$page.png" | tr -d ' \n')
  [ "$sig" = "89504e470d0a1a0a" ] || { echo "not a PNG: $page"; exit 1; }
  size=$(od -An -tu1 -j16 -N8 "$out/$page.png" | awk '{print $3*256+$4 "x" $7*256+$8}')
  [ "$size" = "800x600" ] || { echo "$page.png is $size, expected 800x600"; exit 1; }
done

# Different pages must not render the same picture.
if cmp -s "$out/generate.png" "$out/gallery.png"; then
  echo "generate and gallery screenshots are identical"; exit 1
fi

# After one real generation against the bundled fake provider the page shows
# its result, so the picture differs from the empty page's.
"$tool" --settle 50 --width 800 --height 600 --generate generate "$out/generated.png" >/dev/null
if cmp -s "$out/generate.png" "$out/generated.png"; then
  echo "the page looks the same after generating"; exit 1
fi
"$tool" --settle 50 --preferences providers generate "$out/prefs.png" >/dev/null
[ "$(od -An -tx1 -N8 "$out/prefs.png" | tr -d ' \n')" = "89504e470d0a1a0a" ] || { echo "no Preferences PNG"; exit 1; }

if "$tool" no-such-page "$out/x.png" 2>"$out/err"; then
  echo "an unknown page was accepted"; exit 1
fi
grep -q "unknown page" "$out/err" || { echo "no clear error for an unknown page"; cat "$out/err"; exit 1; }
[ ! -e "$out/x.png" ] || { echo "a file was written for an unknown page"; exit 1; }
echo "screenshots ok"
