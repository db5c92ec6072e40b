"""The ``kb`` command line: thin click commands over the services."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kb.config import Settings
from kb.runtime import Runtime
from kb.search import FACETS
from kb.services import corpus as corpus_service
from kb.services import indexing
from kb.services.backup import BackupError, backup_database, restore_database
from kb.services.search import MAX_LIMIT, response_json, search_practices


def _runtime(need_db: bool = True) -> Runtime:
    runtime = Runtime.open(Settings.from_env())
    # Close pooled connections when the command ends, not at garbage collection.
    click.get_current_context().call_on_close(runtime.close)
    if need_db and not runtime.database_ready():
        raise click.ClickException(
            "la base de données n'existe pas encore : lancez d'abord « kb init »"
            f" (base : {runtime.engine.url.render_as_string(hide_password=True)})")
    return runtime


def _folder(path: str) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise click.ClickException(f"dossier introuvable : {path}")
    return folder


def _print_problems(problems: list) -> None:
    for problem in problems:
        click.echo(f"  {problem}", err=True)


def _import(runtime: Runtime, folder: Path) -> corpus_service.ImportReport:
    total = corpus_service.count_files(folder)
    with runtime.session() as session, click.progressbar(
            length=total, label="Import", file=sys.stderr) as bar:
        report = corpus_service.import_folder(session, folder, progress=bar.update)
    with runtime.session(write=False) as session:
        if not indexing.ensure_index(session, runtime.index):
            indexing.sync_index(session, runtime.index, report.changed)
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


@click.group(help="kb : base de connaissances des pratiques du logement social.")
def main() -> None:
    pass


@main.command(help="Crée ou met à jour la base, importe le corpus fourni et construit l'index.")
@click.option("--corpus", "corpus_dir", type=click.Path(), default=None,
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


@main.command(help="Vérifie un dossier de pratiques et liste tous les problèmes.")
@click.argument("directory", type=click.Path())
def validate(directory: str) -> None:
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


@main.command("import", help="Importe un dossier de pratiques (idempotent).")
@click.argument("directory", type=click.Path())
def import_(directory: str) -> None:
    report = _import(_runtime(), _folder(directory))
    if report.errors:
        raise SystemExit(1)


@main.command(help="Écrit les pratiques publiées et les rendez-vous dans un dossier.")
@click.argument("directory", type=click.Path())
def export(directory: str) -> None:
    runtime = _runtime()
    folder = Path(directory)
    with runtime.session(write=False) as session:
        count = corpus_service.export_folder(session, folder)
    click.echo(f"{count} fichier(s) écrits dans {folder}.")


@main.command(help="Cherche parmi les pratiques publiées.")
@click.argument("query", required=False, default="")
@click.option("--theme", multiple=True, help="Thème (identifiant ou libellé).")
@click.option("--landlord", multiple=True, help="Bailleur (nom, alias ou identifiant).")
@click.option("--partner", multiple=True, help="Partenaire (nom, alias ou identifiant).")
@click.option("--city", multiple=True, help="Ville.")
@click.option("--audience", multiple=True, help="Public.")
@click.option("--status", multiple=True, help="Statut.")
@click.option("--evidence", multiple=True, help="Niveau de preuve.")
@click.option("--year", multiple=True, help="Année de début.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=10, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "recent", "title"]), default="relevance")
@click.option("--json", "as_json", is_flag=True, help="Affiche un objet JSON.")
def search(query: str, limit: int, sort: str, as_json: bool, **filters: tuple[str, ...]) -> None:
    runtime = _runtime()
    with runtime.session(write=False) as session:
        indexing.ensure_index(session, runtime.index)
        wanted = {name: values for name, values in filters.items() if name in FACETS and values}
        response = search_practices(session, runtime.index, query, wanted, limit=limit, sort=sort)
    if as_json:
        click.echo(json.dumps(response_json(response), ensure_ascii=False))
        return
    if response.message:
        click.echo(response.message)
    if response.suggestion:
        click.echo(f"Vouliez-vous dire : {response.suggestion} ?")
    click.echo(f"{response.total} pratique(s)")
    for hit in response.hits:
        click.echo(f"- {hit.title} [{hit.slug}]")


@main.command(help="Reconstruit l'index de recherche à partir de la base.")
def reindex() -> None:
    runtime = _runtime()
    with runtime.session(write=False) as session:
        docs = indexing.published_documents(session)
    with click.progressbar(length=len(docs), label="Indexation", file=sys.stderr) as bar:
        # The index reports how many documents are done; the bar wants increments.
        done = [0]

        def advance(count: int) -> None:
            bar.update(count - done[0])
            done[0] = count

        count = runtime.index.rebuild(docs, progress=advance)
    click.echo(f"{count} pratique(s) indexée(s).")


@main.command("check-index", help="Compare l'index et la base, et répare les écarts.")
@click.option("--dry-run", is_flag=True, help="Signale sans réparer.")
def check_index(dry_run: bool) -> None:
    runtime = _runtime()
    with runtime.session(write=False) as session:
        result = indexing.check_index(session, runtime.index, repair=not dry_run)
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


@main.command(help="Copie cohérente de la base SQLite, même pendant que le site tourne.")
@click.argument("file", type=click.Path(dir_okay=False))
def backup(file: str) -> None:
    runtime = _runtime()
    try:
        backup_database(runtime.engine, Path(file))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Sauvegarde écrite : {file}")


@main.command(help="Restaure une sauvegarde, puis reconstruit l'index.")
@click.argument("file", type=click.Path(dir_okay=False))
def restore(file: str) -> None:
    runtime = _runtime(need_db=False)
    try:
        restore_database(runtime.engine, Path(file))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    runtime.upgrade()
    with runtime.session(write=False) as session:
        count = indexing.rebuild_index(session, runtime.index)
    click.echo(f"Base restaurée depuis {file} ; {count} pratique(s) réindexée(s).")


@main.command(help="Démarre le site kb sur une base existante.")
@click.option("--host", default=None, help="Adresse d'écoute (par défaut KB_HOST ou 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (par défaut KB_PORT ou 5000).")
def serve(host: str | None, port: int | None) -> None:
    runtime = _runtime()
    from kb import create_app

    app = create_app(runtime=runtime)
    host = host or runtime.settings.host
    port = port or runtime.settings.port
    click.echo(f"kb est servi sur http://{host}:{port}/ (Ctrl+C pour arrêter)")
    from werkzeug.serving import run_simple

    from kb.web.serving import QuietRequestHandler

    run_simple(host, port, app, threaded=True, use_reloader=False,
               request_handler=QuietRequestHandler)


# -- moderation and personal data ------------------------------------------------


@main.group(help="Comptes des modérateurs.")
def moderator() -> None:
    pass


@moderator.command("add", help="Crée un compte de modérateur (le mot de passe est demandé deux fois).")
@click.argument("email")
@click.option("--name", "display_name", default=None,
              help="Nom affiché publiquement dans les historiques (sinon « modérateur n° N »).")
@click.password_option("--password", prompt="Mot de passe", confirmation_prompt="Confirmez le mot de passe",
                       help="Mot de passe (demandé sans écho si absent).")
def moderator_add(email: str, display_name: str | None, password: str) -> None:
    from kb.services.contributions import moderators

    runtime = _runtime()
    try:
        with runtime.session() as session:
            account = moderators.add_moderator(session, email, password, display_name)
            number, address = account.id, account.email
    except moderators.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Modérateur n° {number} créé : {address}")


@moderator.command("password", help="Change le mot de passe d'un compte (ses sessions ouvertes "
                                    "prennent fin).")
@click.argument("email")
@click.password_option("--password", prompt="Nouveau mot de passe",
                       confirmation_prompt="Confirmez le mot de passe",
                       help="Nouveau mot de passe (demandé sans écho si absent).")
def moderator_password(email: str, password: str) -> None:
    from kb.services.contributions import moderators

    try:
        with _runtime().session() as session:
            moderators.change_password(session, email, password)
    except moderators.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Mot de passe changé pour {email} ; ses sessions ouvertes sont terminées.")


@moderator.command("list", help="Liste les comptes de modérateurs.")
def moderator_list() -> None:
    from kb.services.contributions import moderators

    with _runtime().session(write=False) as session:
        accounts = moderators.find_moderators(session)
        lines = [f"{m.id}\t{m.email}\t{m.display_name or ''}" for m in accounts]
    click.echo("\n".join(lines) if lines else "Aucun modérateur.")


@moderator.command("remove", help="Supprime un compte (ses actions passées restent au journal).")
@click.argument("email")
def moderator_remove(email: str) -> None:
    from kb.services.contributions import moderators

    with _runtime().session() as session:
        removed = moderators.remove_moderator(session, email)
    if not removed:
        raise click.ClickException(f"aucun modérateur n'a l'adresse {email}")
    click.echo(f"Compte supprimé : {email}")


@main.command("forget-contributor",
              help="Efface le nom et l'adresse d'un contributeur de toutes ses propositions et "
                   "révisions (le contenu reste).")
@click.argument("email")
def forget_contributor(email: str) -> None:
    from kb.services.contributions import submissions

    with _runtime().session() as session:
        changed = submissions.forget_contributor(session, email)
    click.echo(f"{changed} enregistrement(s) modifié(s).")


# -- search log -------------------------------------------------------------------


@main.group("search-log", help="Journal des recherches publiques (pour les modérateurs).")
def search_log() -> None:
    pass


@search_log.command("purge", help="Efface les recherches plus anciennes que la durée de conservation "
                                  "(KB_SEARCH_LOG_DAYS, 180 jours par défaut).")
@click.option("--days", type=click.IntRange(0), default=None,
              help="Garde seulement les N derniers jours (0 : efface tout).")
def search_log_purge(days: int | None) -> None:
    from kb.services import search_log as service

    runtime = _runtime()
    keep = runtime.settings.search_log_days if days is None else days
    with runtime.session() as session:
        removed = service.purge(session, max(keep, 0))
    click.echo(f"{removed} recherche(s) effacée(s) ; les {max(keep, 0)} derniers jours sont gardés.")


if __name__ == "__main__":
    main()
