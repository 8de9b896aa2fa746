"""The project set-up keeps its promises: documented configuration, idempotent make targets, a licence."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(target: str) -> str:
    result = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_readme_documents_every_environment_variable_settings_read():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'(?:environ\.get|env_bool)\("([A-Z0-9_]+)"', settings_source))
    readme = (ROOT / "README.md").read_text()
    assert names, "settings read nothing from the environment?"
    assert sorted(n for n in names if f"`{n}`" not in readme) == []


def test_readme_starts_with_the_two_commands_and_lists_demo_logins():
    readme = (ROOT / "README.md").read_text()
    commands = readme.index("make run")
    assert commands < readme.index("## Configuration")
    assert "make test" in readme[: readme.index("## Configuration")]
    from accounts.demo import DEMO_PASSWORD, demo_usernames

    assert DEMO_PASSWORD in readme
    assert [u for u in demo_usernames() if f"`{u}`" not in readme] == []


def test_licence_is_the_agpl_v3_full_text():
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in text
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert len(text.split()) > 5000


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("seed", ["migrate --noinput", "import_agencies", "seed_demo", "create_dev_ca"]),
        ("run", ["demo_banner --url", "gunicorn config.wsgi", "-A config worker", "-A config beat"]),
        ("test", ["config.dbcreate", "pytest --create-db", "-m e2e"]),
    ],
)
def test_make_targets_run_the_expected_steps(target, expected):
    plan = make_dry_run(target)
    for step in expected:
        assert step in plan, f"make {target} should run {step!r}"


def test_make_run_stops_all_three_processes_together():
    plan = make_dry_run("run")
    assert "trap" in plan and "kill" in plan and "wait" in plan


def test_ci_entry_point_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert script.startswith("#!/usr/bin/env bash")
    assert "make test" in script
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111


def test_seeds_is_an_importable_package():
    import seeds

    assert seeds.__doc__
