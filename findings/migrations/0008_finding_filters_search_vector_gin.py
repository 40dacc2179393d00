"""PostgreSQL only: one GIN index over every column the findings search filters on and the search vector, in place
of 0005's over the kind and the vector.

Words with a standard or a rating (``?q=risk&standard=2.1``) read every finding matching the words from 0005's
index (665,000 for "risk" at national scale), every finding of the standard from a btree (166,000), intersected the
two bitmaps (lossy) and rechecked thousands of rows: 110 to 140 ms. GIN handles any subset of its columns alike
(btree_gin gives it the btree types), so with the standard, the rating and the domain in the same index the index
alone finds the 31,000 rows of both, and a search with only words or only a kind is answered as before. The filters
must compare with bigints, the columns' type (``findings.selectors``): btree_gin has no operator between a bigint
and an integer before PostgreSQL 18.

Built concurrently (outside a transaction), so that reads and writes of the findings go on while it is built (about
a minute for 3.6 million findings); a build that was interrupted leaves an invalid index, which is dropped and
built again. Other databases search with LIKE: nothing is done there.
"""

from django.db import migrations

INDEX = "finding_filters_search_vector_gin"
OLD_INDEX = "finding_kind_search_vector_gin"
COLUMNS = {
    INDEX: "kind, standard_id, filed_rating_id, domain_id, search_vector",
    OLD_INDEX: "kind, search_vector",
}


def _build(schema_editor, *, build: str, drop: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s",
            [build],
        )
        row = cursor.fetchone()
    if row is not None and row[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {build}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {build} ON findings_finding USING gin ({COLUMNS[build]})"
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {drop}")


def create_index(apps, schema_editor):
    _build(schema_editor, build=INDEX, drop=OLD_INDEX)


def drop_index(apps, schema_editor):
    _build(schema_editor, build=OLD_INDEX, drop=INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("findings", "0007_finding_filed_rating")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
