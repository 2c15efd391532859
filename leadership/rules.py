"""Permissions of the leadership programme (autodiscovered by django-rules)."""

import rules

from leadership.predicates import (
    is_applicant,
    is_coordinator,
    is_reviewer,
    reviews_with_documents,
)

rules.add_perm("leadership.coordinate", is_coordinator)
rules.add_perm("leadership.review", is_reviewer)
rules.add_perm("leadership.view_document", is_applicant | is_coordinator | reviews_with_documents)
