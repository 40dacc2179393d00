from django.db import migrations

# PostgreSQL only: indexes a model's Meta cannot declare for both databases. Other databases read the rows, as
# before.
#
# - Trigram indexes, so that the services list's "service or local authority" search (a case-insensitive
#   substring: UPPER(name) LIKE UPPER('%ash%')) finds the matching names from an index instead of reading every
#   service, authority and inspection. pg_trgm ships with PostgreSQL (contrib); creating it needs a role that may
#   create extensions (docs/deploying.md).
# - The inspections newest first by the date every page orders by (``inspection_date()``, nulls last, then id), so
#   that the overview's latest publications read five rows from an index instead of sorting every inspection.
#   SQLite cannot index NULLS LAST.
NEWEST_FIRST = "(COALESCE(published_on, fieldwork_end_on, fieldwork_start_on) DESC NULLS LAST, id DESC)"
INDEXES = {
    "service_name_trigram": "inspections_service USING gin (UPPER(name) gin_trgm_ops)",
    "local_authority_name_trigram": "inspections_localauthority USING gin (UPPER(name) gin_trgm_ops)",
    "inspection_service_name_trigram": "inspections_inspection USING gin (UPPER(service_name) gin_trgm_ops)",
    "inspection_by_date": f"inspections_inspection {NEWEST_FIRST}",
    "inspection_published_by_day": f"inspections_inspection {NEWEST_FIRST} WHERE status = 'published'",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_latest_row_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
