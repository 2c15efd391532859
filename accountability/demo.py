"""Demo implementation records under several Axis 5 actions, linked to the demo proposals that
led to them (``AccountabilityConfig.load_demo_data`` runs it after the proposals' demo).

Records are published through Wagtail's own publish action, as an editor would: the timeline
rows and the notifications to the proposals' authors come from the real service. Idempotent:
a record whose title exists is left alone.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from accountability.models import ImplementationRecord, RecordStatus, RecordUpdate
from proposals.models import Proposal
from psm.localisation import default_locale_id
from psm.models import ActionPage
from territory.models import Comune

SCHOOLS = "Referenti del Piano nelle scuole superiori"
USSEAUX = "Biblioteca serale e coworking nell'ex scuola di Usseaux"
PRIORITIES = "Voto annuale delle priorità dell'Asse 5"
PATHWAY = "Primo percorso di leadership civica"


def _demo_photo(title: str):
    """A plain illustrative picture (no people), generated: the demo ships no photographs."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    canvas = PILImage.new("RGB", (800, 450), (0, 102, 204))
    draw = ImageDraw.Draw(canvas)
    for step in range(0, 800, 40):
        draw.rectangle([step, 300 - step // 4, step + 30, 450], fill=(255, 255, 255))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return image_model.objects.create(
        title=title, file=ImageFile(buffer, name="intervento-dimostrativo.png")
    )


def _proposals(*titles: str) -> list[Proposal]:
    return list(Proposal.objects.filter(title__in=titles))


def _publish(record: ImplementationRecord, user) -> None:
    record.save_revision(user=user, log_action=True).publish(user=user)


def _create(*, user, action, proposals, comuni=(), **fields) -> ImplementationRecord:
    record = ImplementationRecord(action=action, **fields)
    record.save()
    record.proposals.set(proposals)
    record.comuni.set(comuni)
    record.save()
    _publish(record, user)
    return ImplementationRecord.objects.get(pk=record.pk)


def _advance(record, user, *, status, progress, note, updates=()) -> None:
    record.status = status
    record.progress = progress
    record.status_note = note
    for update in updates:
        record.updates.add(RecordUpdate(**update))
    record.save()
    _publish(record, user)


@transaction.atomic
def load_demo_records(*, accounts, stdout=None) -> None:
    editor = accounts.get("editor") or accounts.get("admin")
    italian = ActionPage.objects.filter(code__startswith="5.", locale_id=default_locale_id())
    actions = {page.code: page for page in italian}
    if not actions or ImplementationRecord.objects.filter(title=SCHOOLS).exists():
        return
    today = timezone.localdate()
    made = 0
    if "5.2.1" in actions:
        schools = _create(
            user=editor,
            action=actions["5.2.1"],
            proposals=_proposals("Uno sportello PSM in ogni scuola superiore"),
            title=SCHOOLS,
            description="In ogni istituto superiore della Città metropolitana una persona di "
            "riferimento spiega il Piano e raccoglie le idee di studenti e studentesse due "
            "volte l'anno.",
            start_date=today - datetime.timedelta(days=120),
            end_date=today + datetime.timedelta(days=240),
            budget=Decimal("48000.00"),
            office="Direzione Istruzione e Sviluppo sociale",
            status_note="Accolta la proposta: l'intervento entra nel programma dell'azione.",
        )
        photo = _demo_photo("Incontro di presentazione del Piano in un istituto superiore")
        _advance(
            schools,
            editor,
            status=RecordStatus.IN_PROGRESS,
            progress=40,
            note="Nominate le prime 32 persone di riferimento; la formazione è cominciata.",
            updates=[
                {
                    "date": today - datetime.timedelta(days=60),
                    "title": "Formazione delle persone di riferimento",
                    "text": "Tre mattine di formazione a Torino, Pinerolo e Ivrea.",
                    "photos": [
                        {
                            "type": "photo",
                            "value": {
                                "image": photo.pk,
                                "alt_text": "Schema grafico degli istituti coinvolti, "
                                "in bianco su sfondo blu",
                                "decorative": False,
                            },
                        }
                    ],
                },
                {
                    "date": today - datetime.timedelta(days=10),
                    "title": "Prima raccolta di idee nelle scuole",
                    "text": "Raccolte 214 idee in 18 istituti: le trovate nella consultazione "
                    "sul Piano.",
                },
            ],
        )
        amendments = list(Proposal.objects.filter(kind="amendment", amended_action__isnull=False))
        _create(
            user=editor,
            action=actions["5.2.1"],
            proposals=amendments[:1],
            title=PRIORITIES,
            description="Ogni anno chi ha tra 14 e 35 anni vota le priorità dell'Asse 5, come "
            "proposto nell'emendamento al testo dell'azione.",
            start_date=today + datetime.timedelta(days=90),
            office="Ufficio Piano Strategico",
            status_note="In programma per il prossimo anno scolastico.",
        )
        made += 2
    if "5.3.5" in actions:
        usseaux = Comune.objects.filter(name="Usseaux")
        library = _create(
            user=editor,
            action=actions["5.3.5"],
            proposals=_proposals(
                "Biblioteca e aula studio aperta la sera", "Spazio di coworking con fibra"
            ),
            comuni=usseaux,
            title=USSEAUX,
            description="Le due proposte vincitrici del bilancio partecipativo sull'ex scuola "
            "di Usseaux, realizzate insieme: aula studio aperta fino alle 23 e sei postazioni "
            "di coworking con fibra.",
            start_date=today - datetime.timedelta(days=300),
            end_date=today - datetime.timedelta(days=20),
            budget=Decimal("75000.00"),
            office="Direzione Territorio e Montagna",
            status_note="Finanziato con il bilancio partecipativo.",
        )
        _advance(
            library,
            editor,
            status=RecordStatus.IN_PROGRESS,
            progress=60,
            note="Lavori cominciati: impianti e arredi.",
        )
        _advance(
            library,
            editor,
            status=RecordStatus.COMPLETED,
            progress=100,
            note="Inaugurato: aperto dal lunedì al sabato, dalle 15 alle 23.",
            updates=[
                {
                    "date": today - datetime.timedelta(days=20),
                    "title": "Inaugurazione",
                    "text": "Lo spazio è aperto: la gestione è affidata a un'associazione "
                    "giovanile della Val Chisone.",
                }
            ],
        )
        made += 1
    if "5.2.2" in actions:
        _create(
            user=editor,
            action=actions["5.2.2"],
            proposals=[],
            title=PATHWAY,
            description="La prima edizione del percorso di leadership civica: selezione "
            "pubblica, poi incontri nelle istituzioni e nelle imprese del territorio.",
            start_date=today - datetime.timedelta(days=30),
            budget=Decimal("30000.00"),
            office="Ufficio Piano Strategico",
            status=RecordStatus.IN_PROGRESS,
            progress=20,
            status_note="Bando pubblicato, selezione in corso.",
        )
        made += 1
    if stdout is not None:
        stdout.write(f"Interventi dimostrativi pubblicati: {made}\n")
