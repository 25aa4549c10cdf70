"""Load the NACE Rev. 2.1 classification into the Sector table."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from helix.core.registry.nace import nace_entries

    Sector = apps.get_model("registry", "Sector")
    by_code = {}
    for entry in nace_entries():
        sector, _ = Sector.objects.get_or_create(
            code=entry.code,
            defaults={"level": entry.level, "label": entry.label, "parent": by_code.get(entry.parent or "")},
        )
        by_code[entry.code] = sector


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
