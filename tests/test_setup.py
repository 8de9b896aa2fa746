"""The project set-up keeps its promises: documented configuration, idempotent make targets, a licence."""

import ast
import re
import subprocess
import tomllib
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
        (
            "run",
            [
                "demo_banner --url",
                "gunicorn config.wsgi",
                "-A config worker",
                "-A config beat",
                "keep-running vneid node seeds/simulators/vneid/server.js",
            ],
        ),
        ("test", ["config.dbcreate", "npm ci", "pytest --create-db", "-m e2e"]),
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


PRODUCT = ["accounts", "config", "dossiers", "procedures", "seeds", "manage.py"]


def imported_top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_product_imports_no_dev_only_package():
    """`make run` installs the dev extras too, so only this test notices a run-time import of a test tool."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    dev_only = {
        re.split(r"[<>=\[ ]", req)[0].replace("-", "_") for req in project["optional-dependencies"]["dev"]
    }
    dev_only |= {"tests", "factories"}
    files = [
        f for top in PRODUCT for f in ([ROOT / top] if top.endswith(".py") else (ROOT / top).rglob("*.py"))
    ]
    assert len(files) > 50
    offenders = {
        str(f.relative_to(ROOT)): sorted(imported_top_level_names(f) & dev_only)
        for f in files
        if imported_top_level_names(f) & dev_only
    }
    assert offenders == {}
