"""``{% if user|has_staff_area %}``: the header's link to the staff area. The predicate itself,
not ``perms.staffhome.open``: Django would also ask the model backend, two more queries on every
page a participant opens."""

from django import template

from staffhome.rules import has_staff_role

register = template.Library()


@register.filter
def has_staff_area(user) -> bool:
    return has_staff_role.test(user)
