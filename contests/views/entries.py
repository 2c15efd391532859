"""The entrants' side: register, the workspace (draft, team, files), submit, invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.forms import DraftForm, FileForm, InviteForm, StartForm, WithdrawForm
from contests.models import Entry, EntryFile, EntryMember
from contests.predicates import is_contact, is_member
from contests.selectors import entries_of, invitations_of
from contests.services.entries import (
    entry_save_draft,
    entry_start,
    member_accept,
    member_invite,
    member_remove,
)
from contests.services.files import file_delete, file_upload
from contests.services.submission import entry_missing, entry_submit
from contests.services.withdrawal import entry_withdraw
from contests.views.common import call_service, contest_or_404, form_or_message
from core.autosave import autosave_response
from core.errors import REFUSALS, message_refusal


def _member_entry(request, pk) -> Entry:
    """The entry, for its members only: anyone else gets a 404 (not even its existence)."""
    entry = get_object_or_404(Entry.objects.select_related("contest"), pk=pk)
    if not is_member(request.user, entry):
        raise Http404
    return entry


def _back(entry: Entry):
    """Every action in the workspace returns to it."""
    return redirect("contests:entry", pk=entry.pk)


@login_required
def start(request, contest_id):
    contest = contest_or_404(contest_id)
    form = StartForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_start(
                contest=contest,
                user=request.user,
                kind=form.cleaned_data["kind"],
                organisation=form.cleaned_data["organisation"],
            )
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            return redirect("contests:entry", pk=entry.pk)
    return render(request, "contests/start.html", {"contest": contest, "form": form})


@login_required
def mine(request):
    return render(
        request,
        "contests/mine.html",
        {"entries": entries_of(request.user), "invitations": invitations_of(request.user)},
    )


@login_required
def entry(request, pk):
    entry = _member_entry(request, pk)
    if request.method == "POST":
        form = DraftForm(request.POST)
        form.is_valid()
        call_service(
            request,
            lambda: entry_save_draft(entry=entry, actor=request.user, data=form.cleaned_data),
            _("Bozza salvata."),
        )
        return _back(entry)
    form = DraftForm(
        initial={"title": entry.title, "summary": entry.summary, "video_url": entry.video_url}
    )
    return render(
        request,
        "contests/entry.html",
        {
            "entry": entry,
            "contest": entry.contest,
            "form": form,
            "invite_form": InviteForm(),
            "file_form": FileForm(),
            "members": entry.members.select_related("user"),
            "files": entry.files.all(),
            "missing": entry_missing(entry) if entry.is_draft else [],
            "is_contact": is_contact(request.user, entry),
            "withdraw_form": WithdrawForm(),
            "may_withdraw": (
                is_contact(request.user, entry)
                and not entry.is_withdrawn
                and entry.contest.accepts_entries()
            ),
        },
    )


@login_required
@require_POST
def autosave(request, pk):
    entry = _member_entry(request, pk)
    form = DraftForm(request.POST)
    form.is_valid()
    return autosave_response(
        lambda: entry_save_draft(entry=entry, actor=request.user, data=form.cleaned_data)
    )


@login_required
@require_POST
def invite(request, pk):
    entry = _member_entry(request, pk)
    form = InviteForm(request.POST)
    if form_or_message(request, form, _("Scrivi un indirizzo e-mail valido e scegli un ruolo.")):
        call_service(
            request,
            lambda: member_invite(entry=entry, actor=request.user, **form.cleaned_data),
            _("Invito registrato: la persona lo trova accedendo con quell'indirizzo e-mail."),
        )
    return _back(entry)


@login_required
@require_POST
def remove_member(request, pk, member_id):
    entry = _member_entry(request, pk)
    member = get_object_or_404(EntryMember, pk=member_id, entry=entry)
    call_service(
        request,
        lambda: member_remove(member=member, actor=request.user),
        _("Persona tolta dalla squadra."),
    )
    if member.user_id == request.user.pk and not is_member(request.user, entry):
        return redirect("contests:mine")
    return _back(entry)


@login_required
@require_POST
def upload(request, pk):
    entry = _member_entry(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form_or_message(request, form, _("Scegli un file da caricare.")):
        return _back(entry)
    item = call_service(
        request,
        lambda: file_upload(entry=entry, actor=request.user, upload=form.cleaned_data["file"]),
    )
    if item is None:
        return _back(entry)
    if item.metadata_names:
        messages.warning(
            request,
            _(
                "Attenzione: i dati nascosti del file «%(name)s» contengono un nome (%(found)s). "
                "La giuria riceve una copia senza questi dati, ma controlla che il nome non "
                "compaia anche nel contenuto del file."
            )
            % {"name": item.original_name, "found": "; ".join(item.metadata_names)},
        )
    else:
        messages.success(request, _("File caricato."))
    return _back(entry)


@login_required
@require_POST
def delete_file(request, pk, file_id):
    entry = _member_entry(request, pk)
    item = get_object_or_404(EntryFile, pk=file_id, entry=entry)
    call_service(request, lambda: file_delete(item=item, actor=request.user), _("File eliminato."))
    return _back(entry)


@login_required
def download(request, pk, file_id):
    entry = _member_entry(request, pk)
    item = get_object_or_404(EntryFile, pk=file_id, entry=entry)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"{entry.code}-{item.pk}.{item.extension}",
    )


@login_required
@require_POST
def submit(request, pk):
    entry = _member_entry(request, pk)
    call_service(
        request,
        lambda: entry_submit(entry=entry, actor=request.user),
        lambda submitted: (
            _("Progetto consegnato. Protocollo %(protocol)s: ti abbiamo inviato la ricevuta.")
            % {"protocol": submitted.protocol}
        ),
    )
    return _back(entry)


@login_required
@require_POST
def accept(request, member_id):
    member = get_object_or_404(
        EntryMember, pk=member_id, email__iexact=request.user.email, accepted_at__isnull=True
    )
    if (
        call_service(
            request,
            lambda: member_accept(member=member, user=request.user),
            _("Fai parte della squadra."),
        )
        is None
    ):
        return redirect("contests:mine")
    return redirect("contests:entry", pk=member.entry_id)


@login_required
@require_POST
def withdraw(request, pk):
    entry = _member_entry(request, pk)
    form = WithdrawForm(request.POST)
    if form_or_message(request, form, _("Conferma il ritiro spuntando la casella.")):
        call_service(
            request,
            lambda: entry_withdraw(
                entry=entry, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            _("Progetto ritirato. La giuria non lo riceverà; il protocollo resta valido."),
        )
    return _back(entry)
