"""Consultations as pages: the index of all consultations and the consultation itself.

Phases declare which verbs they allow (read, submit, comment, vote, read_answers) as data
(``consultations.models.phases``); eligibility (age, territory, blocks) is a method over the
page's own fields (``consultations.models.eligibility``). Permission checks that combine them
live in ``consultations.rules``; the page's context asks them why an action is refused.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from consultations import rules as consultation_rules
from consultations import visibility
from consultations.choices import ConsultationStatus, TerritoryScope, Verb, VoteMode
from consultations.models.eligibility import Eligibility
from consultations.models.phases import Phase, PhaseSchedule
from consultations.page_form import ConsultationPageForm, FilterableCheckboxSelectMultiple
from consultations.person_facts import PersonFacts, person_facts
from psm import page_cache
from psm.caching import CachedViewRestrictionsMixin
from psm.localisation import attach_reading_versions, default_locale_id, in_source_language
from psm.models import ActionPage

RICH_FEATURES = ["bold", "italic", "link", "ul", "ol", "h3"]


class ConsultationPageQuerySet(PageQuerySet):
    def with_phases(self):
        return self.prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_at"))
        )

    def in_source_language(self):
        """One page per consultation: the Italian one, which its proposals, votes and phases
        belong to (its English translation tells the same consultation, ``psm.localisation``)."""
        return self.filter(locale_id=default_locale_id())

    def of_action(self, action):
        """Under the action page or linked to it (all of them when ``action`` is None)."""
        if action is None:
            return self
        return self.filter(
            Q(path__startswith=action.path) | Q(linked_actions__action=action)
        ).distinct()

    def moderated_by(self, user):
        """The consultations ``user`` moderates (``consultations.rules.is_facilitator_of``)."""
        if not visibility.may_moderate_some(user):
            return self.none()
        if user.is_superuser:
            return self.in_source_language()
        pks = [
            page.pk
            for page in self.in_source_language()
            if consultation_rules.is_facilitator_of(user, page)
        ]
        return self.filter(pk__in=pks)

    def visible_to(self, who, now=None):
        """The consultations this viewer may see: ``consultations.visibility``, as a query."""
        viewer = visibility.Viewer.of(who)
        now = now or timezone.now()
        shown = Q(live=True, expired=False) & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        for path in visibility.refused_paths(viewer):
            shown &= ~Q(path__startswith=path)
        moderated = ConsultationPage.objects.moderated_by(viewer.user).values("pk")
        return self.in_source_language().filter(shown | Q(pk__in=moderated))

    def by_status(self, now=None) -> dict[str, list[ConsultationPage]]:
        """The pages grouped by status: upcoming soonest first, open latest first, closed newest
        first."""
        now = now or timezone.now()
        groups: dict[str, list[ConsultationPage]] = {status: [] for status in ConsultationStatus}
        for page in self.order_by("-first_published_at", "-pk"):
            groups[page.status(now)].append(page)
        groups[ConsultationStatus.UPCOMING].sort(key=_first_start)
        groups[ConsultationStatus.OPEN].sort(key=_first_start, reverse=True)
        return groups


def _first_start(page: ConsultationPage):
    phases = page.ordered_phases()
    return phases[0].starts_at if phases else timezone.now()


class ConsultationIndexPage(CachedViewRestrictionsMixin, Page):
    """All consultations, with filters (status, action)."""

    intro = RichTextField(_("introduzione"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["psm.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("indice delle consultazioni")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request))
        return context

    def listing(self, request) -> dict:
        """The consultations listed, filtered by status and by action (code)."""
        status = request.GET.get("stato", "")
        if status not in ConsultationStatus.values:
            status = ""
        code = request.GET.get("azione", "")
        action = (
            ActionPage.objects.live().filter(code=code, locale_id=default_locale_id()).first()
            if code
            else None
        )
        published = ConsultationPage.objects.visible_to(None)
        groups = published.with_phases().of_action(action).by_status()
        attach_reading_versions(page for pages in groups.values() for page in pages)
        if status:
            listed = [(ConsultationStatus(status), groups[status])]
        else:
            listed = [
                (ConsultationStatus(s), groups[s])
                for s in (
                    ConsultationStatus.OPEN,
                    ConsultationStatus.UPCOMING,
                    ConsultationStatus.CLOSED,
                )
            ]
        action_ids = set(published.values_list("linked_actions__action", flat=True).distinct())
        paths = list(published.values_list("path", flat=True))
        actions = [
            a
            for a in ActionPage.objects.live()
            .filter(locale_id=default_locale_id())
            .order_by("code")
            if a.pk in action_ids or any(path.startswith(a.path) for path in paths)
        ]
        attach_reading_versions(actions)
        return {
            "status_filter": status,
            "action_filter": action,
            "action_code": code if action else "",
            "statuses": ConsultationStatus.choices,
            "filter_actions": actions,
            "listed_groups": listed,
        }


class ConsultationPage(CachedViewRestrictionsMixin, PhaseSchedule, Eligibility, Page):
    question = RichTextField(_("domanda"), features=["bold", "italic", "link"])
    context = RichTextField(_("contesto"), blank=True, features=RICH_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("immagine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    min_age = models.PositiveSmallIntegerField(_("età minima"), default=14)
    max_age = models.PositiveSmallIntegerField(_("età massima"), default=35)
    territory_scope = models.CharField(
        _("territorio"), max_length=10, choices=TerritoryScope.choices, default=TerritoryScope.ALL
    )
    eligible_comuni = ParentalManyToManyField(
        "territory.Comune",
        verbose_name=_("comuni ammessi"),
        blank=True,
        related_name="+",
        help_text=_("Usato solo se il territorio è «Solo alcuni comuni»."),
    )
    eligible_altimetric_zones = models.JSONField(
        _("zone altimetriche ammesse"),
        default=list,
        blank=True,
        help_text=_(
            "Codici ISTAT (1 montagna interna, 3 collina interna, 5 pianura); "
            "usato solo se il territorio è «Solo alcune zone altimetriche»."
        ),
    )
    requires_verified_identity = models.BooleanField(
        _("per votare serve l'identità verificata (SPID o CIE)"),
        default=False,
        help_text=_("Vale per i sostegni, le schede di bilancio e le conversazioni."),
    )
    requires_confirmed_residence = models.BooleanField(
        _("per votare serve la residenza confermata"),
        default=False,
        help_text=_(
            "Confermata da chi facilita, che vede un documento in un laboratorio o allo "
            "sportello: il comune dichiarato nel profilo non basta."
        ),
    )
    vote_mode = models.CharField(
        _("modalità di voto"), max_length=10, choices=VoteMode.choices, default=VoteMode.SUPPORT
    )
    max_supports = models.PositiveIntegerField(
        _("sostegni per persona"),
        null=True,
        blank=True,
        help_text=_("Solo per la modalità «Al massimo N sostegni a persona»."),
    )
    total_budget = models.DecimalField(
        _("budget totale (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Solo per la modalità «Bilancio»."),
    )
    premoderation = models.BooleanField(
        _("moderazione preventiva"),
        default=False,
        help_text=_("Le proposte vengono pubblicate solo dopo l'approvazione."),
    )
    answer_deadline_days = models.PositiveSmallIntegerField(
        _("giorni per la risposta ufficiale"), default=60
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("segnalazioni prima di avvisare chi modera"), default=3
    )

    parent_page_types = ["psm.ActionPage", "consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ConsultationPageForm

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("context"),
        FieldPanel("image"),
        InlinePanel("linked_actions", label=_("Azioni del piano collegate")),
        InlinePanel("phases", label=_("Fasi"), min_num=1),
        InlinePanel("categories", label=_("Categorie")),
    ]
    rules_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")])],
            heading=_("Età"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("territory_scope"),
                FieldPanel("eligible_comuni", widget=FilterableCheckboxSelectMultiple),
                FieldPanel("eligible_altimetric_zones"),
            ],
            heading=_("Territorio"),
        ),
        MultiFieldPanel(
            [FieldPanel("vote_mode"), FieldPanel("max_supports"), FieldPanel("total_budget")],
            heading=_("Voto"),
        ),
        MultiFieldPanel(
            [FieldPanel("requires_verified_identity"), FieldPanel("requires_confirmed_residence")],
            heading=_("Verifiche per votare"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("premoderation"),
                FieldPanel("report_threshold"),
                FieldPanel("answer_deadline_days"),
            ],
            heading=_("Moderazione e risposte"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Contenuto")),
            ObjectList(rules_panels, heading=_("Regole")),
            ObjectList(Page.promote_panels, heading=_("Promozione")),
            ObjectList(Page.settings_panels, heading=_("Impostazioni")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("question"),
        index.SearchField("context"),
    ]

    objects = PageManager.from_queryset(ConsultationPageQuerySet)()

    class Meta:
        verbose_name = _("consultazione")
        verbose_name_plural = _("consultazioni")

    def supports_left(self, used: int) -> int | None:
        """Supports a person who already gave ``used`` may still give here (None: no limit,
        outside ``limited`` mode)."""
        if self.vote_mode != VoteMode.LIMITED:
            return None
        return max((self.max_supports or 0) - used, 0)

    def amendable_actions(self) -> list:
        """Plan actions whose text people may propose to change: the parent and linked ones."""
        ids = [link.action_id for link in self.linked_actions.all()]
        parent = self.get_parent()
        if parent is not None and parent.specific_class is ActionPage:
            ids.append(parent.pk)
        return list(ActionPage.objects.filter(pk__in=ids).order_by("code"))

    def serve(self, request, *args, **kwargs):
        """Wagtail serves live pages past their view restrictions; the one rule
        (``consultations.visibility``) also hides a page whose ``expire_at`` has passed before
        the scheduler unpublishes it. Previews stay with Wagtail's own checks."""
        if not getattr(request, "is_preview", False) and not visibility.consultation_visible(
            request, self.in_source_language()
        ):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def in_source_language(self) -> ConsultationPage:
        """The Italian page this one translates (itself when Italian): proposals, votes,
        phases and follows belong to it, and its rules decide who may see it."""
        return in_source_language(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # ``page`` is what is read (in its language); ``consultation`` is where people take
        # part: the same page in Italian, or the Italian page an English one translates.
        consultation = self.in_source_language()
        context["consultation"] = consultation
        context.update(consultation.participation_context(request))
        consultation.limit_cached_copy(request, context["now"])
        return context

    def limit_cached_copy(self, request, now) -> None:
        """The page changes by itself when a phase starts or ends, or the page expires: a
        cached anonymous copy (``psm.page_cache``) must not outlive the next such moment."""
        moments = [self.expire_at] if self.expire_at else []
        for phase in self.ordered_phases():
            moments += [phase.starts_at, phase.ends_at]
        upcoming = [moment for moment in moments if moment > now]
        if upcoming:
            page_cache.expires_at(request, min(upcoming).timestamp())

    def participation_context(self, request) -> dict:
        """Everything the page shows besides the proposals (the proposals app renders those
        through its template tags: consultations never imports proposals)."""
        self.read_cached_phases()
        facts = person_facts(request=request, consultation=self)
        # The submit, vote and comment checks each ask whether the person is blocked: the
        # answer of the person's cached facts (the services ask the database again).
        self._blocked_memo = (
            {request.user.pk: facts.blocked} if request.user.is_authenticated else {}
        )
        try:
            context = self._participation_context(request, facts)
        finally:
            self._blocked_memo = None
        if request.user.is_authenticated:
            # The header's badge (notifications.context_processors), from the same entry.
            context["notifications_unread"] = facts.unread_notifications
        return context

    def read_cached_phases(self) -> None:
        """The phases, the same for everybody, from the cache under the content version (any
        write replaces it: ``psm.page_cache``) instead of a query per request (the page, and
        the vote on a conversation's statement)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "phases" in prefetched or getattr(self, "_phase_list", None) is not None:
            return
        key = f"consultations:phases:{self.pk}:{page_cache.content_version()}"
        phases = cache.get(key)
        if phases is None:
            phases = list(self.phases.all())
            cache.set(key, phases, page_cache.VERSION_TIMEOUT)
        self._phase_list = phases

    def _participation_context(self, request, facts: PersonFacts) -> dict:
        now = timezone.now()
        user = request.user
        submit_error = consultation_rules.submit_error(user, self)
        return {
            "phases": self.ordered_phases(),
            "current_phase": self.current_phase(now),
            "status": self.status(now),
            "schedule_moment": self.schedule_moment(now),
            # Called by the template only when its fragment is rendered (a territory by comuni
            # reads them).
            "rules_lines": self.rules_in_words,
            "submit_error": submit_error,
            "vote_error": consultation_rules.vote_error(user, self),
            "comment_error": consultation_rules.comment_error(user, self),
            "is_moderator": user.has_perm("consultations.moderate", self),
            "following": facts.following,
            "is_budget": self.vote_mode == VoteMode.BUDGET,
            "is_limited": self.vote_mode == VoteMode.LIMITED,
            "now": now,
            "results_open": self.allows(Verb.READ_ANSWERS, now),
            "amendable": self.has_amendable_actions(request) if submit_error is None else False,
        }

    def has_amendable_actions(self, request) -> bool:
        """Whether :meth:`amendable_actions` has any, kept like a fragment (three queries that
        are the same for everybody)."""
        key = page_cache.fragment_key(request, "consultation-amendable", self.pk)
        return page_cache.fragment_value(key, lambda: bool(self.amendable_actions()))
