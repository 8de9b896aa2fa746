"""A partial index of the dossiers that can be late, for the drill-down of the report's late cells.

Its predicate is dossiers.stats.report.MAYBE_LATE without the table alias; PostgreSQL uses the index only when
the query repeats the same condition."""

from django.db import migrations

PREDICATE = (
    "(supplement_count > 1 OR apology_count > 0 OR (finished_at IS NULL AND resolved_at IS NULL) "
    "OR COALESCE(finished_at, resolved_at) > legal_due_at)"
)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_stats_month_judged_on")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX dossier_comp_maybe_late ON dossiers_dossier (competent_agency_id, received_at) "
            f"WHERE {PREDICATE}",
            "DROP INDEX dossier_comp_maybe_late",
        )
    ]
