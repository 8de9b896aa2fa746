"""Monthly statistics rollups: Decision 766 counters per (competent agency, procedure, month): closed months,
and the current month judged at today."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

# Counters of one month, the report of that month alone (dossiers.stats.rollup: how months combine).
# Counts behind the service indicators (dossiers.indicators), summed like the others.
INDICATOR_FIELDS = (
    "online",
    "digitised",
    "reused",
    "resolved",
    "e_results",
    "rated",
    "satisfied",
    "paid",
    "paid_online",
)
SUM_FIELDS = (
    "received_new",
    "processed",
    "early",
    "on_time",
    "late",
    "withdrawn",
    "stopped",
    "refused",
    "supplemented_new",
    "days_sum",
    "days_n",
    *INDICATOR_FIELDS,
)
FIRST_FIELDS = ("carried_over", "supplemented_carried")  # at the start of the month
LAST_FIELDS = ("in_progress", "in_progress_on_time", "in_progress_late")  # at the end of the month
# Histogram of working days: one column per day up to HIST_DAYS - 1 (summed like any counter, far cheaper than
# unnesting arrays), the rare longer ones in `hist` (index 0 = HIST_DAYS days).
HIST_DAYS = 32
HIST_FIELDS = tuple(f"h{d:02d}" for d in range(HIST_DAYS))
ROLLUP_FIELDS = SUM_FIELDS + FIRST_FIELDS + LAST_FIELDS + HIST_FIELDS


class StatsMonth(models.Model):
    """An (agency, month) whose rollup rows are built; `dirty` once a change touched it since.

    `judged_on`: the day its open dossiers were judged at: the month's last day for a closed month, the day
    of the build for the current month (such a row serves only reports judged on that same day)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("Ngày đầu tháng"))
    built_at = models.DateTimeField()
    judged_on = models.DateField(help_text=_("Ngày chốt số liệu hồ sơ đang giải quyết"))
    dirty = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="stats_month_unique")]
        indexes = [models.Index(fields=["month"], name="stats_month_dirty", condition=models.Q(dirty=True))]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"


class StatsRollup(models.Model):
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    hist = ArrayField(
        models.IntegerField(), default=list, help_text=_("Số hồ sơ theo số ngày làm việc từ 32 trở đi")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "procedure"], name="stats_rollup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_id} {self.month:%Y-%m}"


for _name in ROLLUP_FIELDS:
    StatsRollup.add_to_class(
        _name, (models.BigIntegerField if _name == "days_sum" else models.IntegerField)(default=0)
    )
