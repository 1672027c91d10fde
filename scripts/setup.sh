#!/bin/sh
# setup.sh installs what gongwen needs on a Debian machine, idempotently.
#
#   scripts/setup.sh run    fonts for PDF output (what the server needs), then
#                           the glyph cache filled once per machine (gongwen
#                           fonts warm: ~5 s on two cores the first time, well
#                           under a second when it is warm)
#   scripts/setup.sh test   also the real clients the tests check output with:
#                           poppler-utils (pdftotext, pdffonts, pdftoppm) and
#                           poppler's GLib binding (per-character positions), qpdf,
#                           python3-docx, LibreOffice Writer (headless), Chromium
#                           (browser test), wrk (load test), Apache PDFBox
#                           Preflight (PDF/A-1b validator; Java 17 needs the
#                           activation and JAXB jars besides), and ofd.js 0.2.6
#                           (the OFD reader of the OFD browser test) from npm
#                           into ${XDG_CACHE_HOME:-~/.cache}/gongwen/ofdjs, and
#                           axe-core 4.11.0 (the accessibility check of the web
#                           page's browser test) into .../gongwen/axe —
#                           outside the repository, never committed
#
# Already-installed packages are skipped; apt-get update runs only when needed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-run}

sh "$here/setup-fonts.sh"

if [ "$mode" != test ]; then
	# The converted glyphs of the characters documents use, so that no render
	# on this machine converts any (README, Cold start). The binary is built
	# first: the cache files are named by the converter's version.
	root=$(cd "$here/.." && pwd)
	# A failure here costs speed, not output: renders then convert what they
	# need, so it does not stop setup.
	make -s -C "$root" build
	"$root/bin/gongwen" fonts warm ||
		echo "setup.sh: the glyph cache was not filled (above); renders will convert glyphs as they need them" >&2
	exit 0
fi

# command-or-file : package
needs="pdftotext:poppler-utils qpdf:qpdf /usr/lib/python3/dist-packages/docx:python3-docx soffice:libreoffice-writer-nogui chromium:chromium wrk:wrk fc-match:fontconfig npm:npm java:default-jre-headless /usr/share/java/preflight.jar:libpdfbox2-java /usr/share/java/javax.activation.jar:libactivation-java /usr/share/java/jaxb-api.jar:libjaxb-api-java /usr/lib/python3/dist-packages/gi:python3-gi /usr/lib/x86_64-linux-gnu/girepository-1.0/Poppler-0.18.typelib:gir1.2-poppler-0.18"
missing=""
for pair in $needs; do
	probe=${pair%%:*}
	pkg=${pair#*:}
	case "$probe" in
	/*) [ -e "$probe" ] && continue ;;
	*) command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $pkg"
done

# ofd.js, pinned: npm's later versions are a different, licensed viewer. Its
# tarball carries font files; they stay in the cache, unused and unshipped.
install_ofdjs() {
	dir="${XDG_CACHE_HOME:-$HOME/.cache}/gongwen/ofdjs"
	grep -qs '"version": "0.2.6"' "$dir/node_modules/ofd.js/package.json" && return 0
	mkdir -p "$dir"
	echo "setup.sh: installing ofd.js 0.2.6 into $dir" >&2
	npm install --prefix "$dir" --no-audit --no-fund --ignore-scripts --loglevel=error ofd.js@0.2.6 >/dev/null
}

# axe-core, pinned so that a new rule release cannot fail an old commit.
install_axe() {
	dir="${XDG_CACHE_HOME:-$HOME/.cache}/gongwen/axe"
	grep -qs '"version": "4.11.0"' "$dir/node_modules/axe-core/package.json" && return 0
	mkdir -p "$dir"
	echo "setup.sh: installing axe-core 4.11.0 into $dir" >&2
	npm install --prefix "$dir" --no-audit --no-fund --ignore-scripts --loglevel=error axe-core@4.11.0 >/dev/null
}

if [ -z "$missing" ]; then
	install_ofdjs
	install_axe
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "setup.sh: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
lock="-o DPkg::Lock::Timeout=600"
echo "setup.sh: installing$missing" >&2
# shellcheck disable=SC2086
if ! apt-get $lock install -y -qq $missing >/dev/null 2>&1; then
	apt-get $lock update -qq
	# shellcheck disable=SC2086
	apt-get $lock install -y -qq $missing >/dev/null
fi
install_ofdjs
install_axe
