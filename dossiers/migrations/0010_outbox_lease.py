"""The outbox is claimed under a lease (claimed_until) instead of row locks held while sending.

The claim's index replaces the pending-by-next-attempt one: same rows, and the claim's whole order (due time,
then id) so that a backlog is read in index order up to the batch, never sorted."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0009_dossier_code_length")]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="đang gửi đến"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["next_attempt_at", "id"],
                name="outbox_claimable",
            ),
        ),
        migrations.RemoveIndex(model_name="outboxmessage", name="outbox_pending_next"),
    ]
