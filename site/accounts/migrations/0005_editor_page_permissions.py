"""The Editor role works on the whole page tree: Wagtail page permissions on the root page
(so on every page of every site), without superuser rights. Facilitators get theirs per
subtree (``consultations.services.facilitation_grant``)."""

from django.db import migrations

# Codename and name, as Django's post_migrate would create them (not yet on a new database).
EDITOR_PAGE_PERMISSIONS = (
    ("add_page", "Can add page"),
    ("change_page", "Can change page"),
    ("publish_page", "Publish any page"),
    ("bulk_delete_page", "Delete pages with children"),
    ("lock_page", "Lock/unlock pages you've locked"),
    ("unlock_page", "Unlock any page"),
)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    group, _created = Group.objects.get_or_create(name="Editor")
    page_type, _created = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for codename, name in EDITOR_PAGE_PERMISSIONS:
        permission, _created = Permission.objects.get_or_create(
            content_type=page_type, codename=codename, defaults={"name": name}
        )
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(group__name="Editor", page__depth=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_person_names_refuse_invisible_characters"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
