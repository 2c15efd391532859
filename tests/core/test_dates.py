"""Italian month and weekday names in lower case, in templates and in Python."""

import datetime
from zoneinfo import ZoneInfo

from django.template import engines
from django.utils import translation

from core.dates import format_date

MOMENT = datetime.datetime(2026, 12, 18, 10, 30, tzinfo=ZoneInfo("Europe/Rome"))  # a Friday


def render(fmt: str) -> str:
    return engines["django"].from_string("{{ d|date:fmt }}").render({"d": MOMENT, "fmt": fmt})


def test_every_template_date_writes_italian_names_in_lower_case():
    with translation.override("it"):
        assert render("j F Y") == "18 dicembre 2026"
        assert render("l j F Y, H:i") == "venerdì 18 dicembre 2026, 10:30"
        assert render("j M Y") == "18 dic 2026"
        assert render("D j b") == "ven 18 dic"


def test_machine_formats_are_untouched():
    with translation.override("it"):
        assert render("c") == "2026-12-18T10:30:00+01:00"
        assert render("Y-m-d") == "2026-12-18"


def test_english_keeps_its_capitals():
    with translation.override("en"):
        assert render("j F Y") == "18 December 2026"


def test_python_code_formats_the_same_way():
    with translation.override("it"):
        assert format_date(MOMENT, "j F Y") == "18 dicembre 2026"
