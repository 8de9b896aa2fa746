"""Every benchmark runs on small inputs and returns rows (no timing assertions: this keeps the code alive)."""

import importlib

import pytest

from tests.bench.run import discover

EXPECTED_KEYS = {
    "tests.bench.bench_duedate": {"name", "calls", "seconds", "calls_per_s", "ratio", "mismatches"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("module_name", discover())
def test_benchmark_runs_small(module_name, capsys):
    rows = importlib.import_module(module_name).main(small=True)
    assert isinstance(rows, list) and rows
    assert all(isinstance(row, dict) and row for row in rows)
    assert EXPECTED_KEYS.get(module_name, set()) <= set(rows[0])
    assert capsys.readouterr().out.strip()  # printed its table


def test_duedate_benchmark_agrees_with_holidays(db):
    from tests.bench import bench_duedate

    rows = bench_duedate.main(small=True)
    assert [row["mismatches"] for row in rows] == [0, 0, 0]


def test_runner_selects_by_short_name():
    assert discover(["duedate"]) == ["tests.bench.bench_duedate"]
    with pytest.raises(SystemExit):
        discover(["no_such_benchmark"])
