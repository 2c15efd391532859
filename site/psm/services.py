"""Loading the plan into the page tree, in Italian and then its English translation. Idempotent, and it never overwrites an editor's edits:
a page found by its code is left exactly as it is; only missing pages are created. The one
exception fills a gap, never an edit: an action whose plain-language summary is still empty gets
the editorial one from ``psm-sintesi-semplici.json`` (a new revision, published)."""

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from psm.localisation import content_locales_ensure, default_locale, page_translate
from psm.models import ActionPage, AxisPage, HomePage, PlanPage, StrategyPage

ASSI_CSV = "psm-assi.csv"
ASSE5_JSON = "psm-asse5.json"
SHORT_TITLES_JSON = "psm-titoli-brevi.json"
PLAIN_SUMMARIES_JSON = "psm-sintesi-semplici.json"
ENGLISH_JSON = "psm-asse5.en.json"

HOME_TITLE = "PSM Giovani"
HOME_INTRO = (
    "<p>Il <b>Piano Strategico Metropolitano</b> (PSM) è il programma con cui la Città "
    "metropolitana di Torino decide cosa fare nei prossimi anni nei suoi 312 comuni. "
    "Qui puoi leggere cosa dice il piano sui giovani, proporre idee, votare quelle che ti "
    "piacciono e vedere cosa è stato fatto con le proposte di chi ha partecipato.</p>"
)
PLAN_TITLE = "Piano Strategico Metropolitano"
PLAN_INTRO = (
    "<p>Il PSM 2021-2023 «Torino Metropoli Aumentata» ha 6 assi, 24 strategie e 111 azioni. "
    "Qui trovi tutti gli assi e, per intero, le strategie e le azioni dell'Asse 5, quello "
    "dedicato a una metropoli più attrattiva, giusta ed eguale.</p>"
)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    summarised: list[str] = field(default_factory=list)
    translated: list[str] = field(default_factory=list)


def derive_short_title(text: str, limit: int = 70) -> str:
    """A readable title from official text: its first clause, cut at a word boundary."""
    first = re.split(r"[,;:.(]| attraverso | al fine di ", text, maxsplit=1)[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;") + "…"


def _title(code: str, text: str, kind: str) -> str:
    return f"{kind} {code} – {text}"


def _add_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _page_content_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page)


def _home(report: LoadReport) -> HomePage:
    # Wagtail's migration creates the default locale; a flushed database has none.
    home = HomePage.objects.filter(locale=default_locale()).first()
    if home:
        report.kept.append("home")
        return home
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", content_type=_page_content_type())
    )
    home = _add_child(root, HomePage(title=HOME_TITLE, slug="psm-giovani", intro=HOME_INTRO))
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site:
        site.root_page = home
        site.site_name = HOME_TITLE
        site.save()
    else:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=HOME_TITLE,
        )
    # Wagtail's own "Welcome" placeholder page goes away once the real home exists.
    if old_root and old_root.specific_class is Page and not old_root.get_children().exists():
        old_root.delete()
    report.created.append("home")
    return home


def _read_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def psm_load(*, data_dir: Path | None = None) -> LoadReport:
    data_dir = Path(data_dir or settings.DATA_DIR)
    report = LoadReport()
    plan_data = _read_json(data_dir / ASSE5_JSON)
    short_titles = _read_json(data_dir / SHORT_TITLES_JSON)
    summaries_path = data_dir / PLAIN_SUMMARIES_JSON
    summaries = _read_json(summaries_path) if summaries_path.exists() else {}
    with (data_dir / ASSI_CSV).open(encoding="utf-8", newline="") as handle:
        axes_rows = list(csv.DictReader(handle))
    axes_detail = {axis["code"]: axis for axis in plan_data["axes"]}

    home = _home(report)
    italian = default_locale()
    plan = PlanPage.objects.filter(locale=italian).first()
    if plan is None:
        plan = _add_child(
            home,
            PlanPage(
                title=PLAN_TITLE, slug="piano", intro=PLAN_INTRO, source_note=plan_data["source"]
            ),
        )
        report.created.append("plan")
    else:
        report.kept.append("plan")

    for row in axes_rows:
        code = row["asse_num"].strip()
        detail = axes_detail.get(code)
        verified = row["nome_verificato"].strip().lower().startswith("si")
        axis = AxisPage.objects.filter(code=code, locale=italian).first()
        if axis is None:
            name = (
                detail["title"] if detail else (row["nome_asse"] if verified else row["etichetta"])
            )
            summary = detail["summary"] if detail else row["descrizione"]
            axis = _add_child(
                plan,
                AxisPage(
                    title=_title(code, name, "Asse"),
                    slug=f"asse-{code}",
                    code=code,
                    label=row["etichetta"],
                    summary=summary,
                    name_verified=verified,
                ),
            )
            report.created.append(f"axis {code}")
        else:
            report.kept.append(f"axis {code}")
        if not detail:
            continue
        for strategy_data in detail["strategies"]:
            _load_strategy(
                axis, strategy_data, report, short_titles=short_titles, summaries=summaries
            )
    _fill_plain_summaries(summaries, report)
    english_path = data_dir / ENGLISH_JSON
    if english_path.exists():
        _translate_plan(_read_json(english_path), report)
    # Then the other languages follow the Italian tree: an alias for every Italian page not
    # translated yet, and for every new one (wagtail-localize's synchronisation).
    content_locales_ensure()
    return report


def _translate_plan(data: dict, report: LoadReport) -> None:
    """The English plan (``psm-asse5.en.json``), parents first, as wagtail-localize
    translations; pages already translated (an editor's work) are left as they are."""
    from wagtail.models import Locale

    italian = default_locale()
    english = Locale.objects.get_or_create(language_code="en")[0]
    pages: list[tuple[str, Page, dict]] = [
        ("home", HomePage.objects.filter(locale=italian).first(), data["home"]),
        ("plan", PlanPage.objects.filter(locale=italian).first(), data["plan"]),
    ]
    for model, kind, key in (
        (AxisPage, "axis", "axes"),
        (StrategyPage, "strategy", "strategies"),
    ):
        pages.extend(
            (f"{kind} {page.code}", page, data[key][page.code])
            for page in model.objects.filter(locale=italian).order_by("code")
            if page.code in data[key]
        )
    for action in ActionPage.objects.filter(locale=italian).order_by("code"):
        values = data["actions"].get(action.code)
        if values:
            values = {
                "title": _title(action.code, values["short_title"], "Action"),
                "short_title": values["short_title"],
                "official_text": values["text"],
                "plain_summary": values["plain_summary"],
            }
            pages.append((f"action {action.code}", action, values))
    for name, page, values in pages:
        if page is None or _has_english_version(page, english):
            continue
        if page_translate(page, english, values) is not None:
            report.translated.append(name)


def _has_english_version(page: Page, english) -> bool:
    """An English page with the same code already exists (an Italian action deleted and loaded
    again is a new page: its old translation stays the English one until an editor decides)."""
    code = getattr(page, "code", None)
    return bool(code) and type(page).objects.filter(code=code, locale=english).exists()


def _fill_plain_summaries(summaries: dict, report: LoadReport) -> None:
    """Actions with no plain-language summary yet get the editorial one (never replaced). An
    action with a draft in progress is left to its editor: a revision from here would bury it."""
    codes = [code for code in summaries if not code.startswith("_")]
    pending = ActionPage.objects.filter(
        code__in=codes, plain_summary="", live=True, locale=default_locale()
    )
    for action in pending.filter(has_unpublished_changes=False):
        action.plain_summary = summaries[action.code]
        action.save_revision().publish()
        report.summarised.append(f"action {action.code}")


def _load_strategy(
    axis: AxisPage, data: dict, report: LoadReport, *, short_titles: dict, summaries: dict
) -> None:
    code = data["code"]
    strategy = StrategyPage.objects.filter(code=code, locale=axis.locale_id).first()
    if strategy is None:
        strategy = _add_child(
            axis,
            StrategyPage(
                title=_title(code, data["title"], "Strategia"),
                slug=f"strategia-{code.replace('.', '-')}",
                code=code,
                description=data["description"],
            ),
        )
        report.created.append(f"strategy {code}")
    else:
        report.kept.append(f"strategy {code}")
    for action_data in data["actions"]:
        action_code = action_data["code"]
        if ActionPage.objects.filter(code=action_code, locale=axis.locale_id).exists():
            report.kept.append(f"action {action_code}")
            continue
        short = short_titles.get(action_code) or derive_short_title(action_data["text"])
        _add_child(
            strategy,
            ActionPage(
                title=_title(action_code, short, "Azione"),
                slug=f"azione-{action_code.replace('.', '-')}",
                code=action_code,
                short_title=short,
                official_text=action_data["text"],
                plain_summary=summaries.get(action_code, ""),
            ),
        )
        report.created.append(f"action {action_code}")
