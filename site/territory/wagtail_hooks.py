from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from territory.models import Comune, ZonaOmogenea


class ComuneViewSet(ModelViewSet):
    model = Comune
    icon = "site"
    menu_label = _("Comuni")
    list_display = ["name", "istat_code", "population", "altimetric_zone", "zona_omogenea"]
    list_filter = ["altimetric_zone", "mountain_status", "zona_omogenea"]
    search_fields = ["name", "istat_code"]
    # Only the zone is editable: the rest comes from ISTAT/ANPR and load_territory.
    form_fields = ["zona_omogenea"]
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
