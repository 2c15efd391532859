"""Permissions of contests (autodiscovered by django-rules)."""

import rules

from contests.predicates import (
    is_assigned_juror,
    is_contact,
    is_juror_of,
    is_member,
    manages_contest,
)

rules.add_perm("contests.manage", manages_contest)
rules.add_perm("contests.judge", is_juror_of)
rules.add_perm("contests.score", is_assigned_juror)
rules.add_perm("contests.edit_entry", is_member)
rules.add_perm("contests.submit_entry", is_contact)
