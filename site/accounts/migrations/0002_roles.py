from django.db import migrations

ROLES = ["Editor", "Facilitator", "Reviewer", "Programme coordinator"]
# Roles that work in the Wagtail admin. Page permissions are granted per subtree by
# administrators (a facilitator gets the pages of their own consultations only).
ADMIN_ROLES = ["Editor", "Facilitator", "Programme coordinator"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_ct, codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name in ADMIN_ROLES:
            group.permissions.add(access_admin)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
