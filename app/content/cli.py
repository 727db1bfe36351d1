"""`flask content check|sync`: validate content/ and upsert it into the database."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.loader import load_content
from app.content.sync import sync_content
from app.content.tree import ContentTree
from app.extensions import db

content_cli = AppGroup("content", help="Validate and sync course content from content/.")

path_option = click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Content folder to use instead of the CONTENT_DIR setting.",
)


def _load_or_exit(path: Path | None) -> ContentTree:
    """The validated tree; on any problem, print them all (path:line: message) and exit 1."""
    root = path or Path(current_app.config["CONTENT_DIR"])
    tree, problems = load_content(root, current_app.config["LANGUAGES"])
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {root}; nothing was changed.", err=True)
        sys.exit(1)
    return tree


@content_cli.command("check")
@path_option
def check(path: Path | None) -> None:
    """Validate the content and list every problem with its file and line."""
    tree = _load_or_exit(path)
    click.echo(f"Content OK: {tree.summary()}.")


@content_cli.command("sync")
@path_option
def sync(path: Path | None) -> None:
    """Validate, then upsert the content into the database in one transaction."""
    tree = _load_or_exit(path)
    # On any error the app context's teardown rolls the whole sync back.
    report = sync_content(tree)
    db.session.commit()
    click.echo(f"Synced {tree.summary()}: {report}.")
