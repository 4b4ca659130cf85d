#!/bin/sh
# Translations: every po file compiles and is complete, po/POTFILES.in names
# exactly the files with translatable strings, and xgettext can extract them
# all.
set -eu
top=$1
cd "$top"
fail=0

for lang in $(grep -v '^#' po/LINGUAS); do
  msgfmt --check -o /dev/null "po/$lang.po" || { echo "po/$lang.po does not compile"; fail=1; }
done

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
for f in $listed; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; fail=1; }
done

found=$( { grep -lE '\b(N?_|C_|NC_|g_dngettext|ngettext)\s*\(' src/*.c src/core/*.c 2>/dev/null || true
           grep -l 'translatable="yes"' ui/*.ui 2>/dev/null || true
           ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml; } | sort -u)
for f in $found; do
  echo "$listed" | grep -qx "$f" || { echo "$f has translatable strings but is not in po/POTFILES.in"; fail=1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
      --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 -f po/POTFILES.in \
      -o "$tmp/pixmerge.pot" 2>"$tmp/err"; then
  cat "$tmp/err"; fail=1
fi

# Every language in LINGUAS is complete: each string of today's sources is
# translated (msgcmp), none fuzzy or left empty (msgfmt's statistics).
for lang in $(grep -v '^#' po/LINGUAS); do
  msgcmp "po/$lang.po" "$tmp/pixmerge.pot" || { echo "po/$lang.po lacks strings the sources have"; fail=1; }
  stats=$(msgfmt --statistics -o /dev/null "po/$lang.po" 2>&1)
  case "$stats" in
    *fuzzy*|*untranslated*) echo "po/$lang.po is not complete: $stats"; fail=1 ;;
  esac
done
[ "$fail" = 0 ] && echo "translations ok"
exit $fail
