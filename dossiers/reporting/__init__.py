"""Supervisor statistics: the Decision 766 report, its period and scope, and the tables built from it."""

from dossiers.reporting.period import Period, parse_period, preset_period
from dossiers.reporting.report import BUCKETS, aggregate, bucket_ids, summary
from dossiers.reporting.scope import Scope, can_read_reports, report_scope, supervised_agency_ids

__all__ = [
    "BUCKETS",
    "Period",
    "Scope",
    "aggregate",
    "bucket_ids",
    "can_read_reports",
    "parse_period",
    "preset_period",
    "report_scope",
    "summary",
    "supervised_agency_ids",
]
