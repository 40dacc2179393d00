"""GIN indexes for the findings search on PostgreSQL; nothing on other databases.

The indexed expression is the one ``findings.selectors.finding_matches`` filters on
(``SearchVector("text", config="english")``), so PostgreSQL can use the index. Other databases search with
LIKE and need no index: the operations do nothing there, and the migration state is unchanged either way.
"""

from django.db import migrations

INDEXES = {
    "finding_text_search": "findings_finding",
    "recommendation_text_search": "findings_recommendation",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("findings", "0002_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
