"""Statistics by the Decision 766 populations: refusals at intake counted by the day of refusal (a partial
index finds them), "processed" only for results approved or denied, no "finished" counter.

The rollup rows were counted with the old definitions, so every built month is marked stale: reports count
from the dossiers until the nightly task (or `manage.py build_stats_rollups`) rebuilds them."""

from django.db import migrations, models


def mark_every_month_stale(apps, schema_editor):
    apps.get_model("dossiers", "StatsMonth").objects.update(dirty=True)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0015_result_verification_token")]

    operations = [
        migrations.RemoveField(model_name="statsrollup", name="finished"),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("status", "refused")),
                fields=["competent_agency", "finished_at"],
                name="dossier_comp_refused",
            ),
        ),
        migrations.RunPython(mark_every_month_stale, migrations.RunPython.noop),
    ]
