"""A user's saved desk filters, shown as tabs of their own."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0017_desk_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SavedFilter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, verbose_name="tên bộ lọc")),
                ("params", models.JSONField(default=dict, verbose_name="điều kiện lọc")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_filters",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "bộ lọc đã lưu",
                "verbose_name_plural": "bộ lọc đã lưu",
                "ordering": ["user", "name", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "name"), name="saved_filter_unique_name")
                ],
            },
        ),
    ]
