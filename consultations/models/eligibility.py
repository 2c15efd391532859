"""Who may take part in a consultation (age, territory, blocks) and its rules in words, over the
page's own settings (mixed into ``ConsultationPage``)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.choices import TerritoryScope, Verb, VoteMode
from consultations.models.participation import ParticipantBlock
from territory.models import AltimetricZone

#: The verbs a consultation's verification requirements apply to: supports, budget ballots
#: and the agree/disagree of conversations.
VOTING_VERBS = frozenset({Verb.VOTE, Verb.CONVERSE})


class Eligibility:
    def verification_error(self, user) -> str | None:
        """What the consultation asks of voters beyond age and territory: an identity verified
        with SPID or CIE, and/or a residence confirmed by an official."""
        if self.requires_verified_identity and not user.identity_verified:
            return _(
                "Per votare in questa consultazione serve l'identità verificata: entra con "
                "SPID o CIE (anche dal tuo profilo, per collegarli all'account)."
            )
        if self.requires_confirmed_residence and not user.residence_confirmed:
            return _(
                "Per votare in questa consultazione serve la residenza confermata: mostra un "
                "documento a chi facilita, in un laboratorio o allo sportello."
            )
        return None

    def territory_error(self, user) -> str | None:
        if self.territory_scope == TerritoryScope.ALL:
            return None
        if user.lives_outside_area or user.comune_id is None:
            return _(
                "Questa consultazione è rivolta solo a chi vive in alcune zone della Città "
                "metropolitana: indica il tuo comune di residenza nel profilo."
            )
        if self.territory_scope == TerritoryScope.COMUNI:
            allowed = {c.pk for c in self.eligible_comuni.all()}
            if user.comune_id not in allowed:
                names = sorted(c.name for c in self.eligible_comuni.all())
                shown = ", ".join(names[:8]) + ("…" if len(names) > 8 else "")
                return _("Questa consultazione è rivolta a chi vive a: %(comuni)s.") % {
                    "comuni": shown
                }
            return None
        zones = {int(z) for z in (self.eligible_altimetric_zones or [])}
        if user.comune.altimetric_zone not in zones:
            labels = ", ".join(
                str(AltimetricZone(z).label).lower() for z in sorted(zones) if z in AltimetricZone
            )
            return _("Questa consultazione è rivolta a chi vive in comuni di %(zones)s.") % {
                "zones": labels or _("zone non indicate")
            }
        return None

    def age_error(self, user, day: datetime.date) -> str | None:
        age = user.age_on(day) if getattr(user, "birth_date", None) else None
        range_msg = _("Questa consultazione è rivolta a chi ha tra %(min)s e %(max)s anni.") % {
            "min": self.min_age,
            "max": self.max_age,
        }
        if age is None:
            return _("%(range)s Indica la tua data di nascita nel profilo.") % {"range": range_msg}
        if not self.min_age <= age <= self.max_age:
            return range_msg
        return None

    def eligibility_error(
        self, user, now: datetime.datetime | None = None, *, verb: str = Verb.VOTE
    ) -> str | None:
        """None if ``user`` may take part, otherwise why not, in plain Italian. ``verb`` is
        what they want to do: voting (the default, the strictest) also meets the
        consultation's verification requirements (``VOTING_VERBS``)."""
        now = now or timezone.now()
        if user is None or not user.is_authenticated:
            return _("Per partecipare accedi o registrati.")
        if not user.is_active:
            return _("Il tuo account non è attivo.")
        if self.is_blocked(user):
            return _(
                "Chi modera questa consultazione ha sospeso la tua partecipazione. "
                "Puoi ancora leggere proposte e commenti."
            )
        if error := self.age_error(user, timezone.localdate(now)) or self.territory_error(user):
            return error
        if verb in VOTING_VERBS:
            return self.verification_error(user)
        return None

    def load_active_blocks(self) -> None:
        """Read the ids of everybody suspended here now, once, for a copy of this page that
        is cached under the content version (a block is a save, which replaces the version;
        a lifted one may keep applying until the copy expires): ``is_blocked`` then asks no
        query (``conversations.selectors.statement_for_vote``)."""
        self._blocked_ids = frozenset(
            ParticipantBlock.objects.filter(consultation=self, lifted_at__isnull=True).values_list(
                "user_id", flat=True
            )
        )

    def is_blocked(self, user) -> bool:
        blocked_ids = getattr(self, "_blocked_ids", None)  # see load_active_blocks
        if blocked_ids is not None:
            return user.pk in blocked_ids
        memo = getattr(self, "_blocked_memo", None)  # set while the page builds its context
        if memo is not None and user.pk in memo:
            return memo[user.pk]
        blocked = ParticipantBlock.objects.filter(
            consultation=self, user=user, lifted_at__isnull=True
        ).exists()
        if memo is not None:
            memo[user.pk] = blocked
        return blocked

    def rules_in_words(self) -> list[str]:
        lines = [
            _("Possono partecipare le persone tra %(min)s e %(max)s anni.")
            % {"min": self.min_age, "max": self.max_age}
        ]
        if self.territory_scope == TerritoryScope.ALL:
            lines.append(_("Vale per tutta la Città metropolitana, anche per chi vive fuori area."))
        elif self.territory_scope == TerritoryScope.COMUNI:
            names = sorted(c.name for c in self.eligible_comuni.all())
            lines.append(_("Vale per chi vive a: %(comuni)s.") % {"comuni": ", ".join(names)})
        else:
            labels = ", ".join(
                str(AltimetricZone(int(z)).label).lower()
                for z in sorted(self.eligible_altimetric_zones or [])
                if int(z) in AltimetricZone
            )
            lines.append(_("Vale per chi vive in comuni di %(zones)s.") % {"zones": labels})
        if self.requires_verified_identity:
            lines.append(_("Per votare serve l'identità verificata con SPID o CIE."))
        if self.requires_confirmed_residence:
            lines.append(
                _(
                    "Per votare serve la residenza confermata da chi facilita, in un laboratorio "
                    "o allo sportello: quella dichiarata nel profilo non basta."
                )
            )
        if self.vote_mode == VoteMode.SUPPORT:
            lines.append(_("Puoi sostenere tutte le proposte che vuoi, una volta ciascuna."))
        elif self.vote_mode == VoteMode.LIMITED:
            lines.append(
                _("Puoi sostenere al massimo %(n)s proposte.") % {"n": self.max_supports or 0}
            )
        else:
            lines.append(
                _(
                    "Scegli le proposte da finanziare senza superare il budget di %(budget)s €; "
                    "puoi cambiare la tua scelta finché il voto è aperto."
                )
                % {"budget": self.total_budget or 0}
            )
            lines.append(
                _(
                    "Prima del voto chi facilita fa la valutazione tecnica di ogni proposta: "
                    "sulla scheda vanno solo quelle fattibili, con il costo ufficiale. Vengono "
                    "finanziate le più votate, in ordine, finché il budget basta: una proposta "
                    "che non ci sta viene saltata e si prova con la successiva. Le proposte non "
                    "accolte o unite a un'altra non vengono finanziate."
                )
            )
        if self.premoderation:
            lines.append(_("Le proposte vengono pubblicate dopo una verifica di chi modera."))
        lines.append(
            _("Ogni proposta riceve una risposta ufficiale entro %(days)s giorni dalla fine.")
            % {"days": self.answer_deadline_days}
        )
        return lines
