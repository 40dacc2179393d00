"""Database triggers for the rules that span tables, which a CHECK constraint cannot express.

A judgement's standard must be one of its inspection's framework, and its rating a grade of that framework's
scale; likewise a key-question score's question, and an inspection's overall rating. Model validation says so
politely in forms and loads; these triggers make the database refuse it from anywhere (a shell, a script, a
future importer). Written for both databases the project runs on.
"""

from django.db import migrations

# (table, trigger name, condition under which the row is refused, message)
CHECKS = [
    (
        "ratings_judgement",
        "judgement_within_framework",
        """NOT EXISTS (
            SELECT 1 FROM inspections_inspection i JOIN ratings_standard s ON s.framework_id = i.framework_id
            WHERE i.id = NEW.inspection_id AND s.id = NEW.standard_id)
        OR (NEW.rating_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM inspections_inspection i
            JOIN ratings_framework f ON f.id = i.framework_id
            JOIN ratings_grade g ON g.scale_id = f.rating_scale_id
            WHERE i.id = NEW.inspection_id AND g.id = NEW.rating_id))""",
        "a judgement's standard and rating must come from its inspection's framework and rating scale",
    ),
    (
        "ratings_keyquestionscore",
        "key_question_score_within_framework",
        """NOT EXISTS (
            SELECT 1 FROM inspections_inspection i
            JOIN ratings_standard s ON s.framework_id = i.framework_id
            JOIN ratings_keyquestion q ON q.standard_id = s.id
            WHERE i.id = NEW.inspection_id AND q.id = NEW.key_question_id)""",
        "a key-question score's question must come from its inspection's framework",
    ),
    (
        "inspections_inspection",
        "inspection_rating_within_framework",
        """(NEW.overall_rating_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM ratings_framework f JOIN ratings_grade g ON g.scale_id = f.rating_scale_id
            WHERE f.id = NEW.framework_id AND g.id = NEW.overall_rating_id))
        OR EXISTS (
            SELECT 1 FROM ratings_judgement j JOIN ratings_standard s ON s.id = j.standard_id
            WHERE j.inspection_id = NEW.id AND s.framework_id <> NEW.framework_id)""",
        "an inspection's overall rating must be a grade of its framework's scale, and its judgements "
        "must stay within its framework",
    ),
]


def create_triggers(apps, schema_editor):
    for table, name, condition, message in CHECKS:
        for statement in trigger_sql(schema_editor.connection.vendor, table, name, condition, message):
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, name, _, _ in CHECKS:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            for event in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")


def trigger_sql(vendor: str, table: str, name: str, condition: str, message: str) -> list[str]:
    quoted = message.replace("'", "''")
    if vendor == "postgresql":
        return [
            f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION '{quoted}' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END $$""",
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    if vendor == "sqlite":
        return [
            f"""CREATE TRIGGER {name}_{event} BEFORE {event.upper()} ON {table}
            FOR EACH ROW WHEN {condition}
            BEGIN SELECT RAISE(ABORT, '{quoted}'); END"""
            for event in ("insert", "update")
        ]
    raise NotImplementedError(f"no cross-table checks written for {vendor}")


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0001_initial"),
        ("inspections", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
