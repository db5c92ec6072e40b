"""Running kb: index rebuild and check, backup and restore, the production server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.cli.base import CommandError, _runtime, bulk_work, main


@main.command(help="Reconstruit l'index de recherche à partir de la base (à côté, puis bascule).")
def reindex() -> None:
    from kb import storage
    from kb.services import indexing

    runtime = _runtime()
    with bulk_work(), runtime.session(write=False) as session:
        total = storage.count_published(session)
        with click.progressbar(length=total, label="Indexation", file=sys.stderr) as bar:
            # The index reports how many documents are done; the bar wants increments.
            done = [0]

            def advance(count: int) -> None:
                bar.update(count - done[0])
                done[0] = count

            count = indexing.rebuild_index(session, runtime.index, progress=advance)
    click.echo(f"{count} pratique(s) indexée(s).")


@main.command("check-index", help="Compare l'index et la base, et répare les écarts.")
@click.option("--dry-run", is_flag=True, help="Signale les écarts sans les réparer.")
def check_index(dry_run: bool) -> None:
    from kb.services import indexing

    runtime = _runtime()
    try:
        with runtime.session(write=False) as session:
            result = indexing.check_index(session, runtime.index, repair=not dry_run)
    except OSError as exc:  # a full disk under KB_INDEX_DIR: said, not a traceback
        raise CommandError(f"l'index de recherche ({runtime.index.path}) n'a pas pu être écrit "
                           f"({exc.strerror}) : libérez de la place, puis relancez "
                           "« kb check-index »") from None
    if result.clean:
        click.echo("Index conforme à la base : rien à réparer.")
        return
    verb = "à réparer" if dry_run else "réparés"
    click.echo(f"Manquants : {len(result.missing)} · périmés : {len(result.stale)} · "
               f"en trop : {len(result.extra)} ({verb}).")
    for label, slugs in (("manquant", result.missing), ("périmé", result.stale),
                         ("en trop", result.extra)):
        for slug in slugs:
            click.echo(f"  {label} : {slug}")


@main.command(help="Copie cohérente de la base SQLite, même pendant que le site tourne.\n\n"
                   "FICHIER : le fichier de sauvegarde à écrire.")
@click.argument("file", type=click.Path(dir_okay=False), metavar="FICHIER")
def backup(file: str) -> None:
    from kb.services.backup import BackupError, backup_database

    runtime = _runtime()
    try:
        backup_database(runtime.engine, Path(file))
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Sauvegarde écrite : {file}")


@main.command(help="Restaure une sauvegarde, puis reconstruit l'index.\n\n"
                   "FICHIER : la sauvegarde écrite par « kb backup ».")
@click.argument("file", type=click.Path(dir_okay=False), metavar="FICHIER")
def restore(file: str) -> None:
    from kb.services import indexing
    from kb.services.backup import BackupError, restore_database

    runtime = _runtime(need_db=False, opened=False)
    try:
        restore_database(runtime.engine, Path(file))
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    runtime.upgrade()
    with runtime.session(write=False) as session:
        count = indexing.rebuild_index(session, runtime.index)
    click.echo(f"Base restaurée depuis {file} ; {count} pratique(s) réindexée(s).")


@main.command(help="Sert le site kb sur une base existante, avec un serveur de production "
                   "(waitress ; gunicorn avec --workers supérieur à 1).")
@click.option("--host", default=None, metavar="ADRESSE",
              help="Adresse d'écoute (par défaut KB_HOST ou 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, metavar="PORT",
              help="Port (par défaut KB_PORT ou 5000).")
@click.option("--threads", type=click.IntRange(1, 64), default=4, metavar="N",
              help="Fils d'exécution par processus : requêtes servies en même temps par chacun "
                   "(4 par défaut).")
@click.option("--workers", type=click.IntRange(1, 32), default=1, metavar="N",
              help="Processus (1 par défaut ; au-delà : gunicorn, sous Linux et macOS) ; "
                   "un par cœur est un bon point de départ.")
def serve(host: str | None, port: int | None, threads: int, workers: int) -> None:
    from kb.serving import ServerUnavailable, serve_app

    runtime = _runtime()
    host = host or runtime.settings.host
    port = port or runtime.settings.port
    try:
        serve_app(runtime, host, port, threads=threads, workers=workers,
                  announce=lambda: click.echo(
                      f"kb est servi sur http://{host}:{port}/ (Ctrl+C pour arrêter)"))
    except ServerUnavailable as exc:
        raise CommandError(str(exc)) from None
