from django.db import migrations

# PostgreSQL only: trigram indexes, so that the services list's "service or local authority" search (a
# case-insensitive substring: UPPER(name) LIKE UPPER('%ash%')) finds the matching names from an index instead of
# reading every service and authority. pg_trgm ships with PostgreSQL (contrib); creating it needs a role that may
# create extensions (docs/deploying.md). Other databases read the names, as before.
INDEXES = {
    "service_name_trigram": ("inspections_service", "name"),
    "local_authority_name_trigram": ("inspections_localauthority", "name"),
    "inspection_service_name_trigram": ("inspections_inspection", "service_name"),
}


def create_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, (table, column) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (UPPER({column}) gin_trgm_ops)")


def drop_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_latest_row_indexes")]

    operations = [migrations.RunPython(create_name_indexes, drop_name_indexes)]
