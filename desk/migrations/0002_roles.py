from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from desk.roles import sync_roles


APPS_WITH_ROLES = ("articles", "factcheck", "audit", "desk")


def create_roles(apps, schema_editor, app_labels=APPS_WITH_ROLES):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_label in app_labels:
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    sync_roles(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), app_labels
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("factcheck", "0001_initial"),
        ("desk", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
