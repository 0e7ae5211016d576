from importlib import import_module

from django.db import migrations

# Reporters and editors use the picture library (desk/roles.py, the README's
# Roles tables); its permissions exist only once the pictures app is migrated.
roles = import_module("desk.migrations.0002_roles")


def create_roles(apps, schema_editor):
    roles.create_roles(apps, schema_editor, (*roles.APPS_WITH_ROLES, "pictures"))


class Migration(migrations.Migration):

    dependencies = [
        ("desk", "0008_error_report_handling"),
        ("pictures", "0001_media_library"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
