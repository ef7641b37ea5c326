"""The one-way layers of docs/architecture.md: the import contract ignores nothing, it fails
on an upward import written inside a function, and no function imports another app."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
APPS = CONFIG["root_packages"]


def test_the_contract_ignores_no_import():
    [contract] = CONFIG["contracts"]
    assert contract["type"] == "layers"
    assert not {"ignore_imports", "unmatched_ignore_imports_alerting"} & set(contract)


def function_level_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append(node.module)
            elif isinstance(node, ast.Import):
                found += [alias.name for alias in node.names]
    return found


def test_no_function_imports_another_app_unless_the_architecture_names_it():
    """docs/architecture.md names each exception (« `file` imports `module` ») and says why;
    there is none other."""
    named = (ROOT / "docs" / "architecture.md").read_text()
    crossing = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module in function_level_imports(path):
                top = module.split(".")[0]
                where = str(path.relative_to(ROOT))
                if top in APPS and top != app and f"`{where}` imports `{module}`" not in named:
                    crossing.append(f"{where}: {module}")
    assert crossing == []


def test_the_contract_fails_on_an_upward_import_inside_a_function(tmp_path):
    for app in APPS:
        shutil.copytree(
            ROOT / app,
            tmp_path / app,
            ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.csv", "*.json"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    lint = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(
            lint,
            cwd=tmp_path,
            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=300,
        )

    kept = run()
    assert kept.returncode == 0, kept.stdout + kept.stderr
    (tmp_path / "households" / "probe.py").write_text(
        "def summary():\n    from cases.summary import case_summary\n\n    return case_summary\n"
    )
    broken = run()
    assert broken.returncode != 0
    assert "households.probe -> cases.summary" in broken.stdout
