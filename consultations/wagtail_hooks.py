"""Wagtail admin hooks of consultations: the page where editors and coordinators assign
facilitators, and its menu item; the consultation templates (a snippet, with revisions) and
the page that creates a consultation from one, reached from an action's "more" menu and
header in the page explorer."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet

from consultations.facilitation import urls as facilitation_urls
from consultations.from_template import urls as from_template_urls
from consultations.models import ConsultationTemplate
from consultations.page_form import ConsultationTemplateForm, FilterableCheckboxSelectMultiple
from consultations.rules import create_error


class FacilitationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("consultations.assign_facilitators")


@hooks.register("register_admin_urls")
def register_facilitation_urls():
    return [
        path("facilitazioni/", include(facilitation_urls, namespace="facilitation")),
        path(
            "consultazioni/",
            include(from_template_urls, namespace="consultation_templates"),
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_facilitation_menu_item():
    return FacilitationMenuItem(
        _("Facilitazioni"), reverse("facilitation:index"), icon_name="group", order=260
    )


class _NoCreationFromTheChooser(SnippetCreateView):
    """A template's phases are inline rows the chooser's small form cannot hold: templates are
    made in their own editor. Without this, Wagtail's chooser answers a POST to its creation
    address with an AttributeError (it has no form to build)."""

    def can_create(self):
        return False


class ConsultationTemplateChooserViewSet(SnippetChooserViewSet):
    create_view_class = _NoCreationFromTheChooser


class ConsultationTemplateViewSet(SnippetViewSet):
    model = ConsultationTemplate
    chooser_viewset_class = ConsultationTemplateChooserViewSet
    icon = "doc-empty-inverse"
    menu_label = _("Modelli di consultazione")
    menu_name = "modelli-consultazione"
    menu_order = 265
    add_to_admin_menu = True
    list_display = ["name", "in_use", "vote_mode", "sort_order"]
    list_filter = ["in_use", "vote_mode"]
    search_fields = ["name", "description"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("in_use"), FieldPanel("sort_order")]),
                    InlinePanel("phases", label=_("Fasi, una dopo l'altra"), min_num=1),
                    FieldPanel("categories"),
                ],
                heading=_("Modello"),
            ),
            ObjectList(
                [
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
                        [
                            FieldPanel("vote_mode"),
                            FieldPanel("max_supports"),
                            FieldPanel("total_budget"),
                        ],
                        heading=_("Voto"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("requires_verified_identity"),
                            FieldPanel("requires_confirmed_residence"),
                        ],
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
                ],
                heading=_("Regole"),
            ),
        ],
        base_form_class=ConsultationTemplateForm,
    )


register_snippet(ConsultationTemplateViewSet)


def _from_template_button(page, user, priority: int):
    if page.content_type.model != "actionpage" or create_error(user, page):
        return None
    url = reverse("consultation_templates:create", args=[page.pk])
    return Button(
        _("Nuova consultazione da un modello"),
        url=url,
        icon_name="doc-empty-inverse",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def from_template_listing_button(page, user, next_url=None, **kwargs):
    if button := _from_template_button(page, user, priority=9):
        yield button


@hooks.register("register_page_header_buttons")
def from_template_header_button(page, user, view_name=None, next_url=None, **kwargs):
    if button := _from_template_button(page, user, priority=16):
        yield button
