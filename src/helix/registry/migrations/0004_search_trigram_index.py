"""On PostgreSQL, index the directory's search text with trigrams (pg_trgm), so that the substring
search (`search_text LIKE '%warmte%'`, which also finds "restwarmte") uses an index instead of a scan.

Creating the extension needs the right to do so; without it the index is skipped with a warning and
search still works, by scanning. SQLite is left as it is.
"""

import logging

from django.db import DatabaseError, migrations

logger = logging.getLogger(__name__)

INDEX = "registry_organisation_search_trgm"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            logger.warning("pg_trgm is not available: directory search will scan instead of using an index")
            return
        try:
            cursor.execute("SAVEPOINT helix_trgm")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("RELEASE SAVEPOINT helix_trgm")
        except DatabaseError:  # lacking the privilege is not an error of the migration
            cursor.execute("ROLLBACK TO SAVEPOINT helix_trgm")
            logger.warning("could not create pg_trgm: directory search will scan instead of using an index")
            return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_organisation "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_engagement_labels")]
    operations = [migrations.RunPython(create, drop)]
