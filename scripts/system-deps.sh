#!/usr/bin/env bash
# Install the Debian packages gansig uses: sources of the embedded corpora and the
# reference codecs of paper 2; with --with-browser also the headless browser the report's
# test drives (`make test` asks for it). Needs root (or sudo) and apt; otherwise says what to install.
set -euo pipefail

PACKAGES=(
  # corpus sources: real speech, synthetic voices, music, ambience
  asterisk-core-sounds-en-g722 asterisk-core-sounds-fr-g722 asterisk-core-sounds-es-g722
  asterisk-core-sounds-it-g722 fillets-ng-data-cs
  espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts
  singularity-music sonic-pi-samples openttd-opensfx lincity-ng warzone2100-music
  # decoding and reference codecs
  ffmpeg sox opus-tools speex codec2 libvo-amrwbenc0 libopencore-amrwb0
)

# The report's browser test (tests/test_report.py): Debian's Chromium and its WebDriver.
BROWSER_PACKAGES=(chromium chromium-driver)
if [ "${1:-}" = "--with-browser" ]; then PACKAGES+=("${BROWSER_PACKAGES[@]}"); fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: all ${#PACKAGES[@]} Debian packages are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; fi
fi
if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; }; then
  echo "system-deps: cannot install (needs apt-get and root). Please install these Debian packages:" >&2
  echo "  ${missing[*]}" >&2
  exit 1
fi
echo "system-deps: installing ${#missing[@]} package(s): ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system-deps: done"
