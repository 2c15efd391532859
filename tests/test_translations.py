"""The English catalogue is complete, and the compiled .mo matches it.

The interface is written in Italian; ``locale/en/LC_MESSAGES/django.po`` must translate every
string of our own code. The .po is read with a small parser (no third-party dependency), so
this runs wherever the suite runs, with or without gettext's tools installed.
"""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')
_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%%")


def _unescape(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _start_keyword(entry, match):
    """Store a ``msgid``/``msgstr[n]``/... line in ``entry``; return the key continued lines extend."""
    keyword, text = match.group(1), _unescape(match.group(2))
    if keyword.startswith("msgstr"):
        index = keyword[7:-1] if "[" in keyword else ""
        entry["msgstr"][index] = text
        return ("msgstr", index)
    entry[keyword] = text
    return (keyword, None)


def _continue_keyword(entry, key, line, path, raw):
    match = _CONTINUATION.match(line)
    assert match, f"unexpected line in {path.name}: {raw!r}"
    assert key, f"continuation before any keyword in {path.name}: {raw!r}"
    text = _unescape(match.group(1))
    if key[0] == "msgstr":
        entry["msgstr"][key[1]] += text
    else:
        entry[key[0]] += text


def parse_po(path):
    """Return the catalogue's entries as dicts: flags, msgctxt, msgid, msgid_plural, msgstr.

    ``msgstr`` maps "" (singular) or the plural index ("0", "1", ...) to the text. Obsolete
    entries (``#~``) are left out; the header (empty msgid) is included.
    """
    entries = []
    current = None
    key = None

    def flush():
        if current is not None and "msgid" in current:
            entries.append(current)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            current, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            key = _start_keyword(current, match)
            continue
        _continue_keyword(current, key, line, path, raw)
    flush()
    return entries


def _messages():
    return [e for e in parse_po(PO_PATH) if e["msgid"] != ""]


def _describe(entry):
    return entry["msgid"][:80]


def test_catalogue_exists_and_is_compiled():
    assert PO_PATH.is_file(), "run makemessages -l en"
    assert MO_PATH.is_file(), "run compilemessages"
    assert len(_messages()) > 100


def test_header_is_not_fuzzy_and_declares_english():
    header = next(e for e in parse_po(PO_PATH) if e["msgid"] == "")
    assert "fuzzy" not in header["flags"], "a fuzzy header is skipped when compiling"
    assert "Language: en\n" in header["msgstr"][""]
    assert "charset=UTF-8" in header["msgstr"][""]


def test_no_untranslated_entries():
    untranslated = [
        _describe(e)
        for e in _messages()
        if not e["msgstr"] or any(not text for text in e["msgstr"].values())
    ]
    assert untranslated == [], f"{len(untranslated)} untranslated: {untranslated[:20]}"


def test_no_fuzzy_entries():
    fuzzy = [_describe(e) for e in _messages() if "fuzzy" in e["flags"]]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_plural_entries_have_both_forms():
    for entry in _messages():
        if entry["msgid_plural"] is not None:
            assert set(entry["msgstr"]) == {"0", "1"}, _describe(entry)


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in _messages():
        if entry["msgid_plural"] is None:
            pairs = [(entry["msgid"], entry["msgstr"].get("", ""))]
        else:
            # The singular form may drop the count ("1 place" vs "%(n)s places" is fine
            # both ways), but it must not invent a placeholder.
            sources = _PLACEHOLDER.findall(entry["msgid"] + entry["msgid_plural"])
            pairs = [(entry["msgid_plural"], entry["msgstr"].get("1", ""))]
            extra = set(_PLACEHOLDER.findall(entry["msgstr"].get("0", ""))) - set(sources)
            if extra:
                wrong.append((_describe(entry), sorted(extra)))
        for source, text in pairs:
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text)):
                wrong.append((source[:80], text[:80]))
    assert wrong == [], wrong[:20]


def test_compiled_catalogue_matches_the_po():
    """Every singular msgstr comes back from gettext in English: the .mo is not stale."""
    stale = []
    with translation.override("en"):
        for entry in _messages():
            if entry["msgid_plural"] is not None or entry["msgctxt"] is not None:
                continue
            if translation.gettext(entry["msgid"]) != entry["msgstr"][""]:
                stale.append(_describe(entry))
    assert stale == [], f"{len(stale)} not compiled (run compilemessages): {stale[:20]}"


def test_known_strings_in_english():
    with translation.override("en"):
        assert (
            translation.gettext("Il futuro della Città metropolitana lo decidiamo anche noi")
            == "We have a say in the future of the Metropolitan City too"
        )
        assert translation.gettext("Consultazioni") == "Consultations"
        assert (
            translation.ngettext("%(n)s proposta", "%(n)s proposte", 2) % {"n": 2} == "2 proposals"
        )
    with translation.override("it"):
        assert translation.gettext("Consultazioni") == "Consultazioni"
