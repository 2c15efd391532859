"""Who may open the staff area: anybody with a platform role (or a superuser)."""

import rules

from accounts.models import Role


@rules.predicate
def has_staff_role(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(role.value in user.role_names() for role in Role)


rules.add_perm("staffhome.open", has_staff_role)
