"""``kb import-sheet``: rows of a spreadsheet into the moderation queue."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.cli.base import CommandError, _runtime, main


@main.command("import-sheet", help="Met chaque ligne valide d'un tableur (.csv ou .xlsx, en-tête aux "
                                   "noms du schéma des pratiques) dans la file de modération ; "
                                   "signale les lignes refusées (sortie 1 s'il y en a).")
@click.argument("file", metavar="FICHIER", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_sheet(file: Path) -> None:
    from kb.services.contributions.sheets import SheetError, import_sheet

    try:
        with _runtime().session() as session:
            report = import_sheet(session, file)
    except SheetError as error:
        raise CommandError(f"{file.name} : {error}") from None
    for refusal in report.refused:
        click.echo(f"ligne {refusal.row}, colonne « {refusal.column} » : {refusal.reason}", err=True)
    rows = len({r.row for r in report.refused})
    click.echo(f"{len(report.queued)} ligne(s) mise(s) dans la file de modération, "
               f"{len(report.already)} déjà importée(s), {rows} refusée(s)"
               + (", la ligne d’exemple ignorée." if report.examples else "."))
    if report.refused:
        sys.exit(1)
