"""Letters of intent, export workbooks and waiting uploads move out of MEDIA_ROOT (served at guessable
/media/ paths) into the private storage under PRIVATE_ROOT, sent only by permission-checked views."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import helix.private_files


def move_private_files(apps, schema_editor):  # type: ignore[no-untyped-def]
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_ROOT)
    letters = apps.get_model("registry", "LetterOfIntent")
    for name in letters.objects.exclude(document="").values_list("document", flat=True):
        old, new = media / name, private / name
        if old.is_file() and not new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(old, new)
    exports = media / "exports"
    if exports.is_dir():
        (private / "exports").mkdir(parents=True, exist_ok=True)
        for folder in exports.iterdir():
            if not (private / "exports" / folder.name).exists():
                shutil.move(folder, private / "exports" / folder.name)
        shutil.rmtree(exports, ignore_errors=True)
    # Uploads wait only for their job; one left behind under MEDIA_ROOT holds personal data: it goes.
    shutil.rmtree(media / "imports", ignore_errors=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_search_trigram_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="letterofintent",
            name="document",
            field=models.FileField(
                blank=True,
                storage=helix.private_files.PrivateStorage(),
                upload_to="letters-of-intent/%Y/",
                verbose_name="document",
            ),
        ),
        migrations.RunPython(move_private_files, migrations.RunPython.noop, elidable=True),
    ]
