"""The bench's and the drills' seed data, made inside Django with the bench settings: run as a
child process by ``benchkit.seed`` (a spec in JSON on the command line, what it made in JSON on
standard output)."""

from __future__ import annotations

import json
import os
import sys

from benchkit import ROOT, SETTINGS


def seed(spec: dict) -> dict:
    """Seed the bench database (runs inside Django with the bench settings)."""
    import datetime
    import itertools

    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from accounts.models import User
    from consultations.models import Category, ConsultationPage, Phase, PhaseKind
    from proposals.models import Comment, Proposal, Vote
    from psm.models import ActionPage, HomePage
    from territory.models import TORINO_ISTAT_CODE, Comune

    now = timezone.now()
    prefix = spec.get("email_prefix", "bench")
    torino = Comune.objects.get(pk=TORINO_ISTAT_CODE)
    birth = timezone.localdate() - datetime.timedelta(days=365 * 22)
    password = make_password(spec.get("password", "bench-password-42"))
    n_users = spec.get("users", 100)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{i}@example.org",
                display_name=f"Persona {i}",
                birth_date=birth,
                comune=torino,
                password=password,
                privacy_notice_version="2026-11",
                privacy_accepted_at=now,
            )
            for i in range(n_users)
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(email__startswith=prefix).order_by("pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    action = ActionPage.objects.live().order_by("path").first()
    result: dict = {
        "home_url": HomePage.objects.get(locale__language_code="it").url,
        "action_url": action.url,
        "consultations": {},
        "users": [],
    }
    author_cycle = itertools.cycle(users)
    for index, item in enumerate(spec.get("consultations", [])):
        page = ConsultationPage(
            title=item["title"],
            slug=f"{item['key']}-{index}",
            question="<p>Come rendere il territorio più vicino a chi è giovane?</p>",
            vote_mode=item.get("mode", "support"),
            max_supports=item.get("max_supports"),
        )
        action.add_child(instance=page)
        Phase.objects.create(
            page=page,
            kind=PhaseKind.VOTING,
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=30),
        )
        categories = [
            Category.objects.create(page=page, name=name, sort_order=i)
            for i, name in enumerate(["Spazi", "Mobilità", "Cultura", "Sport", "Lavoro"])
        ]
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    consultation=page,
                    author=next(author_cycle),
                    title=f"Proposta {n}: uno spazio per lo studio",
                    body="Un luogo aperto la sera, con connessione e tavoli per studiare. " * 4,
                    category=categories[n % len(categories)],
                    comune=torino,
                    published_at=now,
                    created_at=now - datetime.timedelta(minutes=n),
                )
                for n in range(item.get("proposals", 0))
            ],
            batch_size=2000,
        )
        ids = [p.pk for p in proposals] or list(
            Proposal.objects.filter(consultation=page).values_list("pk", flat=True)
        )
        votes = item.get("votes", 0)
        if votes:
            pairs = itertools.islice(itertools.product(users, ids[:200]), votes)
            Vote.objects.bulk_create(
                [Vote(proposal_id=pid, voter=u) for u, pid in pairs], batch_size=5000
            )
        entry = {"id": page.pk, "url": page.url, "proposal_ids": ids}
        comments = item.get("detail_comments", 0)
        if comments and ids:
            target = ids[0]
            top = Comment.objects.bulk_create(
                [
                    Comment(proposal_id=target, author=next(author_cycle), body=f"Commento {c}")
                    for c in range(comments // 2)
                ]
            )
            Comment.objects.bulk_create(
                [
                    Comment(
                        proposal_id=target,
                        author=next(author_cycle),
                        parent=top[c % len(top)],
                        body=f"Risposta {c}",
                    )
                    for c in range(comments - len(top))
                ]
            )
            entry["detail_id"] = target
            entry["threads"] = [{"id": c.pk, "author_id": c.author_id} for c in top]
        result["consultations"][item["key"]] = entry
    if spec.get("leadership_call"):
        result["leadership_call"] = _seed_leadership_call(now)
    for user in users[: spec.get("sessions", 0)]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.CachedModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        result["users"].append({"id": user.pk, "session": session.session_key})
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would gather them on a live server: without them the
        # planner takes the bulk-inserted tables for empty and sorts every proposal of a
        # 10,000-proposal consultation to show the first 20.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return result


def _seed_leadership_call(now) -> dict:
    """An open call of a new leadership programme, with one question of each kind."""
    import datetime

    from leadership.models import CallPage, CallQuestion, ProgrammePage, QuestionKind
    from psm.models import HomePage

    programme = ProgrammePage(
        title="Leadership civica (prova)", slug="prova-leadership", edition=now.year + 1
    )
    HomePage.objects.get(locale__language_code="it").add_child(instance=programme)
    call = CallPage(
        title="Bando di prova",
        slug="prova-bando",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        seats=10,
    )
    programme.add_child(instance=call)
    questions = [
        (QuestionKind.LONG, "Perché ti candidi?", ""),
        (QuestionKind.SHORT, "Che cosa studi o fai?", ""),
        (QuestionKind.CHOICE, "Come ci hai conosciuto?", "Scuola\nSocial\nAmici"),
    ]
    made = [
        CallQuestion.objects.create(
            call=call, label=label, kind=kind, choices=choices, max_chars=2000, sort_order=i
        )
        for i, (kind, label, choices) in enumerate(questions)
    ]
    return {
        "id": call.pk,
        "url": call.url,
        "questions": [
            {"field": q.field_name, "kind": q.kind, "choices": q.choice_list()} for q in made
        ],
        "categories": call.allowed_categories(),
    }


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: bench_seed.py '<json spec>'")
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
    print(json.dumps(seed(json.loads(sys.argv[1]))))


if __name__ == "__main__":
    main()
