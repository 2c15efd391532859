#!/usr/bin/env python3
"""Copy the pinned npm front-end packages into static/vendor/ (served by the platform itself).

Bootstrap Italia loads its fonts by injecting an inline <style>, which our Content Security
Policy forbids; instead this script writes static/vendor/fonts.css with the same @font-face
rules pointing at the copied font files.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

COPIES = [
    ("bootstrap-italia/dist/css/bootstrap-italia.min.css", "bootstrap-italia/css/"),
    ("bootstrap-italia/dist/js/bootstrap-italia.bundle.min.js", "bootstrap-italia/js/"),
    ("bootstrap-italia/dist/svg/sprites.svg", "bootstrap-italia/svg/"),
    ("bootstrap-italia/dist/fonts", "bootstrap-italia/fonts"),
    ("htmx.org/dist/htmx.min.js", "htmx/"),
    ("leaflet/dist/leaflet.js", "leaflet/"),
    ("leaflet/dist/leaflet.css", "leaflet/"),
    ("leaflet/dist/images", "leaflet/images"),
]
FAMILIES = {"Titillium_Web": "Titillium Web", "Lora": "Lora", "Roboto_Mono": "Roboto Mono"}
FACE = re.compile(r"-(?P<weight>\d{3})?(?P<style>regular|italic)?\.woff2$")


def font_faces(fonts_dir: Path) -> str:
    rules = []
    for folder, family in FAMILIES.items():
        for font in sorted((fonts_dir / folder).glob("*.woff2")):
            match = FACE.search(font.name)
            if not match:
                continue
            weight = match["weight"] or "400"
            style = "italic" if match["style"] == "italic" else "normal"
            rules.append(
                "@font-face {"
                f"font-family:'{family}';font-style:{style};font-weight:{weight};"
                "font-display:swap;"
                f"src:url('bootstrap-italia/fonts/{folder}/{font.name}') format('woff2');"
                "}"
            )
    return "\n".join(rules) + "\n"


def main() -> int:
    if not NODE.exists():
        print("node_modules/ is missing: run `npm ci` first", file=sys.stderr)
        return 1
    for source, target in COPIES:
        src = NODE / source
        dest = VENDOR / target
        if src.is_dir():
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(src, dest)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / src.name)
    (VENDOR / "fonts.css").write_text(font_faces(VENDOR / "bootstrap-italia" / "fonts"))
    print(f"vendored front-end assets into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
