"""The plan as pages: HomePage → PlanPage → AxisPage → StrategyPage → ActionPage."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from psm.blocks import BodyBlock
from psm.caching import CachedViewRestrictionsMixin
from psm.permissions import ActionPagePermissionTester


class CodedPageMixin:
    """Pages found by their plan code (``5.2.1``). The code is the same in every language
    (wagtail-localize copies it, nobody translates it) and unique within one language: the
    English action 5.2.1 is the translation of the Italian one."""

    override_translatable_fields = [SynchronizedField("code")]

    def clean(self):
        super().clean()
        same_code = (
            type(self).objects.filter(code=self.code, locale_id=self.locale_id).exclude(pk=self.pk)
        )
        if self.code and self.locale_id and same_code.exists():
            raise ValidationError({"code": _("Esiste già una pagina con questo codice.")})


class HomePage(CachedViewRestrictionsMixin, Page):
    intro = RichTextField(_("introduzione"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("contenuto"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("pagina iniziale")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the body is rendered (not on a hit of its cached fragment).
        context["plan"] = SimpleLazyObject(lambda: PlanPage.objects.live().child_of(self).first())
        return context


class PlanPage(CachedViewRestrictionsMixin, Page):
    """The Piano Strategico Metropolitano as a whole."""

    intro = RichTextField(_("introduzione"), blank=True, features=["bold", "italic", "link"])
    source_note = models.CharField(_("fonte"), max_length=255, blank=True)

    parent_page_types = ["psm.HomePage"]
    subpage_types = ["psm.AxisPage"]

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("source_note")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("piano strategico")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["axes"] = AxisPage.objects.live().child_of(self).order_by("code")
        return context


class AxisPage(CodedPageMixin, CachedViewRestrictionsMixin, Page):
    code = models.CharField(_("numero dell'asse"), max_length=4, db_index=True)
    label = models.CharField(_("etichetta"), max_length=200, blank=True)
    summary = models.TextField(_("sintesi ufficiale"), blank=True)
    name_verified = models.BooleanField(
        _("nome verificato"),
        default=True,
        help_text=_(
            "Togli la spunta se il nome dell'asse non è confermato da una fonte ufficiale."
        ),
    )
    body = StreamField(BodyBlock(), verbose_name=_("approfondimento"), blank=True)

    parent_page_types = ["psm.PlanPage"]
    subpage_types = ["psm.StrategyPage"]
    # The official summary keeps the plan's wording: the plain-language gate reads the rest.
    readability_fields = ["body"]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("label"), FieldPanel("name_verified")],
            heading=_("Identificazione"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("label"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("asse")
        verbose_name_plural = _("assi")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        strategies = list(StrategyPage.objects.live().child_of(self).order_by("code"))
        actions_by_parent_path: dict[str, list[ActionPage]] = {}
        for action in ActionPage.objects.live().descendant_of(self).order_by("code"):
            actions_by_parent_path.setdefault(action.path[: -Page.steplen], []).append(action)
        context["strategy_rows"] = [
            (strategy, actions_by_parent_path.get(strategy.path, [])) for strategy in strategies
        ]
        return context


class StrategyPage(CodedPageMixin, CachedViewRestrictionsMixin, Page):
    code = models.CharField(_("codice"), max_length=10, db_index=True)
    description = models.TextField(_("descrizione ufficiale"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("approfondimento"), blank=True)

    parent_page_types = ["psm.AxisPage"]
    subpage_types = ["psm.ActionPage"]
    readability_fields = ["body"]

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        FieldPanel("description"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("strategia")
        verbose_name_plural = _("strategie")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["actions"] = ActionPage.objects.live().child_of(self).order_by("code")
        return context


class ActionPage(CodedPageMixin, CachedViewRestrictionsMixin, Page):
    code = models.CharField(_("codice"), max_length=12, db_index=True)
    short_title = models.CharField(_("titolo breve"), max_length=120)
    official_text = models.TextField(
        _("testo ufficiale"),
        help_text=_("Il testo dell'azione come approvato nel Piano Strategico Metropolitano."),
    )
    plain_summary = models.TextField(
        _("sintesi in linguaggio semplice"),
        blank=True,
        help_text=_(
            "Che cosa vuol dire l'azione, in poche frasi brevi e con parole comuni, per chi ha "
            "14 anni o più. Il testo ufficiale resta com'è."
        ),
    )
    body = StreamField(BodyBlock(), verbose_name=_("approfondimento"), blank=True)

    parent_page_types = ["psm.StrategyPage"]
    readability_fields = ["plain_summary", "body"]
    # Consultations live under the action they concern (the consultations app declares it).
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("short_title")], heading=_("Identificazione")
        ),
        FieldPanel("official_text"),
        FieldPanel("plain_summary"),
        FieldPanel("body"),
        InlinePanel("related_actions", label=_("Azioni collegate")),
        InlinePanel("implementation_updates", label=_("Stato di attuazione")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("official_text"),
        index.SearchField("plain_summary"),
        index.SearchField("short_title"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("azione")
        verbose_name_plural = _("azioni")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Related actions are chosen once, in the source language: each shows in the language
        # of the page that lists it when it is translated.
        # Read only when the body is rendered (not on a hit of its cached fragment).
        context["related"] = SimpleLazyObject(self._related_live_actions)
        context["updates"] = self.implementation_updates.order_by("-date", "-pk")
        return context

    def _related_live_actions(self) -> list:
        related = [relation.target for relation in self.related_actions.select_related("target")]
        return [target.localized for target in related if target.live]

    def permissions_for_user(self, user):
        """Rights given on this action reach its consultations, not its own text
        (``psm.permissions``)."""
        return ActionPagePermissionTester(user, self)


class ActionRelation(Orderable):
    page = ParentalKey(ActionPage, on_delete=models.CASCADE, related_name="related_actions")
    target = models.ForeignKey(
        ActionPage,
        verbose_name=_("azione"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("target", page_type="psm.ActionPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("azione collegata")
        verbose_name_plural = _("azioni collegate")


class ImplementationUpdate(TranslatableMixin, Orderable):
    """A dated "stato di attuazione" entry: what was done, and with whose input."""

    page = ParentalKey(ActionPage, on_delete=models.CASCADE, related_name="implementation_updates")
    date = models.DateField(_("data"))
    title = models.CharField(_("titolo"), max_length=160)
    text = RichTextField(_("testo"), features=["bold", "italic", "link", "ul"])
    link = models.URLField(_("per saperne di più"), blank=True)

    panels = [FieldPanel("date"), FieldPanel("title"), FieldPanel("text"), FieldPanel("link")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("aggiornamento sullo stato di attuazione")
        verbose_name_plural = _("aggiornamenti sullo stato di attuazione")
