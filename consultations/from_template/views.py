"""Create a consultation from a template (Wagtail admin). Thin: the service checks the
permission again, validates and writes everything in one transaction."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from consultations.from_template.forms import FromTemplateForm
from consultations.models import ConsultationTemplate, TemplatePhase
from consultations.rules import create_error
from consultations.services import consultation_from_template
from core.errors import refusal_message


@require_http_methods(["GET", "POST"])
def create(request, parent_pk):
    parent = Page.objects.filter(pk=parent_pk).first()
    if parent is None:
        raise Http404
    parent = parent.specific
    if error := create_error(request.user, parent):
        raise PermissionDenied(error)
    templates = ConsultationTemplate.objects.in_use().prefetch_related(
        Prefetch("phases", queryset=TemplatePhase.objects.order_by("sort_order", "pk"))
    )
    form = FromTemplateForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page = consultation_from_template(
                template=data["template"],
                parent=parent,
                title=data["title"],
                start=data["start"],
                question=data["question"],
                budget=data["budget"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, refusal_message(error))
        else:
            messages.success(
                request,
                _("Bozza «%(title)s» creata dal modello «%(template)s»: controllala e pubblicala.")
                % {"title": page.title, "template": data["template"].name},
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
    return render(
        request,
        "consultations/from_template/create.html",
        {
            "form": form,
            "parent": parent,
            "header_title": _("Nuova consultazione da un modello"),
        },
    )
