#!/bin/sh
# The screenshot tool writes a real PNG of every page and refuses a page that
# does not exist.
set -eu
tool=$1
localedir=${2:-}
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
# Both translations, in their own locales: every page (and the welcome)
# keeps a 360 px window 360 px wide — no longer German or Spanish label
# forces it wider or pushes something out — and shows translated text.
if [ -n "$localedir" ]; then
  for page in generate gallery batch compare grid analytics welcome; do
    case $page in
      welcome) args="generate --welcome" ;;
      # A comparison made: the grid and its buttons (German once needed 439 px).
      grid) args="compare --generate --grid" ;;
      *) args=$page ;;
    esac
    # English once, then each translation against it.
    # shellcheck disable=SC2086
    "$tool" --settle 400 --width 360 --height 640 $args "$out/en-$page.png" >/dev/null
    for loc in de_DE es_ES; do
      lang=${loc%_*}
      # shellcheck disable=SC2086
      LANGUAGE=$lang LC_ALL=$loc.UTF-8 PIXMERGE_LOCALEDIR=$localedir \
        "$tool" --settle 400 --width 360 --height 640 $args "$out/$lang-$page.png" >/dev/null
      size=$(od -An -tu1 -j16 -N8 "$out/$lang-$page.png" | awk '{print $3*256+$4 "x" $7*256+$8}')
      [ "$size" = "360x640" ] || { echo "$lang: the $page page needs more than 360 px ($size)"; exit 1; }
      if cmp -s "$out/en-$page.png" "$out/$lang-$page.png"; then
        echo "$lang: the $page page looks the same as in English"; exit 1
      fi
    done
  done
fi
echo "screenshots ok"
