"""Queue tickets: service areas, counters, tickets numbered per area and day, and their append-only log."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The ticket log is append-only like the dossier events: the database refuses UPDATE, DELETE and TRUNCATE.
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION dossiers_ticketevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dossiers_ticketevent is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dossiers_ticketevent_no_update_delete
    BEFORE UPDATE OR DELETE ON dossiers_ticketevent
    FOR EACH ROW EXECUTE FUNCTION dossiers_ticketevent_append_only();

CREATE TRIGGER dossiers_ticketevent_no_truncate
    BEFORE TRUNCATE ON dossiers_ticketevent
    FOR EACH STATEMENT EXECUTE FUNCTION dossiers_ticketevent_append_only();
"""
APPEND_ONLY_REVERSE = """
DROP TRIGGER IF EXISTS dossiers_ticketevent_no_truncate ON dossiers_ticketevent;
DROP TRIGGER IF EXISTS dossiers_ticketevent_no_update_delete ON dossiers_ticketevent;
DROP FUNCTION IF EXISTS dossiers_ticketevent_append_only();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_agency_code_format'),
        ('dossiers', '0021_online_drafts'),
        ('procedures', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ServiceArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='tên khu vực')),
                ('letter', models.CharField(max_length=1, validators=[django.core.validators.RegexValidator('\\A[A-Z]\\Z', 'Một chữ cái in hoa, ví dụ A.')], verbose_name='chữ cái')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('active', models.BooleanField(default=True, verbose_name='hoạt động')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_areas', to='accounts.agency', verbose_name='cơ quan')),
                ('sectors', models.ManyToManyField(blank=True, related_name='+', to='procedures.sector', verbose_name='lĩnh vực phục vụ')),
            ],
            options={
                'verbose_name': 'khu vực phục vụ',
                'verbose_name_plural': 'khu vực phục vụ',
                'ordering': ['agency', 'order', 'letter'],
            },
        ),
        migrations.CreateModel(
            name='Counter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='số quầy')),
                ('name', models.CharField(blank=True, default='', max_length=120, verbose_name='tên quầy')),
                ('active', models.BooleanField(default=True, verbose_name='hoạt động')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counters', to='accounts.agency', verbose_name='cơ quan')),
                ('clerk', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='công chức tại quầy')),
                ('areas', models.ManyToManyField(related_name='counters', to='dossiers.servicearea', verbose_name='khu vực phục vụ')),
            ],
            options={
                'verbose_name': 'quầy',
                'verbose_name_plural': 'quầy',
                'ordering': ['agency', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Ticket',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(help_text='Local day (Asia/Ho_Chi_Minh) the number belongs to')),
                ('number', models.PositiveSmallIntegerField()),
                ('token', models.CharField(max_length=32, unique=True)),
                ('status', models.CharField(choices=[('waiting', 'Đang chờ'), ('called', 'Đã gọi'), ('serving', 'Đang phục vụ'), ('done', 'Đã phục vụ'), ('no_show', 'Vắng mặt')], default='waiting', max_length=16)),
                ('issued_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('called_at', models.DateTimeField(blank=True, null=True)),
                ('recalled_at', models.DateTimeField(blank=True, null=True)),
                ('service_started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tickets', to='dossiers.servicearea')),
                ('counter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossiers.counter')),
                ('dossier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tickets', to='dossiers.dossier')),
                ('served_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'số thứ tự',
                'verbose_name_plural': 'số thứ tự',
            },
        ),
        migrations.CreateModel(
            name='TicketEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('action', models.CharField(max_length=20)),
                ('payload', models.JSONField(blank=True, default=dict)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('counter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossiers.counter')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='dossiers.ticket')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='servicearea',
            constraint=models.UniqueConstraint(fields=('agency', 'letter'), name='service_area_letter_unique'),
        ),
        migrations.AddConstraint(
            model_name='counter',
            constraint=models.UniqueConstraint(fields=('agency', 'number'), name='counter_number_unique'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['agency', 'day', 'status'], name='ticket_agency_day_status'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['served_by', 'day'], name='ticket_served_by_day'),
        ),
        migrations.AddConstraint(
            model_name='ticket',
            constraint=models.UniqueConstraint(fields=('area', 'day', 'number'), name='ticket_number_per_area_day'),
        ),
        migrations.AddIndex(
            model_name='ticketevent',
            index=models.Index(fields=['ticket', 'at'], name='ticket_event_ticket_at'),
        ),
        migrations.RunSQL(APPEND_ONLY, APPEND_ONLY_REVERSE),
    ]
