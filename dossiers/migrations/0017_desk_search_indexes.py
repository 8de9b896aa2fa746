"""The desk search: trigram indexes over the dossier code and the applicant name folded without diacritics,
and an index on the phone number.

unaccent() is STABLE, so an expression index cannot call it; immutable_unaccent() pins the dictionary (the
`unaccent` one of the extension, in the public schema), which makes the fold fixed and indexable."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

import dossiers.models.search

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0016_stats_refusals_and_processed")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(CREATE_FUNCTION, "DROP FUNCTION IF EXISTS immutable_unaccent(text)"),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["code"], name="dossier_code_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Lower(
                        dossiers.models.search.ImmutableUnaccent(models.F("applicant_name"))
                    ),
                    name="gin_trgm_ops",
                ),
                name="dossier_name_folded_trgm",
            ),
        ),
    ]
