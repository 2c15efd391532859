"""Benchmark (not a test): opinion groups of 1,000 participants × 200 statements, 50 votes each.

Two measures, both printed (the target is ≤ 2 s for the whole recompute):
  1. in memory: the pipeline the Celery task runs (imputation, PCA, k-means for k = 2..5 with
     silhouettes, representative / consensus / divisive statements, disclosure of every count);
  2. with --db: the task itself (``conversations.snapshots.snapshot_compute``: reading the votes,
     the pipeline, storing the snapshot) on a temporary SQLite file seeded with bulk inserts
     (seeding is timed separately and not part of the measure).

    .venv/bin/python scripts/bench_conversations.py [--participants 1000] [--statements 200]
        [--votes 50] [--groups 3] [--db]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]


def in_memory(args) -> float:
    from sklearn.metrics import adjusted_rand_score
    from threadpoolctl import threadpool_limits

    from conversations.analysis.clustering import opinion_groups
    from conversations.analysis.report import build_report
    from conversations.analysis.synthetic import planted
    from conversations.disclosure import published_cells

    matrix, truth = planted(
        participants=args.participants,
        statements=args.statements,
        groups=args.groups,
        votes_each=args.votes,
        seed=args.seed,
    )
    start = time.perf_counter()
    with threadpool_limits(limits=1):
        groups = opinion_groups(matrix, min_votes=7, seed=args.seed)
        middle = time.perf_counter()
        data = build_report(matrix, groups)
    reported = time.perf_counter()
    data["published"] = published_cells(data, int(groups.placed.sum()))
    end = time.perf_counter()
    print(
        f"in memory: {args.participants} participants × {args.statements} statements, "
        f"{args.votes} votes each ({args.participants * args.votes} votes), {args.groups} planted"
    )
    print(f"  groups (impute, PCA, k-means k=2..5, silhouette): {(middle - start) * 1000:7.1f} ms")
    print(
        f"  statements (representative, consensus, divisive): {(reported - middle) * 1000:7.1f} ms"
    )
    print(f"  disclosure of every published count:              {(end - reported) * 1000:7.1f} ms")
    print(f"  total:                                            {(end - start) * 1000:7.1f} ms")
    print(
        f"  found {groups.count} groups, adjusted Rand index "
        f"{adjusted_rand_score(truth, groups.labels):.3f}"
    )
    return end - start


def with_database(args) -> float:
    from django.core.management import call_command

    from conversations.analysis.synthetic import planted
    from conversations.models import Conversation, Statement, StatementVote
    from conversations.snapshots import snapshot_compute
    from psm.models import ActionPage
    from tests.consultations.factories import make_consultation

    seed_start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_territory", verbosity=0)
    call_command("load_psm", verbosity=0)
    consultation = make_consultation(
        phases=("conversation",),
        parent=ActionPage.objects.get(locale__language_code="it", code="5.2.1"),
    )
    conversation = Conversation.objects.create(consultation=consultation, question="Bench", seed=1)
    statements = Statement.objects.bulk_create(
        Statement(conversation=conversation, text=f"Affermazione {i}", status="published")
        for i in range(args.statements)
    )
    matrix, _truth = planted(
        participants=args.participants,
        statements=args.statements,
        groups=args.groups,
        votes_each=args.votes,
        seed=args.seed,
    )
    StatementVote.objects.bulk_create(
        (
            StatementVote(
                conversation=conversation,
                statement=statements[col],
                participant_key=f"d{row}",
                choice=int(matrix.values[row, col]),
            )
            for row in range(args.participants)
            for col in range(args.statements)
            if matrix.values[row, col] == matrix.values[row, col]  # not NaN
        ),
        batch_size=5000,
    )
    seed = time.perf_counter() - seed_start
    start = time.perf_counter()
    snapshot = snapshot_compute(conversation)
    elapsed = time.perf_counter() - start
    print(f"database (SQLite file): seeding {seed:.1f} s (not measured)")
    print(f"  snapshot_compute (read votes, pipeline, store): {elapsed * 1000:7.1f} ms")
    print(
        f"  {snapshot.votes_count} votes, {snapshot.groups_count} groups, {snapshot.placed_count} placed"
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--votes", type=int, default=50)
    parser.add_argument("--groups", type=int, default=3)
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
    worst = in_memory(args)
    if args.db:
        try:
            worst = max(worst, with_database(args))
        finally:
            os.unlink(db_path)
    verdict = "within" if worst <= 2.0 else "OVER"
    print(f"recompute: {worst:.2f} s ({verdict} the 2 s target)")


if __name__ == "__main__":
    main()
