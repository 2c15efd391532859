#!/usr/bin/env python3
"""Build the front-end assets into static/vendor/ (served by the platform itself, no CDN).

Run by ``make install`` after ``npm ci``:

- Bootstrap Italia's CSS is compiled by ``sass`` from the npm package's own SCSS, with only the
  components the templates use (assets/scss/bootstrap-italia.scss);
- its JavaScript is bundled by ``esbuild`` from the package's ES modules, with only the plugins
  the templates use (assets/js/bootstrap-italia.js);
- the fonts are subset with fontTools (pyftsubset's library): only the faces the pages use, each
  split into a "latin" and a "latin-ext" file that the browser fetches only when the page has
  a character of that range (``unicode-range``), hinting dropped;
- static/vendor/fonts.css holds their @font-face rules: Bootstrap Italia's own font loader
  injects an inline <style>, which our Content Security Policy forbids;
- htmx and Leaflet are copied as published.

What each step saves is in docs/performance.md, "Peso delle pagine".
"""

import shutil
import subprocess
import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "node_modules"
BIN = NODE / ".bin"
ASSETS = ROOT / "assets"
VENDOR = ROOT / "static" / "vendor"
BI_FONTS = NODE / "bootstrap-italia" / "src" / "fonts"

COPIES = [
    # Not loaded by any page (the templates use no sprite icon), but base.html names it.
    ("bootstrap-italia/dist/svg/sprites.svg", "bootstrap-italia/svg/"),
    ("htmx.org/dist/htmx.min.js", "htmx/"),
    ("leaflet/dist/leaflet.js", "leaflet/"),
    # leaflet.js names its source map: collectstatic (hashed names) fails without it.
    ("leaflet/dist/leaflet.js.map", "leaflet/"),
    ("leaflet/dist/leaflet.css", "leaflet/"),
    ("leaflet/dist/images", "leaflet/images"),
]

# The Unicode ranges of Google Fonts' "latin" and "latin-ext" subsets: Italian and English
# text needs only the first; names such as "Łukasz" or "Dvořák" pull in the second.
RANGES = {
    "latin": (
        "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, "
        "U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, "
        "U+FEFF, U+FFFD"
    ),
    "latin-ext": (
        "U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, "
        "U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, "
        "U+2113, U+2C60-2C7F, U+A720-A7FF"
    ),
}

# (family, folder, file stem, weight, style): the faces the CSS asks for on our pages.
# Titillium Web: 300 (display headings), 400 (body), 600 (labels, buttons, navigation),
# 700 (headings, bold), 400 italic (<em>). Roboto Mono 400: codes (.text-monospace, <code>).
# Not kept: Lora (only Bootstrap Italia's .font-serif, which no template uses: Georgia is its
# fallback), the other italics and Roboto Mono 700.
FACES = [
    ("Titillium Web", "Titillium_Web", "titillium-web-v10-latin-ext_latin-300", 300, "normal"),
    ("Titillium Web", "Titillium_Web", "titillium-web-v10-latin-ext_latin-regular", 400, "normal"),
    ("Titillium Web", "Titillium_Web", "titillium-web-v10-latin-ext_latin-italic", 400, "italic"),
    ("Titillium Web", "Titillium_Web", "titillium-web-v10-latin-ext_latin-600", 600, "normal"),
    ("Titillium Web", "Titillium_Web", "titillium-web-v10-latin-ext_latin-700", 700, "normal"),
    ("Roboto Mono", "Roboto_Mono", "roboto-mono-v13-latin-ext_latin-regular", 400, "normal"),
]
LICENSES = [("Titillium_Web", "OFL.txt"), ("Roboto_Mono", "LICENSE.txt")]

SASS_ARGS = [
    "--load-path=node_modules",
    "--style=compressed",
    "--no-source-map",
    "--quiet-deps",
    # Bootstrap Italia's SCSS still uses @import and global functions.
    "--silence-deprecation=import,global-builtin,color-functions",
]


def run(*command: str) -> None:
    subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 - node_modules/.bin tools


def build_css() -> None:
    target = VENDOR / "bootstrap-italia" / "css" / "bootstrap-italia.min.css"
    target.parent.mkdir(parents=True, exist_ok=True)
    run(str(BIN / "sass"), *SASS_ARGS, str(ASSETS / "scss" / "bootstrap-italia.scss"), str(target))


def build_js() -> None:
    target = VENDOR / "bootstrap-italia" / "js" / "bootstrap-italia.min.js"
    run(
        str(BIN / "esbuild"),
        str(ASSETS / "js" / "bootstrap-italia.js"),
        "--bundle",
        "--minify",
        "--format=iife",
        "--global-name=bootstrap",
        "--target=es2019",
        "--log-level=warning",
        "--banner:js=/*! Bootstrap Italia (BSD-3-Clause, https://italia.github.io/"
        "bootstrap-italia/): collapse, navbar-collapsible and track-focus only */",
        f"--outfile={target}",
    )


def subset_font(source: Path, target: Path, unicodes: str) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # phones render unhinted; hinting was a third of each file
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, names and version; no long texts
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes.replace(" ", "")))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)


def build_fonts() -> str:
    fonts = VENDOR / "fonts"
    rules = []
    for family, folder, stem, weight, style in FACES:
        for name, unicodes in RANGES.items():
            filename = f"{folder}/{stem.replace('latin-ext_latin', name)}.woff2"
            subset_font(BI_FONTS / folder / f"{stem}.woff2", fonts / filename, unicodes)
            rules.append(
                "@font-face{"
                f"font-family:'{family}';font-style:{style};font-weight:{weight};"
                f"font-display:swap;src:url('fonts/{filename}') format('woff2');"
                f"unicode-range:{unicodes.replace(' ', '')}"
                "}"
            )
    for folder, licence in LICENSES:
        shutil.copy2(BI_FONTS / folder / licence, fonts / folder / licence)
    return "\n".join(rules) + "\n"


def copy_published() -> None:
    for source, target in COPIES:
        src = NODE / source
        dest = VENDOR / target
        if src.is_dir():
            shutil.copytree(src, dest)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / src.name)


def main() -> int:
    if not (BIN / "sass").exists() or not (BIN / "esbuild").exists():
        print("node_modules/ is missing sass or esbuild: run `npm ci` first", file=sys.stderr)
        return 1
    # Everything under static/vendor is built here: start clean, so nothing stale is served.
    shutil.rmtree(VENDOR, ignore_errors=True)
    VENDOR.mkdir(parents=True)
    build_css()
    build_js()
    copy_published()
    # Written last: the Makefile takes fonts.css as the sign that the whole build finished.
    (VENDOR / "fonts.css").write_text(build_fonts())
    print(f"built front-end assets into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
