"""PostgreSQL only: one GIN index over a finding's kind and its search vector, in place of 0004's over the vector.

A search with a kind (``?q=safeguarding&kind=strength``) read every finding matching the words from the vector's
index and every finding of the kind from the kind's btree, intersected the two bitmaps (lossy at national scale:
hundreds of thousands of rows each) and rechecked hundreds of thousands of rows to keep the few of both: half a
second. With both columns in one GIN index (btree_gin gives GIN the btree types) the index alone finds the rows
of both. A search without a kind uses the same index just as well (GIN handles any subset of its columns alike),
so the vector's own index goes. Other databases search with LIKE: nothing is done there.
"""

from django.db import migrations

INDEX = "finding_kind_search_vector_gin"
OLD_INDEX = "finding_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON findings_finding USING gin (kind, search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON findings_finding USING gin (search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    # The extension stays: other indexes may have come to use it.


class Migration(migrations.Migration):
    dependencies = [("findings", "0004_stored_search_vector")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
