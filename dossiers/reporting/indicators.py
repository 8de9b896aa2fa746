"""Service indicators of Decision 766/QĐ-TTg per agency, the score out of 100 and the ranking of wards.

How each indicator feeds the five groups of the index (maximum points; full points at or above the threshold,
below it points = rate × max ÷ threshold):

| group (max)                       | indicator                                        | points | threshold |
|-----------------------------------|--------------------------------------------------|--------|-----------|
| publicity / transparency (18)     | share of offered procedures online (full/partial) | 18     | 80 %      |
| progress / results (20)           | on-time rate (report of dossiers.stats)          | 20     | 100 %     |
| online service (22)               | online filing rate                               | 14     | 50 %      |
|                                   | online payment rate (among paid)                 | 8      | 50 %      |
| digitisation (22)                 | digitisation rate (components digitised)         | 8      | 80 %      |
|                                   | reuse rate (reuses digitised data)                | 7      | 80 %      |
|                                   | electronic results rate (among resolved)          | 7      | 80 %      |
| satisfaction (18)                 | satisfied + very satisfied among rated            | 18     | 90 %      |

An indicator without data (no rating, nothing paid, nothing resolved) is left out and the score is
scaled to the points that could be measured, so an empty denominator neither punishes nor rewards a ward.
A unit without a dossier in the period (none received, none refused) has no score at all ("không có hồ sơ")
and ranks after every ward with work: the catalogue alone would otherwise give it full marks; an agency
without any value to show has no row.
Populations: filing, digitisation and reuse over dossiers received in the period; electronic results and
satisfaction over dossiers resolved in the period; online payment over dossiers paid in the period; a refusal
at intake was never received and is in none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from dossiers.models import Channel, Dossier
from dossiers.reporting.period import Period
from dossiers.reporting.report import aggregate_sets
from procedures.models import Procedure

TZ = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class Rule:
    indicator: str
    group: str
    points: float
    threshold: float  # percent


RULES = (
    Rule("online_procedures_rate", "publicity", 18, 80),
    Rule("on_time_rate", "progress", 20, 100),
    Rule("online_filing_rate", "online", 14, 50),
    Rule("online_payment_rate", "online", 8, 50),
    Rule("digitisation_rate", "digitisation", 8, 80),
    Rule("reuse_rate", "digitisation", 7, 80),
    Rule("e_result_rate", "digitisation", 7, 80),
    Rule("satisfaction_rate", "satisfaction", 18, 90),
)
GROUPS = {"publicity": 18, "progress": 20, "online": 22, "digitisation": 22, "satisfaction": 18}
RATES = [r.indicator for r in RULES]


NO_DOSSIERS = "no_dossiers"
GRADE_LABELS = {
    "excellent": _("Xuất sắc"),
    "fair": _("Đạt"),
    "weak": _("Yếu"),
    NO_DOSSIERS: _("Không có hồ sơ"),
}


def grade(score: float | None) -> str:
    """≥90 excellent, <50 weak (Decision 766); in between: achieved."""
    if score is None:
        return ""
    if score >= 90:
        return "excellent"
    return "weak" if score < 50 else "fair"


def score(rates: dict[str, float | None]) -> tuple[float | None, dict[str, float | None]]:
    """The index out of 100 and the points per group, from rates in percent (None = no data)."""
    groups: dict[str, float | None] = dict.fromkeys(GROUPS)
    earned = possible = 0.0
    for rule in RULES:
        rate = rates.get(rule.indicator)
        if rate is None:
            continue
        points = rule.points * min(rate / rule.threshold, 1.0)
        groups[rule.group] = (groups[rule.group] or 0.0) + points
        earned += points
        possible += rule.points
    if not possible:
        return None, groups
    return round(earned * 100.0 / possible, 2), {
        g: (round(v, 2) if v is not None else None) for g, v in groups.items()
    }


def _pct(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None


_DOSSIER_SQL = """
SELECT d.competent_agency_id,
  count(*) FILTER (WHERE d.received_at >= %(lo)s AND d.received_at < %(hi)s) AS received,
  count(*) FILTER (WHERE d.received_at >= %(lo)s AND d.received_at < %(hi)s
                   AND d.channel = %(online)s) AS online,
  count(*) FILTER (WHERE d.received_at >= %(lo)s AND d.received_at < %(hi)s AND d.is_digitised) AS digitised,
  count(*) FILTER (WHERE d.received_at >= %(lo)s AND d.received_at < %(hi)s AND d.reuses_data) AS reused,
  count(*) FILTER (WHERE d.resolved_at >= %(lo)s AND d.resolved_at < %(hi)s) AS resolved,
  count(*) FILTER (WHERE d.resolved_at >= %(lo)s AND d.resolved_at < %(hi)s
                   AND d.e_result_status = 'done') AS e_results,
  count(*) FILTER (WHERE d.paid_at >= %(lo)s AND d.paid_at < %(hi)s) AS paid,
  count(*) FILTER (WHERE d.paid_at >= %(lo)s AND d.paid_at < %(hi)s AND d.paid_online) AS paid_online,
  count(*) FILTER (WHERE d.resolved_at >= %(lo)s AND d.resolved_at < %(hi)s
                   AND d.satisfaction <> '') AS rated,
  count(*) FILTER (WHERE d.resolved_at >= %(lo)s AND d.resolved_at < %(hi)s
                   AND d.satisfaction IN ('very_satisfied', 'satisfied')) AS satisfied
FROM {dossier} d
WHERE d.competent_agency_id = ANY(%(agencies)s) AND d.status <> 'refused'
  AND ((d.received_at >= %(lo)s AND d.received_at < %(hi)s)
       OR (d.resolved_at >= %(lo)s AND d.resolved_at < %(hi)s)
       OR (d.paid_at >= %(lo)s AND d.paid_at < %(hi)s))
GROUP BY d.competent_agency_id
"""

# Catalogue rule (procedures.Procedure.agencies help text): no agency listed = every agency of the procedure's
# level; an agency listed = that agency; a province listed = every commune of that province.
_OFFERED_SQL = """
SELECT a.id, count(p.id) AS offered,
       count(p.id) FILTER (WHERE p.online_level = 'full') AS full_online,
       count(p.id) FILTER (WHERE p.online_level = 'partial') AS partial_online
FROM {agency} a JOIN {procedure} p ON p.active AND (
    (p.level = a.level AND NOT EXISTS (SELECT 1 FROM {m2m} pa WHERE pa.procedure_id = p.id))
    OR EXISTS (SELECT 1 FROM {m2m} pa WHERE pa.procedure_id = p.id
                   AND (pa.agency_id = a.id OR pa.agency_id = a.parent_id)))
WHERE a.id = ANY(%(agencies)s)
GROUP BY a.id
"""


def indicators(agency_ids, period: Period, by_agency: list[dict] | None = None) -> list[dict]:
    """One row per agency of the scope: counts, rates (percent), score, group points and grade.

    `by_agency`: the report's rows by agency when the caller already has them (the dashboard)."""
    ids = sorted(agency_ids)
    if not ids:
        return []
    params = {"lo": period.lo, "hi": period.hi, "agencies": ids, "online": Channel.ONLINE.value}
    m2m = Procedure.agencies.through._meta.db_table
    if by_agency is None:
        by_agency = aggregate_sets(ids, period, ["agency"], with_indicators=True)["agency"]
    # From the monthly rollups when the report used them (received = received in the period).
    counts = {
        r["key"]: {**r.pop("indicator_counts"), "received": r["received_new"]}
        for r in by_agency
        if "indicator_counts" in r
    }
    with connection.cursor() as cur:
        if not counts:
            cur.execute(_DOSSIER_SQL.format(dossier=Dossier._meta.db_table), params)
            names = [c.name for c in cur.description]
            counts = {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
        cur.execute(
            _OFFERED_SQL.format(agency=Agency._meta.db_table, procedure=Procedure._meta.db_table, m2m=m2m),
            params,
        )
        offered = {r[0]: r[1:] for r in cur.fetchall()}
    on_time = {r["key"]: r for r in by_agency}
    rows = []
    for agency in Agency.objects.filter(id__in=ids).only("code", "name", "level").order_by("code"):
        c = counts.get(agency.id, {})
        n_offered, n_full, n_partial = offered.get(agency.id, (0, 0, 0))
        report = on_time.get(agency.id, {})
        row = {
            "key": agency.id,
            "code": agency.code,
            "name": agency.name,
            "level": agency.level,
            "received": c.get("received", 0),
            "online": c.get("online", 0),
            "procedures_offered": n_offered,
            "procedures_full": n_full,
            "procedures_partial": n_partial,
            "resolved": c.get("resolved", 0),
            "e_results": c.get("e_results", 0),
            "paid": c.get("paid", 0),
            "paid_online": c.get("paid_online", 0),
            "rated": c.get("rated", 0),
            "satisfied": c.get("satisfied", 0),
        }
        row.update(
            {
                "online_filing_rate": _pct(row["online"], row["received"]),
                "online_procedures_rate": _pct(n_full + n_partial, n_offered),
                "e_result_rate": _pct(row["e_results"], row["resolved"]),
                "digitisation_rate": _pct(c.get("digitised", 0), row["received"]),
                "reuse_rate": _pct(c.get("reused", 0), row["received"]),
                "online_payment_rate": _pct(row["paid_online"], row["paid"]),
                "satisfaction_rate": _pct(row["satisfied"], row["rated"]),
                "on_time_rate": report.get("on_time_rate"),
            }
        )
        # A unit without a dossier in the period has no score (DOMAIN.md): the catalogue alone would
        # otherwise give it full marks of what can be measured.
        row["no_dossiers"] = not (report.get("received") or report.get("refused"))
        row["score"], groups = (None, dict.fromkeys(GROUPS)) if row["no_dossiers"] else score(row)
        row.update({f"group_{g}": v for g, v in groups.items()})
        row["grade"] = NO_DOSSIERS if row["no_dossiers"] else grade(row["score"])
        row["grade_label"] = str(GRADE_LABELS.get(row["grade"], ""))
        if row["no_dossiers"] and all(row[r] is None for r in RATES):
            continue  # nothing at all to show for it
        rows.append(row)
    return rows


def rank_rows(indicator_rows: list[dict]) -> list[dict]:
    """Communes/wards ordered by score (best first), with their rank; unscored ones without a rank after the
    scored, and those without a dossier in the period after every ward that had work."""
    rows = [dict(r) for r in indicator_rows if r["level"] == Agency.Level.COMMUNE]
    rows.sort(key=lambda r: (r["no_dossiers"], r["score"] is None, -(r["score"] or 0), r["code"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i if r["score"] is not None else None
    return rows


def ranking(agency_ids, period: Period) -> list[dict]:
    """The ranking of the wards of the scope (usually a province)."""
    return rank_rows(indicators(agency_ids, period))
