from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from territory.models import Comune, ZonaOmogenea


class ReferenceDataPolicy(ModelPermissionPolicy):
    """Comuni and zones come from ISTAT (``load_territory``): nobody adds them in the admin.
    The forms hold only the editable fields, so a new row could not be saved anyway (it
    failed with a server error on the missing ISTAT columns)."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


for _model in (Comune, ZonaOmogenea):
    register_permission_policy(_model, ReferenceDataPolicy(_model))


class ComuneViewSet(ModelViewSet):
    model = Comune
    icon = "site"
    menu_label = _("Comuni")
    list_display = ["name", "istat_code", "population", "altimetric_zone", "zona_omogenea"]
    list_filter = ["altimetric_zone", "mountain_status", "zona_omogenea"]
    search_fields = ["name", "istat_code"]
    # Only the zone (and where it is written) is editable: the rest comes from ISTAT/ANPR.
    form_fields = ["zona_omogenea", "zona_omogenea_source"]
    add_to_admin_menu = False
    inspect_view_enabled = True


class ZonaOmogeneaViewSet(ModelViewSet):
    model = ZonaOmogenea
    icon = "group"
    menu_label = _("Zone omogenee")
    list_display = ["number", "name", "number_verified"]
    form_fields = ["name"]
    add_to_admin_menu = False


class TerritoryGroup(ModelViewSetGroup):
    menu_label = _("Territorio")
    menu_icon = "site"
    items = (ComuneViewSet, ZonaOmogeneaViewSet)


@hooks.register("register_admin_viewset")
def register_territory_viewsets():
    return TerritoryGroup()
