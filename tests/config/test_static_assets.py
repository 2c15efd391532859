"""The front-end build (scripts/vendor_assets.py, run by ``make install``) and the static files
storage: every file a template names exists, the page-weight budget of docs/performance.md
("Peso delle pagine") holds, and ``make run`` serves hashed names even with DEBUG on."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from config.storage import ForgivingCompressedManifestStorage

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor"
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")
KIB = 1024


def _template_static_names() -> set[str]:
    names = set()
    for folder in (ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("site/*/templates")):
        for template in folder.rglob("*.html"):
            names.update(STATIC_TAG.findall(template.read_text(encoding="utf-8")))
    return names


def test_every_static_file_named_by_a_template_exists():
    names = _template_static_names()
    assert "vendor/bootstrap-italia/css/bootstrap-italia.min.css" in names
    missing = sorted(name for name in names if not finders.find(name))
    # Production's manifest storage refuses to render a page naming a file it does not have.
    assert not missing, f"templates name static files that do not exist: {missing}"


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # The full prebuilt files were 598 KiB and 996 KiB.
        ("bootstrap-italia/css/bootstrap-italia.min.css", 300 * KIB),
        ("bootstrap-italia/js/bootstrap-italia.min.js", 40 * KIB),
    ],
)
def test_bootstrap_italia_is_built_with_only_the_parts_we_use(path, budget):
    built = VENDOR / path
    assert built.exists(), "run `make install` (scripts/vendor_assets.py) first"
    assert built.stat().st_size <= budget


def test_the_javascript_has_no_video_player_and_no_font_loader():
    script = (VENDOR / "bootstrap-italia/js/bootstrap-italia.min.js").read_text()
    # video.js and the font loader (an inline <style>, refused by our CSP) were in every page.
    assert "videojs" not in script
    assert "fonts.googleapis" not in script
    assert "Titillium" not in script


def test_fonts_css_names_only_subset_files_that_exist():
    css = (VENDOR / "fonts.css").read_text()
    urls = re.findall(r"url\('([^']+)'\)", css)
    assert urls
    for url in urls:
        font = VENDOR / url
        assert font.exists(), url
        assert font.stat().st_size < 16 * KIB, f"{url} is not subset"
    assert "unicode-range" in css
    assert "Lora" not in css  # no template uses the serif face


def _storage(tmp_path) -> ForgivingCompressedManifestStorage:
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1", "hash": "x"}
        )
    )
    return ForgivingCompressedManifestStorage(location=str(tmp_path), base_url="/static/")


@override_settings(DEBUG=True)
def test_make_run_serves_hashed_names_even_with_debug_on(tmp_path):
    assert _storage(tmp_path).url("css/site.css") == "/static/css/site.0123456789ab.css"


@override_settings(DEBUG=True)
def test_a_file_collectstatic_has_not_seen_gets_its_plain_name(tmp_path):
    assert _storage(tmp_path).url("css/new.css") == "/static/css/new.css"


def test_make_run_uses_the_compressed_manifest_storage():
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['staticfiles']['BACKEND'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env["PYTHONPATH"] = f"{ROOT / 'site'}:{ROOT}"
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "config.storage.ForgivingCompressedManifestStorage"
