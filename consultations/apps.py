from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultazioni")

    def ready(self):
        # psm must not import consultations, so the action page learns here that a
        # consultation may live under it (psm.ActionPage declares no subpages of its own).
        from psm.models import ActionPage

        ActionPage.subpage_types = ["consultations.ConsultationPage"]

    def export_personal_data(self, user) -> dict:
        from consultations.models import Follow, ParticipantBlock, Participation

        return {
            "participations": [
                {
                    "consultation": p.consultation_id,
                    "age_band": p.age_band,
                    "gender": p.gender,
                    "comune": p.comune_id,
                    "altimetric_zone": p.altimetric_zone,
                    "first_at": p.first_at.isoformat(),
                }
                for p in Participation.objects.filter(user=user).order_by("pk")
            ],
            "follows": [
                {"consultation": f.consultation_id, "since": f.created_at.isoformat()}
                for f in Follow.objects.filter(user=user).order_by("pk")
            ],
            "blocks": [
                {
                    "consultation": b.consultation_id,
                    "reason": b.reason,
                    "since": b.created_at.isoformat(),
                    "lifted_at": b.lifted_at.isoformat() if b.lifted_at else None,
                }
                for b in ParticipantBlock.objects.filter(user=user).order_by("pk")
            ],
        }

    def anonymise_personal_data(self, user) -> None:
        """Follows go; participation snapshots stay (they are the anonymous statistics)."""
        from consultations.models import Follow

        Follow.objects.filter(user=user).delete()

    def load_demo_data(self, *, accounts, stdout) -> None:
        from consultations.demo import load_demo_consultations
        from consultations.services import facilitation_grant

        pages = load_demo_consultations(stdout=stdout)
        facilitator = accounts.get("facilitator")
        if facilitator is not None:
            for page in pages.values():
                facilitation_grant(page=page, user=facilitator)

    def profile_activity(self, user) -> list[tuple]:
        return [(_("Consultazioni che segui"), user.consultation_follows.count(), "")]
