"""StatsMonth.judged_on: rows built so far are closed months, judged at their last day."""

from django.db import migrations, models

FILL = """UPDATE dossiers_statsmonth
          SET judged_on = (month + interval '1 month' - interval '1 day')::date"""


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0006_list_order_indexes")]

    operations = [
        migrations.AddField(
            model_name="statsmonth",
            name="judged_on",
            field=models.DateField(null=True, help_text="Ngày chốt số liệu hồ sơ đang giải quyết"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="statsmonth",
            name="judged_on",
            field=models.DateField(help_text="Ngày chốt số liệu hồ sơ đang giải quyết"),
        ),
    ]
