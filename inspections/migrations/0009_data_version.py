"""A token that changes whenever an inspection or a judgement changes, for caches of what is read from them.

The national overview aggregates every service's latest inspection and its judgements; it is kept in the cache
under this token (``inspections.data_version``), so it is computed again only after a change. Triggers set the
token on every insert, update, delete (and, on PostgreSQL, truncate) of those tables, whoever makes the change: the
admin, the loader, bulk inserts, COPY, raw SQL. The token is random rather than a counter, so a rolled-back change
can never leave a value behind that a later change would reuse. On PostgreSQL the triggers run once per statement
(a COPY of a million judgements changes it once); SQLite has only row triggers.

Not a model: the table holds one row that Django never writes, and flushing the tables between tests must not
delete it (the flush itself changes the token through the triggers).
"""

from django.db import migrations

TABLES = ["inspections_inspection", "ratings_judgement"]
CREATE_TABLE = (
    "CREATE TABLE inspections_data_version (id integer PRIMARY KEY CHECK (id = 1), token varchar(32) NOT NULL)"
)
NEW_TOKEN = {
    "postgresql": "replace(gen_random_uuid()::text, '-', '')",
    "sqlite": "lower(hex(randomblob(16)))",
}


def create_data_version(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(CREATE_TABLE)
    schema_editor.execute(f"INSERT INTO inspections_data_version (id, token) VALUES (1, {NEW_TOKEN[vendor]})")
    for statement in data_version_trigger_sql(vendor):
        schema_editor.execute(statement)


def drop_data_version(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS inspections_data_version_change()")
    schema_editor.execute("DROP TABLE IF EXISTS inspections_data_version")


def data_version_trigger_sql(vendor: str) -> list[str]:
    """The triggers, for a migration that rebuilds one of the tables on SQLite (which drops its triggers)."""
    change = f"UPDATE inspections_data_version SET token = {NEW_TOKEN[vendor]} WHERE id = 1"
    if vendor == "postgresql":
        statements = [
            f"""CREATE FUNCTION inspections_data_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {change};
                RETURN NULL;
            END $$"""
        ]
        statements += [
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION inspections_data_version_change()"
            for table in TABLES
        ]
        return statements
    return [
        f"CREATE TRIGGER {table}_data_version_{event} AFTER {event.upper()} ON {table} BEGIN {change}; END"
        for table in TABLES
        for event in ("insert", "update", "delete")
    ]


class Migration(migrations.Migration):
    dependencies = [("inspections", "0007_postgresql_indexes"), ("ratings", "0002_cross_table_checks")]

    operations = [migrations.RunPython(create_data_version, drop_data_version)]
