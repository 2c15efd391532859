"""Drill: every URL pattern is in the role × view table, and every role gets what it says.

The table is tests/drills/access_matrix.py. A new URL without a row fails
``test_every_url_pattern_is_covered``; a view that opens to a role the table denies (or
fails with a server error) fails ``test_access_matrix``, which requests every pattern as every
role with a GET and with a POST. A refused POST must leave the database as it was; every
HTML page a GET opens is also checked for the security headers (tests/drills/headers_checks.py).
``ACCESS_STATS=<file>`` appends one JSON line per role and method (requests, pages whose
headers were checked) for scripts/drills/run.py; ``ACCESS_DUMP=<prefix>`` writes every outcome.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.drills import access_matrix as table
from tests.drills.access_fixtures import (  # noqa: F401 - the fixtures
    drill_users_fixture,
    drill_world_fixture,
)
from tests.drills.headers_checks import header_failures, is_html

pytestmark = pytest.mark.django_db

REFUSALS = frozenset("LDNB")  # a GET token made only of these refuses the role
NO_WRITE = frozenset("LDNMB")  # a POST answered like this must not change the database
METHODS = ("GET", "POST")
# The app tables whose rows a refused POST must leave alone (with their many-to-many tables).
SNAPSHOT_APPS = (
    "accounts",
    "consultations",
    "proposals",
    "live",
    "leadership",
    "notifications",
    "equity",
)
SNAPSHOT_MODELS = ("wagtailcore.Page", "wagtailcore.Revision", "auth.Group")


@dataclass(frozen=True)
class Route:
    route: str  # the full route, as written in the matrix
    parts: tuple  # the pattern objects from the root down to the view


@dataclass(frozen=True)
class Rule:
    get: tuple[str, ...]
    post: tuple[str, ...]
    explicit_post: bool
    overrides: dict = field(default_factory=dict)

    def tokens(self, method: str) -> tuple[str, ...]:
        return self.get if method == "GET" else self.post


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, parts: tuple):
        for entry in patterns:
            here = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, here, (*parts, entry.pattern))
            elif isinstance(entry, URLPattern):
                routes.append(Route(route=here, parts=(*parts, entry.pattern)))

    walk(get_resolver().url_patterns, "", ())
    return routes


def default_post_token(get_token: str) -> str:
    """A refusal stays a refusal (or a 405); Wagtail's error page stays one; else ``*``."""
    if set(get_token) <= REFUSALS:
        return get_token + "M"
    return "5" if get_token == "5" else "*"


def parse_rule(entry) -> Rule:
    text, overrides = (entry, {}) if isinstance(entry, str) else entry
    get_text, _bar, post_text = text.partition("|")
    get = tuple(get_text.split())
    if post_text.strip():
        return Rule(get, tuple(post_text.split()), True, overrides)
    return Rule(get, tuple(default_post_token(t) for t in get), False, overrides)


def rule_for(route: str) -> Rule | None:
    if route in table.MATRIX:
        return parse_rule(table.MATRIX[route])
    for prefix, tokens in table.PREFIX_RULES.items():
        if route.startswith(prefix):
            return parse_rule(tokens)
    return None


def allows(token: str, got: str) -> bool:
    if token in ("*", "X"):
        return got != "5"
    return got in token


# --------------------------------------------------------------------------- paths and bodies
def _pk(value) -> str:
    return str(getattr(value, "pk", value))


def _value(name: str | None, objects: dict, overrides: dict) -> str:
    if name in overrides:
        return _pk(objects[overrides[name]])
    if name in table.SAMPLE_ARGUMENTS:
        return table.SAMPLE_ARGUMENTS[name]
    return str(table.MISSING_ID)


def _fill_regex(regex: str, objects: dict, overrides: dict) -> str:
    """A path matching one regex pattern piece, with sample values for its groups."""
    text = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    positional = iter(["1", "x"])

    def group(match: re.Match) -> str:
        name = match.group(1)
        return _value(name, objects, overrides) if name else next(positional, "x")

    text = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)\??", group, text)
    text = re.sub(r"\((?!\?)(?:[^()]|\([^()]*\))*\)\??", lambda m: group(_NoName()), text)
    text = re.sub(r"\(\?:[^()]*\)[*?]", "", text)
    return text.replace("\\.", ".").replace("\\-", "-").replace("/?", "/")


class _NoName:
    def group(self, _index):
        return None


def sample_path(route: Route, objects: dict, overrides: dict) -> str:
    if "__url__" in overrides:  # a page of the Wagtail tree, by its object
        return objects[overrides["__url__"]].url
    path = ""
    for part in route.parts:
        if isinstance(part, RoutePattern):
            text = str(part)
            path += re.sub(
                r"<(?:(\w+):)?(\w+)>",
                lambda m: _value(m.group(2), objects, overrides),
                text,
            )
        elif isinstance(part, RegexPattern):
            path += _fill_regex(str(part), objects, overrides)
        else:  # LocalePrefixPattern and friends: no arguments
            path += str(part)
    return "/" + path


def post_body(route: str, objects: dict) -> dict:
    def resolve(value):
        if isinstance(value, list):
            return [resolve(item) for item in value]
        return _pk(objects[value[1:]]) if value.startswith("@") else value

    return {key: resolve(value) for key, value in table.POST_BODIES.get(route, {}).items()}


def outcome(response, login_url: str) -> str:
    status = response.status_code
    if status >= 500:
        return "5"
    if status in (301, 302, 303, 307, 308):
        return "L" if response["Location"].split("?")[0].endswith(login_url) else "R"
    return {400: "B", 403: "D", 404: "N", 405: "M"}.get(
        status, "O" if 200 <= status < 300 else str(status)
    )


# --------------------------------------------------------------------------- database snapshot
def snapshot_tables() -> list[str]:
    models = [m for label in SNAPSHOT_APPS for m in apps.get_app_config(label).get_models(True)]
    models += [apps.get_model(name) for name in SNAPSHOT_MODELS]
    return sorted({model._meta.db_table for model in models})


def snapshot(tables: list[str]) -> dict[str, tuple]:
    """Every row of the app tables (small in the drill: a few hundred rows; raw SQL, because
    the ORM takes fifty times longer and the drill takes a snapshot per POST)."""
    rows = {}
    with connection.cursor() as cursor:
        for name in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)} ORDER BY 1")  # noqa: S608
            rows[name] = tuple(cursor.fetchall())
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# --------------------------------------------------------------------------- the table itself
def test_every_url_pattern_is_covered():
    missing = [r.route for r in all_routes() if rule_for(r.route) is None]
    assert not missing, "URL patterns missing from tests/drills/access_matrix.py:\n" + "\n".join(
        missing
    )


def test_matrix_has_no_stale_rows():
    known = {r.route for r in all_routes()}
    stale = [route for route in [*table.MATRIX, *table.POST_BODIES] if route not in known]
    assert not stale, "Rows for URL patterns that no longer exist:\n" + "\n".join(stale)


def test_every_row_has_a_token_per_role_and_post_only_views_say_who_may_post():
    wrong = []
    for route in [*table.MATRIX, *table.PREFIX_RULES]:
        rule = rule_for(route)
        if len(rule.get) != len(table.ROLES) or len(rule.post) != len(table.ROLES):
            wrong.append(f"{route}: one token per role ({len(table.ROLES)}) for GET and POST")
        if "X" in "".join(rule.get):
            wrong.append(f"{route}: X is for POST tokens only")
        if any("M" in token for token in rule.get) and not rule.explicit_post:
            wrong.append(f"{route}: a POST-only view must write its POST tokens")
    assert not wrong, "\n".join(wrong)


def test_post_tokens_never_open_what_get_refuses():
    """A role refused on GET (login, 403, 404, 400) is refused on POST too."""
    wrong = []
    for route in [*table.MATRIX, *table.PREFIX_RULES]:
        rule = rule_for(route)
        for role, get, post in zip(table.ROLES, rule.get, rule.post, strict=True):
            if set(get) <= REFUSALS and not set(post) <= NO_WRITE | {"X"}:
                wrong.append(f"{route}: {role} is refused on GET ({get}) but may POST ({post})")
    assert not wrong, "\n".join(wrong)


# --------------------------------------------------------------------------- the drill
class Drill:
    """One role's pass over every route with one method."""

    def __init__(self, client, user, role: str, method: str, objects: dict):
        self.client, self.user, self.method, self.objects = client, user, method, objects
        self.column = table.ROLES.index(role)
        self.login_url = reverse("account_login")
        self.tables = snapshot_tables()
        self.before = None
        self.failures: list[str] = []
        self.header_problems: list[str] = []
        self.seen: list[str] = []
        self.requests = self.html_checked = 0

    def run(self, only: str = "") -> None:
        for route in all_routes():
            rule = rule_for(route.route)
            if rule is None or (only and not route.route.startswith(only)):
                continue
            self.check(route, rule)

    def check(self, route: Route, rule: Rule) -> None:
        allowed = rule.tokens(self.method)[self.column]
        path = sample_path(route, self.objects, rule.overrides)
        changed: list[str] = []
        if self.method == "GET":
            response = self.client.get(path)
            self.check_headers(path, response)
        else:
            response, changed = self.post(route.route, path)
        got = outcome(response, self.login_url)
        self.requests += 1
        self.seen.append(f"{self.method}\t{route.route}\t{path}\t{got}")
        if not allows(allowed, got):
            self.failures.append(
                f"{self.method} {route.route} ({path}): got {got}, table allows {allowed}"
            )
        elif self.method == "POST" and changed and (got in NO_WRITE or allowed == "X"):
            self.failures.append(
                f"POST {route.route} ({path}): refused ({got}) but changed {', '.join(changed)}"
            )
        self.log_in_again()

    def post(self, route: str, path: str):
        before = self.before or snapshot(self.tables)
        response = self.client.post(path, post_body(route, self.objects))
        self.before = snapshot(self.tables)
        return response, changed_tables(before, self.before)

    def check_headers(self, path: str, response) -> None:
        if 200 <= response.status_code < 300 and is_html(response):
            self.html_checked += 1
            self.header_problems += header_failures(path, response)

    def log_in_again(self) -> None:
        """A logout view ended the session: the next row needs it."""
        if self.user is not None and "_auth_user_id" not in self.client.session:
            self.client.force_login(self.user)
            self.before = None  # the login wrote last_login


def _write_stats(role: str, drill: Drill) -> None:
    if path := os.environ.get("ACCESS_STATS"):
        line = {
            "role": role,
            "method": drill.method,
            "requests": drill.requests,
            "html_checked": drill.html_checked,
        }
        with open(path, "a") as handle:
            handle.write(json.dumps(line) + "\n")
    if prefix := os.environ.get("ACCESS_DUMP"):
        with open(f"{prefix}-{role}-{drill.method}.tsv", "w") as handle:
            handle.write("\n".join(drill.seen))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", table.ROLES)
def test_access_matrix(role, method, client, drill_users, drill_world):
    user = drill_users[role]
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False
    drill = Drill(client, user, role, method, drill_world)
    drill.run(only=os.environ.get("ACCESS_ONLY", ""))
    _write_stats(role, drill)
    problems = drill.failures + [f"headers: {p}" for p in sorted(set(drill.header_problems))]
    assert not problems, f"{role}:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- CSRF
def _csrf_targets(objects: dict) -> list[tuple[str, dict]]:
    proposal, comment = objects["proposal"], objects["comment"]
    live = {"code": objects["workshop_code"], "activity_pk": objects["activity"].pk}
    return [
        (reverse("proposals:vote", args=[proposal.pk]), {}),
        (reverse("proposals:comment", args=[proposal.pk]), {"body": "Senza token"}),
        (reverse("proposals:comment_like", args=[comment.pk]), {}),
        (reverse("proposals:report", args=["proposta", proposal.pk]), {"reason": "spam"}),
        (reverse("consultations:follow", args=[objects["consultation"].pk]), {}),
        (reverse("notifications:read"), {}),
        (reverse("accounts:edit"), {"display_name": "Senza token"}),
        (reverse("live:answer", kwargs=live), {"choice": "0"}),
        (reverse("leadership:apply", args=[objects["call"].pk]), {}),
    ]


def test_posts_without_a_csrf_token_are_refused(role_users, drill_world):
    """The test client skips CSRF checks by default: here they are enforced."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_users["participant"])
    tables = snapshot_tables()
    wrong = []
    for url, body in _csrf_targets(drill_world):
        before = snapshot(tables)
        response = client.post(url, body)
        changed = changed_tables(before, snapshot(tables))
        if response.status_code != 403 or changed:
            wrong.append(f"{url}: HTTP {response.status_code}, changed {changed}")
    assert not wrong, "\n".join(wrong)
