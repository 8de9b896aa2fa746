"""Results are verified by an unguessable token printed on them, not by the sequential dossier code."""

import secrets

from django.db import migrations, models
from django.db.models import Q


def backfill_tokens(apps, schema_editor):
    # Results issued before this carry the old code link on paper; they get a token so that a reprint or a
    # download links to the new page (and upload-to-verify still checks the old prints by checksum).
    Document = apps.get_model("dossiers", "Document")
    for doc in Document.objects.filter(kind="result", verification_token="").only("pk").iterator():
        Document.objects.filter(pk=doc.pk).update(verification_token=secrets.token_urlsafe(16))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0014_satisfaction_five_levels")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="verification_token",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="mã kiểm tra"),
        ),
        migrations.RunPython(backfill_tokens, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=~Q(verification_token=""),
                fields=("verification_token",),
                name="document_verification_token",
            ),
        ),
    ]
