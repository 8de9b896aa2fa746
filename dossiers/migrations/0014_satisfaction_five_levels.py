"""Satisfaction on five levels (rất hài lòng, hài lòng, bình thường, không hài lòng, rất không hài lòng).

The three old levels keep their meaning on the new scale:
    very_satisfied (Rất hài lòng)   -> very_satisfied (Rất hài lòng)
    satisfied (Hài lòng)            -> satisfied (Hài lòng)
    not_satisfied (Không hài lòng)  -> dissatisfied (Không hài lòng)
No old rating becomes neutral or very dissatisfied, and the satisfied count (the top two levels) of the 766
indicator and of the monthly rollups is unchanged. Going back, neutral and very dissatisfied become
not_satisfied, so that count stays unchanged too. The rating events of the audit log are append-only and
keep the value as it was given.
"""

from django.db import migrations, models

FORWARD = {"not_satisfied": "dissatisfied"}
BACKWARD = {"dissatisfied": "not_satisfied", "very_dissatisfied": "not_satisfied", "neutral": "not_satisfied"}


def _remap(mapping):
    def run(apps, schema_editor):
        Dossier = apps.get_model("dossiers", "Dossier")
        for old, new in mapping.items():
            Dossier.objects.filter(satisfaction=old).update(satisfaction=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0013_e_result_lease"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossier",
            name="satisfaction",
            field=models.CharField(
                blank=True,
                choices=[
                    ("very_satisfied", "Rất hài lòng"),
                    ("satisfied", "Hài lòng"),
                    ("neutral", "Bình thường"),
                    ("dissatisfied", "Không hài lòng"),
                    ("very_dissatisfied", "Rất không hài lòng"),
                ],
                default="",
                max_length=20,
            ),
        ),
        migrations.RunPython(_remap(FORWARD), _remap(BACKWARD), elidable=False),
    ]
