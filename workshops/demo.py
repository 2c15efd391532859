"""Demo data of the live workshops for ``make run``."""

from django.db import transaction
from django.utils import timezone

from consultations.models import ConsultationPage
from psm.localisation import default_locale_id
from psm.models import ActionPage
from territory.models import Comune
from workshops.models import Activity, Admission, Answer, LiveSession
from workshops.services import new_join_code, new_projector_token

#: The demo workshop held in Pinerolo (other demo modules find it by this title).
DEMO_TITLE = "Demo: laboratorio a Pinerolo"


def live_demo_load(*, accounts, stdout) -> None:
    """A workshop for ``make run``: one open session with four activities (idempotent; a new
    one once the previous demo session has ended or expired, LIVE_SESSION_MAX_HOURS)."""
    facilitator = accounts.get("facilitator")
    if (
        facilitator is None
        or LiveSession.objects.running().filter(title__startswith="Demo:").exists()
    ):
        return
    page = (
        ConsultationPage.objects.live().in_source_language().first()
        or ActionPage.objects.live().filter(locale_id=default_locale_id()).first()
    )
    if page is None:
        return
    with transaction.atomic():
        session = LiveSession.objects.create(
            page=page,
            facilitator=facilitator,
            title=DEMO_TITLE,
            comune=Comune.objects.filter(name="Pinerolo").first(),
            code=new_join_code(),
            projector_token=new_projector_token(),
        )
        specs = [
            (
                Activity.Kind.SINGLE_CHOICE,
                "Quale spazio vorreste rigenerare per primo?",
                ["La stazione dismessa", "Il cortile della scuola", "L'ex mercato coperto"],
            ),
            (Activity.Kind.SCALE_1_5, "Quanto vi sentite ascoltate e ascoltati dal Comune?", []),
            (Activity.Kind.IDEAS, "Un'idea per lo spazio scelto", []),
            (
                Activity.Kind.RANKING,
                "Mettete in ordine le priorità",
                ["Trasporti serali", "Spazi per studiare", "Sport all'aperto"],
            ),
        ]
        # The phones let in so far (anonymous devices): the territorial statistics count them.
        Admission.objects.bulk_create(
            Admission(session=session, participant_key=f"demo-{i}") for i in range(18)
        )
        for order, (kind, prompt, options) in enumerate(specs, start=1):
            activity = Activity.objects.create(
                session=session, order=order, kind=kind, prompt=prompt, options=options
            )
            if order == 1:
                activity.state = Activity.State.OPEN
                activity.opened_at = timezone.now()
                activity.save(update_fields=["state", "opened_at"])
                session.current_activity = activity
                session.save(update_fields=["current_activity"])
                for index, key in enumerate(["participant", "participant2", "participant3"]):
                    user = accounts.get(key)
                    if user is not None:
                        Answer.objects.create(
                            activity=activity,
                            participant_key=f"u{user.pk}",
                            user=user,
                            value=index % 3,
                        )
    stdout.write(
        f"Laboratorio dal vivo demo: codice {session.code} (/laboratori/{session.code}/), "
        f"schermo /laboratori/schermo/{session.projector_token}/\n"
    )
