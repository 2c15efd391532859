"""Demo conversation (``manage.py load_demo``): a consultation under action 5.2.1 running a
conversation phase, with seeded statements and synthetic votes from 96 phones of workshop
participants (no accounts) in three planted opinion groups, and the opinion map computed.

Idempotent: an existing demo consultation is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from consultations.models import ConsultationPage, Phase, PhaseKind, TerritoryScope
from consultations.services import facilitation_grant
from conversations.models import Choice, Conversation, Statement, StatementStatus, StatementVote
from conversations.snapshots import snapshot_compute
from psm.localisation import default_locale_id
from psm.models import ActionPage

SLUG = "conversazione-futuro-metropolitano"

#: (statement, opinion of groups A, B, C): +1 agree, -1 disagree, 0 mostly pass.
STATEMENTS = (
    ("I trasporti serali dalle valli a Torino sono la prima cosa da migliorare.", 1, 1, 1),
    ("Le scuole dovrebbero restare aperte il pomeriggio come spazi per i giovani.", 1, 1, 1),
    ("Il PSM dovrebbe essere spiegato in classe, non solo pubblicato online.", 1, 1, 1),
    ("Chi ha meno di 30 anni dovrebbe avere una quota di case pubbliche.", 1, 1, -1),
    ("Meglio investire nei centri urbani che nei piccoli comuni di montagna.", 1, -1, -1),
    ("Il lavoro da remoto può riportare giovani nei paesi.", -1, 1, 1),
    ("Servono più piste ciclabili anche fuori Torino.", 1, -1, 1),
    ("Le decisioni sul territorio vanno prese con referendum locali.", -1, 1, 0),
    ("Il turismo porta più problemi che opportunità nelle valli.", -1, -1, 1),
    ("Le aziende dovrebbero pagare gli stage almeno 800 euro al mese.", 1, 1, -1),
    ("Gli eventi culturali andrebbero spostati fuori dal centro di Torino.", -1, 1, 1),
    ("Serve un consiglio metropolitano dei giovani con potere di proposta.", 1, -1, 1),
    ("Le auto private vanno limitate nei centri storici.", 1, -1, -1),
    ("La Città metropolitana deve finanziare spazi di coworking nei comuni piccoli.", -1, 1, 1),
    ("Le associazioni giovanili devono poter usare gratis gli edifici pubblici vuoti.", 1, 1, 1),
    ("L'agricoltura di montagna è un lavoro con futuro per i giovani.", -1, 1, 0),
)
GROUP_SIZES = (40, 32, 24)
LOYALTY = 0.88


def _day(offset: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=offset)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _votes(conversation, statements, rng) -> list[StatementVote]:
    votes = []
    person = 0
    for group, size in enumerate(GROUP_SIZES):
        for _ in range(size):
            person += 1
            seen = rng.sample(range(len(statements)), rng.randint(9, len(statements)))
            for index in seen:
                opinion = STATEMENTS[index][1 + group]
                if opinion == 0 or rng.random() > LOYALTY:
                    choice = rng.choice([Choice.PASS, -opinion or Choice.DISAGREE])
                else:
                    choice = opinion
                votes.append(
                    StatementVote(
                        conversation=conversation,
                        statement=statements[index],
                        participant_key=f"demo{person}",
                        choice=int(choice),
                    )
                )
    return votes


@transaction.atomic
def load_demo_conversation(*, accounts, stdout=None) -> Conversation | None:
    action = ActionPage.objects.filter(code="5.2.1", locale_id=default_locale_id()).first()
    if (
        action is None
        or ConsultationPage.objects.filter(slug=SLUG, locale__language_code="it").exists()
    ):
        return None
    page = ConsultationPage(
        title="Il futuro metropolitano: dove siamo d'accordo?",
        slug=SLUG,
        question=(
            "<p>Quali cambiamenti del Piano Strategico Metropolitano mettono d'accordo giovani "
            "di città, pianura e montagna?</p>"
        ),
        context=(
            "<p>Una conversazione dell'azione 5.2.1: leggi le affermazioni, vota d'accordo, in "
            "disaccordo o passa, e aggiungi la tua. La mappa delle opinioni mostra i gruppi e "
            "le idee che li uniscono.</p>"
        ),
        territory_scope=TerritoryScope.ALL,
        phases=[
            Phase(
                kind=PhaseKind.CONVERSATION, starts_at=_day(-7), ends_at=_day(21, 23), sort_order=0
            ),
            Phase(
                kind=PhaseKind.RESULTS, starts_at=_day(21, 23), ends_at=_day(90, 23), sort_order=1
            ),
        ],
    )
    action.add_child(instance=page)
    page.save_revision().publish()
    facilitator = accounts.get("facilitator")
    if facilitator is not None:
        facilitation_grant(page=page, user=facilitator)
    conversation = Conversation.objects.create(
        consultation=page,
        question="Cosa deve cambiare perché il territorio metropolitano sia anche dei giovani?",
        description="Un'affermazione alla volta: bastano pochi minuti.",
        created_by=facilitator,
        seed=2026,
    )
    statements = Statement.objects.bulk_create(
        Statement(
            conversation=conversation,
            text=text,
            is_seed=True,
            status=StatementStatus.PUBLISHED,
            author=facilitator,
        )
        for text, *_opinions in STATEMENTS
    )
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data
    StatementVote.objects.bulk_create(_votes(conversation, statements, rng))
    snapshot = snapshot_compute(conversation)
    if stdout is not None:
        stdout.write(
            f"Conversazione dimostrativa: {snapshot.participants_count} partecipanti, "
            f"{snapshot.groups_count} gruppi di opinione"
        )
    return conversation
