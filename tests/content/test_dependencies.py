"""app/content sits above courses and quizzes: it imports only what is below it, and nothing below imports it."""
import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
ALLOWED = ("app.content", "app.extensions", "app.core", "app.courses.models", "app.quizzes.models")


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module, inside a function?) for every `import` and `from … import` of an app module in `path`."""
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                found.extend(
                    (f"{child.module}.{alias.name}" if child.module == "app" else child.module, in_function)
                    for alias in child.names
                )
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return [(name, inside) for name, inside in found if name == "app" or name.startswith("app.")]


def test_content_imports_only_what_is_below_it_and_at_the_top_of_its_files():
    for path in sorted((APP / "content").glob("*.py")):
        for name, inside in imports(path):
            assert name.startswith(tuple(f"{a}." for a in ALLOWED)) or name in ALLOWED, f"{path.name} imports {name}"
            assert not inside, f"{path.name} imports {name} inside a function"


def test_nothing_below_content_imports_it():
    for package in ("core", "courses", "quizzes"):
        for path in sorted((APP / package).rglob("*.py")):
            names = [name for name, _ in imports(path)]
            assert not [n for n in names if n == "app.content" or n.startswith("app.content.")], f"{path} imports app.content"
