"""Drill: every URL pattern is in the role × view table, and every role gets what it says.

The table is tests/drills/access_matrix.py. A new URL without a row fails
``test_every_url_pattern_is_covered``; a view that opens to a role the table denies (or
fails with a server error) fails ``test_access_matrix``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.drills import access_matrix as table

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    route: str  # the full route, as written in the matrix
    parts: tuple  # the pattern objects from the root down to the view


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


def rule_for(route: str):
    if route in table.MATRIX:
        entry = table.MATRIX[route]
        return (entry, {}) if isinstance(entry, str) else entry
    for prefix, tokens in table.PREFIX_RULES.items():
        if route.startswith(prefix):
            return tokens, {}
    return None


def _value(name: str | None, objects: dict, overrides: dict) -> str:
    if name in overrides:
        return str(getattr(objects[overrides[name]], "pk", objects[overrides[name]]))
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


def outcome(response, login_url: str) -> str:
    status = response.status_code
    if status >= 500:
        return "5"
    if status in (301, 302, 303, 307, 308):
        return "L" if response["Location"].split("?")[0].endswith(login_url) else "R"
    return {400: "B", 403: "D", 404: "N", 405: "M"}.get(
        status, "O" if 200 <= status < 300 else str(status)
    )


def test_every_url_pattern_is_covered():
    missing = [r.route for r in all_routes() if rule_for(r.route) is None]
    assert not missing, "URL patterns missing from tests/drills/access_matrix.py:\n" + "\n".join(
        missing
    )


def test_matrix_has_no_stale_rows():
    known = {r.route for r in all_routes()}
    stale = [route for route in table.MATRIX if route not in known]
    assert not stale, "Rows for URL patterns that no longer exist:\n" + "\n".join(stale)


@pytest.mark.parametrize("role", table.ROLES)
def test_access_matrix(role, client, role_users, proposal, consultation):
    from django.urls import reverse

    login_url = reverse("account_login")
    user = role_users[role]
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False
    objects = {
        "proposal": proposal,
        "consultation": consultation,
        "comment": proposal.comments.first(),
        "user": user,
    }
    column = table.ROLES.index(role)
    failures, seen = [], []
    only = os.environ.get("ACCESS_ONLY", "")
    for route in all_routes():
        rule = rule_for(route.route)
        if rule is None or (only and not route.route.startswith(only)):
            continue
        tokens, overrides = rule
        allowed = tokens.split()[column]
        path = sample_path(route, objects, overrides)
        got = outcome(client.get(path), login_url)
        if user is not None and "_auth_user_id" not in client.session:
            client.force_login(user)  # a logout view ended the session: the next row needs it
        seen.append(f"{route.route}\t{path}\t{got}")
        if not (got in allowed or (allowed == "*" and got != "5")):
            failures.append(f"{route.route} ({path}): {role} got {got}, table allows {allowed}")
    if os.environ.get("ACCESS_DUMP"):
        with open(f"{os.environ['ACCESS_DUMP']}-{role}.tsv", "w") as handle:
            handle.write("\n".join(seen))
    assert not failures, "\n".join(failures)
