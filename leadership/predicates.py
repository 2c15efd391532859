"""django-rules predicates for the leadership programme."""

import rules

from accounts.models import Role


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.COORDINATOR))


@rules.predicate
def is_reviewer(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.REVIEWER))


@rules.predicate
def is_applicant(user, application) -> bool:
    return bool(user and user.is_authenticated and application.applicant_id == user.pk)


@rules.predicate
def reviews_with_documents(user, application) -> bool:
    """An assigned reviewer who still has the role, when the call lets reviewers open documents that name the person."""
    if not is_reviewer(user) or not application.call.documents_reveal_identity:
        return False
    return application.reviews.filter(reviewer=user).exists()
