"""`flask export attendance|registrations|results --workshop SLUG --format csv|xlsx --output FILE`."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.exports import files, tables
from app.workshops import access


@click.command("export")
@click.argument("kind", type=click.Choice(tables.KINDS))
@click.option("--workshop", "slug", required=True, help="The workshop's slug, as in its address.")
@click.option("--format", "fmt", type=click.Choice(files.FORMATS), default="csv", show_default=True)
@click.option("--anonymized", is_flag=True, help="No name or e-mail: a participant number instead.")
@click.option("--layout", type=click.Choice(tables.LAYOUTS), default="wide", show_default=True,
              help="attendance only: long gives one row per participant and session.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="The file to write (replaced if it exists).")
@with_appcontext
def export_cli(kind: str, slug: str, fmt: str, anonymized: bool, layout: str, output: Path) -> None:
    """Write a workshop's attendance, registrations or quiz results to a CSV or XLSX file."""
    workshop = access.get_by_slug(slug)
    if workshop is None:
        raise click.BadParameter(f"no workshop has the slug {slug!r}.", param_hint="--workshop")
    if layout == "long" and kind != "attendance":
        raise click.BadParameter("only the attendance export has a long layout.", param_hint="--layout")
    export = files.export(workshop, kind, fmt, anonymized=anonymized, layout=layout)
    size = 0
    with output.open("wb") as file:
        for chunk in export.chunks:
            file.write(chunk)
            size += len(chunk)
    click.echo(f"wrote {output} ({size:,} bytes)")
