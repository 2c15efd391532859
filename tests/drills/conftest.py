"""Objects the drills need: one open consultation with a proposal and a comment, and one
account per role."""

import pytest
from django.utils import timezone

from accounts.models import Role
from consultations.models import PhaseKind
from proposals.models import Comment, Proposal
from tests.drills.objects import running_consultation
from tests.factories import UserFactory

ROLES = ("anonymous", "participant", "facilitator", "editor", "staff")


@pytest.fixture
def consultation(plan):
    return running_consultation(
        title="Consultazione delle esercitazioni",
        slug="esercitazioni",
        question="<p>Che cosa manca nel tuo quartiere?</p>",
        kinds=[PhaseKind.VOTING],
    )


@pytest.fixture
def proposal(consultation, other_user):
    proposal = Proposal.objects.create(
        consultation=consultation,
        author=other_user,
        title="Una biblioteca aperta la sera",
        body="Uno spazio per studiare anche dopo cena, con la connessione.",
        published_at=timezone.now(),
    )
    Comment.objects.create(proposal=proposal, author=other_user, body="Sono d'accordo")
    return proposal


@pytest.fixture
def role_users(plan):
    """One account per role (anonymous is None)."""
    return {
        "anonymous": None,
        "participant": UserFactory(),
        "facilitator": UserFactory(roles=[Role.FACILITATOR], facilitator=True),
        "editor": UserFactory(roles=[Role.EDITOR], editor=True),
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }


@pytest.fixture
def open_consultation(plan):
    """A consultation taking proposals and votes now (two phases running side by side)."""
    return running_consultation(
        title="Consultazione aperta delle esercitazioni",
        slug="esercitazioni-aperta",
        question="<p>Che cosa proponi?</p>",
        kinds=[PhaseKind.PROPOSALS, PhaseKind.VOTING],
    )


# --------------------------------------------------------------------------- counted cases
class GeneratedCases:
    """Counts the examples Hypothesis (and schemathesis, built on it) really executed,
    through Hypothesis's observability callbacks; ``GENERATED CASES: n`` ends the run."""

    def __init__(self):
        self.by_test: dict[str, int] = {}
        self.current = ""

    def observe(self, observation) -> None:
        if getattr(observation, "type", "") == "test_case" and observation.status != "gave_up":
            self.by_test[self.current] = self.by_test.get(self.current, 0) + 1

    def total(self, *, api: bool | None = None) -> int:
        return sum(
            n
            for nodeid, n in self.by_test.items()
            if api is None or ("test_api_schema" in nodeid) == api
        )


_CASES = GeneratedCases()


def pytest_configure(config):
    from hypothesis.internal import observability

    # Counting needs no line coverage: collecting it traces every line (several times slower
    # on Python 3.11). Hypothesis documents this attribute as the switch to monkeypatch.
    observability.OBSERVABILITY_COLLECT_COVERAGE = False
    observability.add_observability_callback(_CASES.observe)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    _CASES.current = item.nodeid
    try:
        return (yield)
    finally:
        _CASES.current = ""


_FIGURE_MODULES = (
    "tests.drills.test_bad_input",
    "tests.drills.test_bad_input_leadership",
    "tests.drills.test_bad_input_xss",
    "tests.drills.test_api_schema",
)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """Under pytest-xdist each worker counts its own cases: it hands its counts and the drill
    modules it ran to the controller, which prints the totals."""
    import sys

    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["drill_cases"] = dict(_CASES.by_test)
        output["drill_modules"] = [name for name in _FIGURE_MODULES if name in sys.modules]


_RAN_ON_WORKERS: set[str] = set()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    output = getattr(node, "workeroutput", {}) or {}
    for nodeid, count in output.get("drill_cases", {}).items():
        _CASES.by_test[nodeid] = _CASES.by_test.get(nodeid, 0) + count
    _RAN_ON_WORKERS.update(output.get("drill_modules", []))


def _drill_module(name: str):
    """A drill module that ran in this process, or on a pytest-xdist worker."""
    import importlib
    import sys

    if name in sys.modules:
        return sys.modules[name]
    return importlib.import_module(name) if name in _RAN_ON_WORKERS else None


def _bad_input_figures() -> str:
    """Upload attacks, XSS fields × payloads and API operations of the modules that ran."""
    parts = []
    base = _drill_module("tests.drills.test_bad_input")
    leadership = _drill_module("tests.drills.test_bad_input_leadership")
    attacks = len(getattr(base, "UPLOAD_ATTACKS", {})) + len(getattr(base, "PICTURE_NAMES", []))
    attacks += len(getattr(base, "HUGE_PICTURES", {}))
    attacks += len(getattr(leadership, "DOCUMENT_ATTACKS", {}))
    attacks += len(getattr(leadership, "HOSTILE_NAMES", []))
    if attacks:
        parts.append(f"UPLOAD ATTACKS: {attacks}")
    xss = _drill_module("tests.drills.test_bad_input_xss")
    if xss is not None and base is not None:
        parts.append(f"XSS: {len(xss.XSS_FIELDS)} fields x {len(base.XSS_CORPUS)} payloads")
    api = _drill_module("tests.drills.test_api_schema")
    if api is not None:
        parts.append(f"API OPERATIONS: {len(api.OPERATIONS)}")
    return "; ".join(parts)


def pytest_terminal_summary(terminalreporter):
    if _CASES.by_test:
        terminalreporter.write_line(
            f"GENERATED CASES: {_CASES.total()} "
            f"(hypothesis {_CASES.total(api=False)}, schemathesis {_CASES.total(api=True)})"
        )
    figures = _bad_input_figures()
    if figures:
        terminalreporter.write_line(figures)
