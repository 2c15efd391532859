from django import template

from accounts.models import IdentityProvider
from accounts.spid.config import identity_providers, identity_sign_in_enabled, spid_menu

register = template.Library()


@register.inclusion_tag("accounts/includes/identity_buttons.html", takes_context=True)
def identity_buttons(context, next_url: str = ""):
    """The "Entra con SPID" and "Entra con CIE" buttons (nothing while identity sign-in is
    off). ``next_url``: where to go once signed in."""
    if not identity_sign_in_enabled():
        return {"enabled": False}
    return {
        "enabled": True,
        "spid_providers": spid_menu(),
        "cie_providers": identity_providers(IdentityProvider.CIE),
        "next": next_url,
        "request": context.get("request"),
    }
