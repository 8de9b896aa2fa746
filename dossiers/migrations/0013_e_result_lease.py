"""A pending electronic result carries a lease (e_result_claimed_until) while its task is trusted to run; the
results sweep reads pending results through a partial index, so its cost follows them, not the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0012_notification_english_text")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="e_result_claimed_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("e_result_status", "pending")),
                fields=["e_result_claimed_until"],
                name="dossier_e_result_pending",
            ),
        ),
    ]
