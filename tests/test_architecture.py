"""Layers point inward, checked by the import-linter contracts in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"

    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


def _imported_modules(package: str) -> set[tuple[str, str]]:
    import ast

    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {(path.name, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add((path.name, node.module))
    return found


def test_the_domain_imports_only_the_standard_library_and_eventsourcing_domain():
    allowed_third_party = {"eventsourcing.domain"}

    strays = {
        (file, module) for file, module in _imported_modules("domain")
        if module.split(".")[0] not in sys.stdlib_module_names
        and module not in allowed_third_party and module.split(".")[0] != "domain"
    }

    assert strays == set()


def test_domain_and_application_type_check():
    mypy = Path(sys.executable).parent / "mypy"

    result = subprocess.run([str(mypy)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr
