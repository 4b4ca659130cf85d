# build-aux/common.sh: shared by build-aux/run, build-aux/test and
# build-aux/screenshot: install what is missing, configure, build, and set up
# a throwaway headless session. Sourced, not run.

px_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Every Debian 12 package the build, the app and the tests need.
px_packages=(
  build-essential meson ninja-build pkg-config git
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libsqlite3-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
  gstreamer1.0-libav gstreamer1.0-tools gstreamer1.0-plugins-base-apps libgtk-4-media-gstreamer
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools gettext itstool yelp-tools appstream
  desktop-file-utils libglib2.0-dev-bin webp-pixbuf-loader libgtk-4-bin imagemagick flatpak-builder
  adwaita-icon-theme fonts-cantarell
  clang libclang-rt-14-dev ffmpeg
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0 locales
)

px_say () {
  printf '\033[1m==> %s\033[0m\n' "$*" >&2
}

px_install_packages () {
  local missing=()
  local pkg
  for pkg in "${px_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if [ "$(id -u)" -ne 0 ]; then
    px_say "Missing packages: ${missing[*]}"
    px_say "Run this script as root once to install them, or: sudo apt-get install ${missing[*]}"
    return 1
  fi

  px_say "Installing ${#missing[@]} packages"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The translations are tested in their languages' own locales (numbers and
# dates as Germans and Spaniards write them): generated once, as root.
px_locales=(de_DE es_ES)
px_ensure_locales () {
  local loc
  for loc in "${px_locales[@]}"; do
    if ! locale -a 2>/dev/null | grep -qix "$loc.utf8"; then
      if [ "$(id -u)" -ne 0 ]; then
        px_say "Missing locale $loc.UTF-8; as root: localedef -i $loc -f UTF-8 $loc.UTF-8"
        return 1
      fi
      px_say "Generating the $loc.UTF-8 locale"
      localedef -i "$loc" -f UTF-8 "$loc.UTF-8"
    fi
  done
}

# px_build DIR [meson options…]: configure once, then build.
px_build () {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    px_say "Configuring $dir"
    meson setup "$dir" "$px_top" "$@"
  fi
  px_say "Building $dir"
  meson compile -C "$dir"
}

# A private home for one run: data, cache, config and runtime folders that
# are removed afterwards, so nothing touches a real user's files.
px_private_dirs () {
  px_tmp=$(mktemp -d "${TMPDIR:-/tmp}/pixmerge-run.XXXXXX")
  mkdir -p "$px_tmp/data" "$px_tmp/cache" "$px_tmp/config" "$px_tmp/runtime"
  chmod 700 "$px_tmp/runtime"
  export XDG_DATA_HOME="$px_tmp/data"
  export XDG_CACHE_HOME="$px_tmp/cache"
  export XDG_CONFIG_HOME="$px_tmp/config"
  export XDG_RUNTIME_DIR="$px_tmp/runtime"
}

px_headless_env () {
  export GTK_A11Y=none
  export NO_AT_BRIDGE=1
  export GDK_BACKEND=x11
  export GSK_RENDERER=cairo
  # No GL context either: video frames come as memory textures (see tests/meson.build).
  export GDK_DEBUG=gl-disable
  export LIBGL_ALWAYS_SOFTWARE=1
  export GTK_USE_PORTAL=0
}
