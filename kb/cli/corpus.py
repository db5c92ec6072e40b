"""Corpus and database commands: init, db upgrade, validate, import, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kb.cli.base import _folder, _print_problems, _runtime, bulk_work, main
from kb.cli.meaning import embed_missing

if TYPE_CHECKING:
    from kb.runtime import Runtime
    from kb.services.corpus import ImportReport


def _import(runtime: Runtime, folder: Path) -> ImportReport:
    from kb.services import corpus as corpus_service
    from kb.services import indexing

    total = corpus_service.count_files(folder)
    with bulk_work():
        with runtime.session() as session, click.progressbar(
                length=total, label="Import", file=sys.stderr) as bar:
            report = corpus_service.import_folder(session, folder, progress=bar.update)
        with runtime.session(write=False) as session:
            if not indexing.ensure_index(session, runtime.index):
                indexing.apply_changes(session, runtime.index, report.changed)
        # Searchable by their words from here; then the meaning layer's vectors.
        embed_missing(runtime)
    events = report.event_outcomes
    click.echo(f"Pratiques : créées {report.practices('created')} · mises à jour "
               f"{report.practices('updated')} · inchangées {report.practices('unchanged')}")
    click.echo(f"Rendez-vous : créés {events['created']} · mis à jour {events['updated']} · "
               f"inchangés {events['unchanged']}")
    click.echo(f"Fichiers rejetés : {report.rejected}")
    if report.problems:
        click.echo(f"{len(report.problems)} problème(s) :", err=True)
        _print_problems(report.problems)
    return report



@main.command(help="Crée ou met à jour la base, importe le corpus fourni et construit l'index.")
@click.option("--corpus", "corpus_dir", type=click.Path(), default=None, metavar="DOSSIER",
              help="Dossier du corpus (par défaut KB_CORPUS_DIR, sinon practices/).")
def init(corpus_dir: str | None) -> None:
    runtime = _runtime(need_db=False)
    runtime.upgrade()
    click.echo("Base de données prête.")
    report = _import(runtime, _folder(corpus_dir or str(runtime.settings.corpus_dir)))
    if report.errors:
        raise SystemExit(1)


@main.group(help="Schéma de la base de données.")
def db() -> None:
    pass


@db.command("upgrade", help="Applique les migrations Alembic jusqu'à la dernière.")
def db_upgrade() -> None:
    _runtime(need_db=False).upgrade()
    click.echo("Base de données à jour.")


@main.command(help="Vérifie un dossier de pratiques et liste tous les problèmes.\n\n"
                   "DOSSIER : le dossier à vérifier (fiches .md, rendez-vous/, registres _*.yaml).")
@click.argument("directory", type=click.Path(), metavar="DOSSIER")
def validate(directory: str) -> None:
    from kb.services import corpus as corpus_service

    folder = _folder(directory)
    runtime = _runtime(need_db=False)
    if runtime.database_ready():
        with runtime.session(write=False) as session:
            corpus = corpus_service.validate_folder(session, folder)
    else:
        corpus = corpus_service.validate_folder(None, folder)
    files = len(corpus.practices) + len(corpus.events) + len(corpus.rejected)
    if corpus.problems:
        click.echo(f"{len(corpus.errors)} erreur(s), {len(corpus.warnings)} avertissement(s) "
                   f"dans {directory} :", err=True)
        _print_problems(corpus.problems)
    if corpus.errors:
        raise SystemExit(1)
    click.echo(f"{files} fichier(s) valides ({len(corpus.practices)} pratiques, "
               f"{len(corpus.events)} rendez-vous).")


@main.command("import", help="Importe un dossier de pratiques (idempotent) et met l'index à jour.\n\n"
                             "DOSSIER : le dossier à importer.")
@click.argument("directory", type=click.Path(), metavar="DOSSIER")
def import_(directory: str) -> None:
    report = _import(_runtime(), _folder(directory))
    if report.errors:
        raise SystemExit(1)


@main.command(help="Écrit les pratiques publiées et les rendez-vous dans un dossier.\n\n"
                   "DOSSIER : le dossier où écrire (créé au besoin).")
@click.argument("directory", type=click.Path(), metavar="DOSSIER")
def export(directory: str) -> None:
    from kb.services import corpus as corpus_service

    runtime = _runtime()
    folder = Path(directory)
    with runtime.session(write=False) as session:
        count = corpus_service.export_folder(session, folder)
    click.echo(f"{count} fichier(s) écrits dans {folder}.")
