"""Each finding's filed rating, stored and kept by database triggers, so that a search by rating reads an index.

A finding is filed under its standard's rating in the same inspection (none when that standard is not rated), or,
for a finding about a domain or the whole report, under the inspection's overall rating. Computed at search time,
a rare rating (Inadequate findings, say) meant testing the judgements of tens of thousands of findings, newest
first, to find the thousand a search shows: 150 to 350 ms at national scale. Stored, it is one index range.

The triggers keep it whoever writes, on both databases the project runs on: a finding inserted or updated gets it
from its judgement or inspection; a judgement inserted, updated or deleted files its findings again; an
inspection whose overall rating changes files its findings about no standard again. A value written to the
column by anyone else is replaced (PostgreSQL: before the row is stored; SQLite: just after).
"""

import django.db.models.deletion
from django.db import migrations, models

# The rating a findings_finding row ({row}: NEW in a trigger, the table itself in an UPDATE) is filed under.
FILED_RATING = """CASE WHEN {row}.standard_id IS NOT NULL
    THEN (SELECT j.rating_id FROM ratings_judgement j
          WHERE j.inspection_id = {row}.inspection_id AND j.standard_id = {row}.standard_id)
    ELSE (SELECT i.overall_rating_id FROM inspections_inspection i WHERE i.id = {row}.inspection_id) END"""
REFILE = "UPDATE findings_finding SET filed_rating_id = " + FILED_RATING.format(row="findings_finding") + " WHERE "
# The triggers on other tables, by name: the synthetic generator turns off the judgements' one while it writes new
# inspections (their findings come after their judgements, so there is nothing to file again).
JUDGEMENT_TRIGGER = "judgement_files_findings"
INSPECTION_TRIGGER = "inspection_files_findings"


def filed_rating_trigger_sql(vendor: str) -> list[str]:
    """The triggers, for a migration that rebuilds one of the tables on SQLite (which drops its triggers)."""
    by_old = "findings_finding.inspection_id = OLD.inspection_id AND findings_finding.standard_id = OLD.standard_id"
    by_new = "findings_finding.inspection_id = NEW.inspection_id AND findings_finding.standard_id = NEW.standard_id"
    about_no_standard = "findings_finding.inspection_id = NEW.id AND findings_finding.standard_id IS NULL"
    if vendor == "postgresql":
        return [
            f"""CREATE FUNCTION finding_filed_rating() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.filed_rating_id := {FILED_RATING.format(row="NEW")};
                RETURN NEW;
            END $$""",
            "CREATE TRIGGER finding_filed_rating BEFORE INSERT OR UPDATE ON findings_finding "
            "FOR EACH ROW EXECUTE FUNCTION finding_filed_rating()",
            f"""CREATE FUNCTION {JUDGEMENT_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN {REFILE}{by_old}; END IF;
                IF TG_OP <> 'DELETE' THEN {REFILE}{by_new}; END IF;
                RETURN NULL;
            END $$""",
            f"CREATE TRIGGER {JUDGEMENT_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON ratings_judgement "
            f"FOR EACH ROW EXECUTE FUNCTION {JUDGEMENT_TRIGGER}()",
            f"""CREATE FUNCTION {INSPECTION_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {REFILE}{about_no_standard};
                RETURN NULL;
            END $$""",
            f"CREATE TRIGGER {INSPECTION_TRIGGER} AFTER UPDATE ON inspections_inspection FOR EACH ROW "
            f"WHEN (OLD.overall_rating_id IS DISTINCT FROM NEW.overall_rating_id) "
            f"EXECUTE FUNCTION {INSPECTION_TRIGGER}()",
        ]
    if vendor == "sqlite":
        # Only when the stored value is wrong, so the trigger's own UPDATE does not set it off again.
        wrong = f"NEW.filed_rating_id IS NOT ({FILED_RATING.format(row='NEW')})"
        return [
            *(
                f"""CREATE TRIGGER finding_filed_rating_{event} AFTER {event.upper()} ON findings_finding
                FOR EACH ROW WHEN {wrong}
                BEGIN {REFILE}findings_finding.id = NEW.id; END"""
                for event in ("insert", "update")
            ),
            f"""CREATE TRIGGER {JUDGEMENT_TRIGGER}_insert AFTER INSERT ON ratings_judgement
            BEGIN {REFILE}{by_new}; END""",
            f"""CREATE TRIGGER {JUDGEMENT_TRIGGER}_update AFTER UPDATE ON ratings_judgement
            BEGIN {REFILE}({by_old}) OR ({by_new}); END""",
            f"""CREATE TRIGGER {JUDGEMENT_TRIGGER}_delete AFTER DELETE ON ratings_judgement
            BEGIN {REFILE}{by_old}; END""",
            f"""CREATE TRIGGER {INSPECTION_TRIGGER} AFTER UPDATE OF overall_rating_id ON inspections_inspection
            FOR EACH ROW WHEN OLD.overall_rating_id IS NOT NEW.overall_rating_id
            BEGIN {REFILE}{about_no_standard}; END""",
        ]
    raise NotImplementedError(f"no filed-rating triggers written for {vendor}")


def file_findings(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    # On PostgreSQL this writes every row again: a large database wants a VACUUM and a REINDEX of the table after
    # the migration (docs/deploying.md), which cannot run inside it.
    schema_editor.execute(f"{REFILE}1 = 1")
    for statement in filed_rating_trigger_sql(vendor):
        schema_editor.execute(statement)


def unfile_findings(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS finding_filed_rating ON findings_finding")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {JUDGEMENT_TRIGGER} ON ratings_judgement")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {INSPECTION_TRIGGER} ON inspections_inspection")
        for function in ("finding_filed_rating", JUDGEMENT_TRIGGER, INSPECTION_TRIGGER):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for name in (
            "finding_filed_rating_insert",
            "finding_filed_rating_update",
            f"{JUDGEMENT_TRIGGER}_insert",
            f"{JUDGEMENT_TRIGGER}_update",
            f"{JUDGEMENT_TRIGGER}_delete",
            INSPECTION_TRIGGER,
        ):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0006_finding_kind_newest_first"),
        ("inspections", "0009_data_version"),
        ("ratings", "0003_judgement_rating_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="filed_rating",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ratings.grade",
            ),
        ),
        migrations.AlterField(
            model_name="finding",
            name="standard",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="findings",
                to="ratings.standard",
            ),
        ),
        # Filled before the new indexes are built: building them once is cheaper than keeping them through it.
        migrations.RunPython(file_findings, unfile_findings, elidable=False),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["filed_rating", "kind", "-id"], name="finding_rating_kind_newest"),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["standard", "filed_rating", "-id"], name="finding_standard_rating_newest"),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["standard", "kind", "-id"], name="finding_standard_kind_newest"),
        ),
    ]
