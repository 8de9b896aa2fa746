"""The drill-down of late cells reads the partial index of dossiers that can be late, and finds the same
dossiers as without it."""

import importlib
from datetime import date

import pytest
from django.db import connection

from dossiers.reporting import Period, bucket_ids
from dossiers.reporting.sql import BUCKETS, MAYBE_LATE
from dossiers.reporting.sql import base_sql as _base
from dossiers.reporting.sql import query_params as _params

from .stats_fixture import NOW
from .stats_fixture import build as build_fixture

pytestmark = pytest.mark.django_db
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 10))


def test_the_index_predicate_is_the_query_condition():
    migration = importlib.import_module("dossiers.migrations.0008_dossier_maybe_late_index")
    assert migration.PREDICATE == MAYBE_LATE.replace("d.", "")


def test_the_late_drill_down_can_use_the_partial_index(ward, birth_registration):
    import time_machine

    with time_machine.travel(NOW, tick=False):
        build_fixture(ward, birth_registration)
        sql = "EXPLAIN " + _base(extra=f"AND {MAYBE_LATE}") + "SELECT x.id FROM x"
        with connection.cursor() as cur:
            # Leave the planner no other index on agency or dates (dropped inside the test's transaction): the
            # partial index can serve only if the query's condition implies its predicate.
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'dossiers_dossier' "
                "AND indexname <> 'dossier_comp_maybe_late' AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
            )
            for (name,) in cur.fetchall():
                cur.execute(f'DROP INDEX "{name}"')
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute(sql, _params({ward.id}, [MARCH]))
            plan = "\n".join(r[0] for r in cur.fetchall())
            cur.execute("EXPLAIN " + _base() + "SELECT x.id FROM x", _params({ward.id}, [MARCH]))
            plain = "\n".join(r[0] for r in cur.fetchall())
    assert "dossier_comp_maybe_late" in plan
    assert "dossier_comp_maybe_late" not in plain  # without the condition the index cannot serve


@pytest.mark.parametrize("bucket", ["late", "overdue", "in_progress_late"])
def test_the_prefilter_keeps_every_late_dossier(ward, birth_registration, bucket):
    import time_machine

    with time_machine.travel(NOW, tick=False):
        build_fixture(ward, birth_registration)
        with_index = bucket_ids({ward.id}, MARCH, bucket, limit=1000)
        sql = _base() + f"SELECT x.id FROM x WHERE ({BUCKETS[bucket]}) ORDER BY x.id"
        with connection.cursor() as cur:
            cur.execute("SET LOCAL timezone = 'Asia/Ho_Chi_Minh'")
            cur.execute(sql, _params({ward.id}, [MARCH]))
            everything = [r[0] for r in cur.fetchall()]
    assert sorted(with_index[0]) == everything and with_index[1] == len(everything)
    assert everything or bucket == "in_progress_late"


def test_refusals_at_intake_are_read_from_their_partial_index(ward, birth_registration):
    """Never received, a refusal cannot be found by received_at: the report's second branch reads the refused
    rows of the period from dossier_comp_refused (the only index left to the planner here)."""
    import time_machine

    with time_machine.travel(NOW, tick=False):
        build_fixture(ward, birth_registration)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'dossiers_dossier' "
                "AND indexname <> 'dossier_comp_refused' AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
            )
            for (name,) in cur.fetchall():
                cur.execute(f'DROP INDEX "{name}"')
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute(
                "EXPLAIN " + _base(populations=("refused",)) + "SELECT x.id FROM x",
                _params({ward.id}, [MARCH]),
            )
            plan = "\n".join(r[0] for r in cur.fetchall())
    assert "dossier_comp_refused" in plan
