"""`make run` and the production units keep web, worker and beat alive: a process that dies is started again,
and Ctrl-C (or a stop) ends every process, the restart loops included."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest_worker import wait_until
from tests.test_setup import ROOT, make_dry_run

KEEP = str(ROOT / "deploy" / "keep-running")
UNITS = ROOT / "deploy" / "systemd"


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has exited; only its parent has not collected it yet


def test_a_command_that_dies_is_started_again(tmp_path):
    runs = tmp_path / "runs"
    proc = subprocess.Popen(
        [KEEP, "flaky", "sh", "-c", f"echo run >> {runs}; exit 3"],
        env={**os.environ, "KEEP_RUNNING_DELAY": "0.1"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_until(lambda: runs.exists() and len(runs.read_text().split()) >= 3, timeout=10)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "flaky exited with status 3; starting it again" in err


def test_a_stop_ends_the_command_and_the_loop(tmp_path):
    pidfile = tmp_path / "pid"
    proc = subprocess.Popen([KEEP, "sleeper", "sh", "-c", f"echo $$ > {pidfile}; exec sleep 300"])
    assert wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), timeout=10)
    child = int(pidfile.read_text())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    assert wait_until(lambda: not alive(child), timeout=10)


def test_ctrl_c_on_the_make_run_recipe_stops_everything(tmp_path):
    """The recipe's shape (trap, one keep-running per process, wait), interrupted as a terminal does: SIGINT
    to the whole process group."""
    pidfiles = [tmp_path / f"{name}.pid" for name in ("web", "worker")]
    loops = " ".join(f"{KEEP} {p.stem} sh -c 'echo $$ > {p}; exec sleep 300' &" for p in pidfiles)
    script = f"trap 'trap - INT TERM EXIT; kill $(jobs -p) 2>/dev/null; wait' INT TERM EXIT; {loops} wait"
    proc = subprocess.Popen(["bash", "-c", script], start_new_session=True)
    assert wait_until(lambda: all(p.exists() and p.read_text().strip() for p in pidfiles), timeout=10)
    children = [int(p.read_text()) for p in pidfiles]
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=15)
    assert wait_until(lambda: not any(alive(pid) for pid in children), timeout=10)


def test_make_run_keeps_each_process_running():
    plan = make_dry_run("run")
    for name in ("web", "worker", "beat", "simulators"):
        assert f"deploy/keep-running {name}" in plan
    assert "trap" in plan and "kill" in plan and "wait" in plan


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("onestop-web.service", "gunicorn config.wsgi"),
        ("onestop-worker.service", "celery -A config worker"),
        ("onestop-beat.service", "celery -A config beat"),
    ],
)
def test_the_production_units_restart_what_dies(unit, command):
    text = (UNITS / unit).read_text()
    assert "Restart=always" in text
    exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    assert command in exec_start
    assert "EnvironmentFile=" in text


def test_the_readme_documents_the_production_processes():
    readme = (ROOT / "README.md").read_text()
    assert "## Running in production" in readme
    for unit in ("onestop-web.service", "onestop-worker.service", "onestop-beat.service"):
        assert unit in readme
