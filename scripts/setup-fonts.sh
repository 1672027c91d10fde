#!/bin/sh
# setup-fonts.sh installs the free fonts gongwen's default font configuration
# (fonts/config.json) names. It is idempotent: whatever is already present is
# skipped, and `apt-get update` runs only when apt cannot find a package.
#
# Works as root on a fresh Debian bookworm and in a Dockerfile RUN step (no
# sudo). Installs:
#   fonts-noto-cjk       Noto Serif/Sans CJK (title, heading 1, tables, fallback
#                        for every role; covers all 8105 通用规范汉字 incl. 𥔲)
#   fonts-noto-cjk-extra the other weights of Noto CJK (128 MB): the title role
#                        prefers Noto Serif CJK SC Black, the closest free
#                        face to 方正小标宋
#   fonts-lxgw-wenkai    LXGW WenKai (楷体-like, plain TrueType, second 楷 choice)
#   fonts-babelstone-han BabelStone Han (plain TrueType, Chinese glyph forms, wide
#                        Ext-A/Ext-B coverage: the last fallback for rare names)
#   Fandol (.otf)        FandolFang/Kai/Song/Hei, extracted from the
#                        texlive-lang-chinese .deb without installing TeX, into
#                        $GONGWEN_FANDOL_DIR (default /usr/local/share/fonts/fandol)
set -eu

FANDOL_DIR=${GONGWEN_FANDOL_DIR:-/usr/local/share/fonts/fandol}
PACKAGES="fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai fonts-babelstone-han"
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run (e.g. a parallel setup script) instead of failing.
APT_LOCK="-o DPkg::Lock::Timeout=600"

log() { printf 'setup-fonts: %s\n' "$*" >&2; }

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

fandol_present() {
	for f in FandolFang-Regular FandolKai-Regular FandolSong-Regular FandolHei-Regular; do
		[ -s "$FANDOL_DIR/$f.otf" ] || return 1
	done
}

missing=""
for p in $PACKAGES; do
	installed "$p" || missing="$missing $p"
done

if [ -z "$missing" ] && fandol_present; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	log "must run as root to install:${missing:+$missing}$(fandol_present || echo ' Fandol')"
	exit 1
fi

updated=no
apt_update() {
	if [ "$updated" = no ]; then
		log "apt-get update"
		apt-get $APT_LOCK update -qq
		updated=yes
	fi
}

# with_update runs an apt command; if it fails (empty or stale package lists)
# it refreshes the lists once and tries again.
with_update() {
	if ! "$@" >/dev/null 2>&1; then
		[ "$updated" = yes ] && { "$@"; return; }
		apt_update
		"$@"
	fi
}

# shellcheck disable=SC2086 # word splitting of $APT_LOCK and $missing is intended
if [ -n "$missing" ]; then
	log "installing$missing"
		with_update apt-get $APT_LOCK install -y -qq --no-install-recommends $missing
fi

if ! fandol_present; then
	log "extracting Fandol fonts from texlive-lang-chinese into $FANDOL_DIR"
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	chmod 755 "$work" # apt's _apt sandbox user must be able to write here
	(cd "$work" && with_update apt-get download -qq texlive-lang-chinese)
	deb=$(ls "$work"/texlive-lang-chinese_*.deb)
	dpkg-deb -x "$deb" "$work/root"
	src="$work/root/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
	[ -d "$src" ] || { log "no Fandol fonts in $deb"; exit 1; }
	mkdir -p "$FANDOL_DIR"
	cp "$src"/*.otf "$FANDOL_DIR"/
	doc="$work/root/usr/share/texlive/texmf-dist/doc/fonts/fandol"
	[ -d "$doc" ] && cp "$doc"/* "$FANDOL_DIR"/ 2>/dev/null || true
	chmod 644 "$FANDOL_DIR"/*
	if command -v fc-cache >/dev/null 2>&1; then fc-cache -f "$FANDOL_DIR" >/dev/null 2>&1 || true; fi
fi
log "fonts ready"
