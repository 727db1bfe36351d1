"""Rules for the test suite itself, checked on its source so that they hold for tests written later.

- A test module imports helpers from tests/helpers.py, tests/factories.py or tests/databases.py,
  never from a conftest.py or from another test module (pytest gives fixtures without imports).
- A test changes the app's configuration only through `monkeypatch.setitem(app.config, ...)`, which
  puts the old value back: never `app.config[...] = ...` or `app.config.update(...)`.
"""
import ast
from pathlib import Path

TESTS = Path(__file__).parent
SOURCES = sorted(path for path in TESTS.rglob("*.py") if "screenshots" not in path.parts)


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"__import__", "import_module"}
              and node.args and isinstance(node.args[0], ast.Constant)):
            yield node.lineno, str(node.args[0].value)


def is_config(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "config"


def config_writes(tree: ast.AST):
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            if isinstance(target, ast.Subscript) and is_config(target.value):
                yield node.lineno
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_config(node.func.value)
                and node.func.attr in {"update", "setdefault", "pop", "__setitem__", "from_object", "from_mapping"}):
            yield node.lineno


def trees():
    for path in SOURCES:
        yield path.relative_to(TESTS), ast.parse(path.read_text(encoding="utf-8"))


def test_no_imports_from_conftest_or_other_test_modules():
    bad = [f"{name}:{line} imports {module}" for name, tree in trees() for line, module in imported_modules(tree)
           if module.startswith("tests.") and any(part == "conftest" or part.startswith("test_") for part in module.split("."))]
    assert not bad, "move the helper to tests/helpers.py (or make it a fixture):\n" + "\n".join(bad)


def test_config_is_changed_only_through_monkeypatch():
    bad = [f"{name}:{line}" for name, tree in trees() for line in config_writes(tree)
           if str(name) != "conftest.py"]  # the `app` fixture itself, which puts the configuration back
    assert not bad, "use monkeypatch.setitem(app.config, ...), which restores the value:\n" + "\n".join(bad)
