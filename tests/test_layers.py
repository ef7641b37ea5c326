"""The one-way layers of docs/architecture.md: the import contract ignores nothing, it fails
on an upward import written inside a function, and no function imports another app. And the
tests' own rule: nothing under tests/ imports a test module."""

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


def imports_of_test_modules(source: str) -> list[str]:
    """The `test_*` modules `source` imports, however written: `from tests.x.test_y import f`,
    `import tests.test_y`, `from tests.x import test_y`, `from .test_y import f`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            prefix = module if module.endswith(".") else f"{module}."
            modules = [module, *(prefix + alias.name for alias in node.names)]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            tests = [i for i, part in enumerate(parts) if part.startswith("test_")]
            if tests:
                found.append(".".join(parts[: tests[0] + 1]))
    return sorted(set(found))


def test_no_file_under_tests_imports_a_test_module():
    """Shared helpers live in tests/helpers.py, tests/factories.py, tests/demo_access.py
    (docs/architecture.md, « Tests »): a helper kept in a test module ties every module that
    imports it to that one's tests, and breaks when they are moved or renamed."""
    found = {
        str(path.relative_to(ROOT)): imports_of_test_modules(path.read_text())
        for path in (ROOT / "tests").rglob("*.py")
    }
    assert {path: modules for path, modules in found.items() if modules} == {}


def test_an_import_of_a_test_module_is_found_however_written():
    for source in (
        "from tests.cases.test_agenda import at",
        "import tests.test_access_matrix",
        "from tests.households import test_pages",
        "from .test_states import recorded_moves",
        "from . import test_states",
        "def f():\n    from tests.api.test_api import api_for\n",
    ):
        assert imports_of_test_modules(source) != [], source
    assert imports_of_test_modules("from tests.helpers import at\nimport pytest\n") == []
