import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import DeleteAccountForm, ProfileForm, ResidenceConfirmationForm
from accounts.identity import may_confirm_residence, residence_confirm
from accounts.logout import clear_site_storage
from accounts.services import user_activity, user_delete, user_export_data
from core.errors import message_refusal


@login_required
@require_GET
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "activity": user_activity(user=request.user),
            "may_confirm_residence": may_confirm_residence(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm_residence(request):
    """A facilitator confirms a person's residence after seeing a document."""
    if not may_confirm_residence(request.user):
        raise PermissionDenied
    form = ResidenceConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            residence_confirm(official=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            message_refusal(request, error)
        else:
            messages.success(
                request,
                _("Residenza di %(person)s confermata a %(comune)s.")
                % {
                    "person": form.cleaned_data["person"].public_name,
                    "comune": form.cleaned_data["comune"].name,
                },
            )
            return redirect("accounts:confirm_residence")
    return render(request, "accounts/confirm_residence.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profilo aggiornato."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
@require_GET
def export_data(request):
    payload = json.dumps(
        user_export_data(user=request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    filename = f"psm-giovani-dati-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user_delete(user=request.user)
        logout(request)
        messages.success(
            request,
            _("Il tuo account è stato eliminato. I tuoi contributi restano, in forma anonima."),
        )
        return clear_site_storage(redirect("/"))
    return render(request, "accounts/delete.html", {"form": form})
