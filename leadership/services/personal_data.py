"""A person's leadership data: exported on request, anonymised when the account is deleted."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from leadership.models import Application, ApplicationDocument, Attendance, Certificate, Review


def personal_data_export(user: User) -> dict:
    return {
        "applications": [
            {
                "call": a.call.title,
                "status": a.status,
                "protocol": a.protocol,
                "category": a.category,
                "answers": a.answers,
                "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                "documents": [d.original_name for d in a.documents.all()],
                "history": [
                    {"from": t.from_status, "to": t.to_status, "at": t.created_at.isoformat()}
                    for t in a.transitions.all()
                ],
            }
            for a in Application.objects.filter(applicant=user).select_related("call")
        ],
        "reviews_written": Review.objects.filter(reviewer=user).count(),
        "attendances": [
            {"session": a.session.title, "present": a.present}
            for a in Attendance.objects.filter(participant=user).select_related("session")
        ],
        "certificates": [c.code for c in Certificate.objects.filter(application__applicant=user)],
    }


@transaction.atomic
def personal_data_anonymise(user: User) -> None:
    for document in ApplicationDocument.objects.filter(application__applicant=user):
        document.file.delete(save=False)
        document.delete()
    Application.objects.filter(applicant=user).update(answers={}, gender="", comune=None)
    Review.objects.filter(reviewer=user).update(comment="")
    Certificate.objects.filter(application__applicant=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), holder_name=""
    )
