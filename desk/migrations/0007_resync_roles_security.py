from importlib import import_module

from django.db import migrations

# Fact-checkers lose the admin's claim and source changes; editors may edit
# sources' role titles; editors, fact-checkers and publishers read and handle
# readers' error reports (desk/roles.py, the README's Roles tables).
resync_roles = import_module("desk.migrations.0002_roles").create_roles


class Migration(migrations.Migration):

    dependencies = [
        ("desk", "0006_editorial_comments"),
    ]

    operations = [
        migrations.RunPython(resync_roles, migrations.RunPython.noop),
    ]
