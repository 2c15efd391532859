"""Benchmark (not a test): ranking 5,000 applications × 3 reviews with quotas.

Two measures, both printed:
  1. in memory: weighted means, per-reviewer z-scores, disagreement and the quota-respecting
     selection (leadership.selectors.call_scores + leadership.selection.select);
  2. with --db: the same through the database, as the coordinator's page does it
     (leadership.selectors.selection_proposal) on a temporary SQLite file seeded with bulk
     inserts (seeding time is printed separately and not part of the measure).

    .venv/bin/python scripts/bench_selection.py [--applications 5000] [--seats 30] [--db]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

CATEGORIES = ("studente", "lavoratore", "amministratore")
GENDERS = ("donna", "uomo", "non_binario", "")


def in_memory(n: int, seats: int, reviewers: int, rng: random.Random) -> None:
    from leadership import selectors
    from leadership.selection import Candidate, Quotas, check_quotas, select

    weights = {"1": 2.0, "2": 1.5, "3": 1.0}
    reviews = []
    for app_id in range(n):
        for reviewer in rng.sample(range(reviewers), 3):
            bias = (reviewer % 5) - 2
            reviews.append(
                (
                    app_id,
                    reviewer,
                    {k: max(0, min(5, rng.randint(0, 5) + bias)) for k in weights},
                )
            )
    people = {}
    for app_id in range(n):
        mountain = rng.random() < 0.12
        people[app_id] = dict(
            gender=rng.choice(GENDERS),
            category=rng.choices(CATEGORIES, weights=[6, 3, 1])[0],
            outside_torino=mountain or rng.random() < 0.55,
            mountain=mountain,
        )
    quotas = Quotas(
        gender_cap=Fraction(3, 5),
        category_seats=1,
        categories=CATEGORIES,
        outside_share=Fraction(1, 2),
        mountain_share=Fraction(1, 5),
    )
    call = SimpleNamespace(disagreement_threshold=1.5)  # what call_scores reads
    start = time.perf_counter()
    scores = selectors.call_scores(call, reviews=reviews, weights=weights)
    middle = time.perf_counter()
    candidates = [Candidate(id=i, score=s.normalised, **people[i]) for i, s in scores.items()]
    result = select(candidates, seats=seats, quotas=quotas)
    end = time.perf_counter()
    chosen = [c for c in candidates if c.id in set(result.selected)]
    print(f"in memory: {n} applications × 3 reviews ({len(reviews)} reviews), {seats} seats")
    print(f"  scores (weighted mean, z-score, disagreement): {(middle - start) * 1000:.1f} ms")
    print(f"  selection with 4 quotas:                       {(end - middle) * 1000:.1f} ms")
    print(f"  total:                                         {(end - start) * 1000:.1f} ms")
    print(f"  flagged for disagreement: {sum(1 for s in scores.values() if s.flagged)}")
    print(
        f"  quotas broken: {check_quotas(chosen, seats, quotas) or 'none'}; "
        f"infeasible: {result.infeasible or 'none'}"
    )


def with_database(n: int, seats: int, reviewers: int, rng: random.Random) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from leadership import selectors
    from leadership.models import (
        Application,
        CallCriterion,
        CallPage,
        CallQuota,
        ProgrammePage,
        QuotaKind,
        Review,
    )
    from leadership.models import ApplicationStatus as S
    from psm.models import HomePage
    from territory.models import Comune

    seed_start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_territory", verbosity=0)
    call_command("load_psm", verbosity=0)
    home = HomePage.objects.get(locale__language_code="it")
    programme = home.add_child(instance=ProgrammePage(title="Bench", slug="bench", edition=2027))
    now = timezone.now()
    call = programme.add_child(
        instance=CallPage(
            title="Bench", slug="bench-call", opens_at=now, closes_at=now, seats=seats
        )
    )
    criteria = [
        CallCriterion.objects.create(call=call, name=f"c{i}", weight=w)
        for i, w in enumerate((2, 1.5, 1))
    ]
    CallQuota.objects.create(call=call, kind=QuotaKind.GENDER_MAX_SHARE, value=60)
    CallQuota.objects.create(call=call, kind=QuotaKind.CATEGORY_MIN_SEATS, value=1)
    CallQuota.objects.create(call=call, kind=QuotaKind.OUTSIDE_TORINO_MIN_SHARE, value=50)
    CallQuota.objects.create(call=call, kind=QuotaKind.MOUNTAIN_MIN_SHARE, value=20)
    comuni = list(Comune.objects.values_list("pk", flat=True))
    users = User.objects.bulk_create(
        User(email=f"b{i}@bench.invalid", display_name=f"B{i}") for i in range(n + reviewers)
    )
    candidates, panel = users[:n], users[n:]
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            applicant=u,
            status=S.UNDER_REVIEW,
            gender=rng.choice(GENDERS),
            category=rng.choices(CATEGORIES, weights=[6, 3, 1])[0],
            comune_id=rng.choice(comuni),
            protocol=f"B-{i}",
        )
        for i, u in enumerate(candidates)
    )
    Review.objects.bulk_create(
        Review(
            application=a,
            reviewer=r,
            scores={str(c.pk): rng.randint(0, 5) for c in criteria},
            submitted_at=now,
        )
        for a in applications
        for r in rng.sample(panel, 3)
    )
    seed = time.perf_counter() - seed_start
    start = time.perf_counter()
    proposal = selectors.selection_proposal(CallPage.objects.get(pk=call.pk))
    elapsed = time.perf_counter() - start
    print(f"database (SQLite file): seeding {seed:.1f} s (not measured)")
    print(f"  selection_proposal (reads + scores + selection): {elapsed * 1000:.1f} ms")
    print(
        f"  selected {len(proposal.result.selected)}, waitlist {len(proposal.result.waitlist)}, "
        f"infeasible: {proposal.result.infeasible or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--reviewers", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--db", action="store_true", help="also measure through the database")
    args = parser.parse_args()
    db_path = None
    if args.db:
        handle, db_path = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    rng = random.Random(args.seed)  # noqa: S311 - reproducible test data, not secrets
    in_memory(args.applications, args.seats, args.reviewers, rng)
    if args.db:
        try:
            with_database(args.applications, args.seats, args.reviewers, rng)
        finally:
            os.unlink(db_path)


if __name__ == "__main__":
    main()
