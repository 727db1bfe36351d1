"""The dependency ladder: each package of app/ imports only packages below it, at module level.

A package that needs one above it is a sign that a rule sits in the wrong place: move the rule
up (or the shared piece down) instead of hiding the import inside a function.
"""
import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Lowest first. Packages on one rung do not import each other.
LADDER = [
    {"extensions"},
    {"core"},
    {"mail"},
    {"auth"},
    {"courses"},
    {"quizzes"},
    {"progress", "workshops"},
    {"attendance"},
    {"exports", "reports", "certificates"},
    {"content"},
    {"learning", "main", "trainer", "admin"},  # areas of the site: routes and forms only
    {"demo"},
    {"models"},  # app/models.py gathers every model for Alembic
    {"__init__"},  # create_app() wires everything together
]
RUNG = {package: level for level, packages in enumerate(LADDER) for package in packages}


def package_of(path: Path) -> str:
    relative = path.relative_to(APP)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def app_imports(tree: ast.AST):
    """(line, imported app package) for every `import app.x` / `from app.x import …`, wherever it sits."""
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and (node.module == "app" or node.module.startswith("app.")):
            parts = node.module.split(".")
            names = [parts[1]] if len(parts) > 1 else [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name.split(".")[1] for alias in node.names if alias.name.startswith("app.")]
        for name in names:
            yield node.lineno, name


def python_files():
    return sorted(path for path in APP.rglob("*.py") if "translations" not in path.parts)


def test_every_package_is_on_the_ladder():
    packages = {package_of(path) for path in python_files()}
    assert packages <= set(RUNG), f"put these packages on the ladder in {__file__}: {packages - set(RUNG)}"


@pytest.mark.parametrize("path", python_files(), ids=lambda path: str(path.relative_to(APP)))
def test_imports_only_go_down_the_ladder(path):
    package = package_of(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wrong = [f"line {line}: app.{name}" for line, name in app_imports(tree)
             if name != package and RUNG.get(name, -1) >= RUNG[package]]
    assert not wrong, f"app.{package} (rung {RUNG[package]}) imports from its rung or above: {wrong}"


@pytest.mark.parametrize("path", python_files(), ids=lambda path: str(path.relative_to(APP)))
def test_no_hidden_imports_inside_functions(path):
    """An import inside a function hides a dependency; where one is needed, a comment on its line says why."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    # Imports under a module-level `if` (TYPE_CHECKING) are still at module level.
    top |= {id(child) for node in tree.body if isinstance(node, ast.If) for child in ast.walk(node)}
    hidden = [node.lineno for node in ast.walk(tree)
              if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top
              and "#" not in lines[node.lineno - 1]]
    assert not hidden, f"imports inside functions at lines {hidden}: move them up, or say why on the line"
