"""Records in the Wagtail admin: a snippet with drafts, revisions, locking and preview, whose
every per-record page (edit, delete, history, revisions, preview, lock, unpublish…) asks the
django-rules permission ``accountability.change_record`` first."""

from __future__ import annotations

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet

from accountability.forms import RecordAdminForm
from accountability.models import ImplementationRecord
from accountability.statement_outcome_reads import statement_links
from core.ids import parse_id


def _guarded(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if "pk" in kwargs:
            pk = parse_id(unquote(str(kwargs["pk"])))
            record = ImplementationRecord.objects.select_related("action").filter(pk=pk).first()
            if record is not None and not request.user.has_perm(
                "accountability.change_record", record
            ):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


class RecordChooserCreateView(SnippetCreateView):
    """Records are written in their own editor, with revisions, never from a chooser's quick
    form (Wagtail gives this snippet none): the chooser's "create" address answers 404."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


class RecordChooserViewSet(SnippetChooserViewSet):
    create_view_class = RecordChooserCreateView


class RecordViewSet(SnippetViewSet):
    model = ImplementationRecord
    chooser_viewset_class = RecordChooserViewSet
    icon = "tasks"
    menu_label = _("Interventi")
    menu_name = "interventi"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["title", "action", "status", "progress", "live"]
    list_filter = ["status", "action"]
    search_fields = ["title", "description"]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("action"),
                    FieldPanel("title"),
                    FieldPanel("description"),
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("status"), FieldPanel("progress")]),
                            FieldPanel("status_note"),
                        ],
                        heading=_("Stato"),
                    ),
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                    FieldRowPanel([FieldPanel("budget"), FieldPanel("office")]),
                    FieldPanel("comuni"),
                ],
                heading=_("Intervento"),
            ),
            ObjectList(
                [FieldPanel("proposals"), FieldPanel("ideas")],
                heading=_("Da dove nasce"),
            ),
            ObjectList(
                [InlinePanel("updates", label=_("Aggiornamenti"))],
                heading=_("Aggiornamenti"),
            ),
        ],
        base_form_class=RecordAdminForm,
    )

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, {"change"}
        ).select_related("action")

    def get_urlpatterns(self):
        return [
            URLPattern(
                pattern.pattern, _guarded(pattern.callback), pattern.default_args, pattern.name
            )
            if isinstance(pattern, URLPattern)
            else pattern
            for pattern in super().get_urlpatterns()
        ]


register_snippet(RecordViewSet)


@hooks.register("conversation_statement_links")
def statement_outcome_links(statement_ids, viewer):
    """Where consensus statements went, for the conversation's results page (the layers let
    conversations ask through this hook, not import accountability)."""
    return statement_links(statement_ids, viewer)
