"""The ``kb`` command line: thin click commands over the services.

Every command imports what it needs inside its function: ``kb --help`` loads
click only, and ``kb search`` never loads Flask or Alembic (a command answers
in a fraction of a second, not after importing the whole web stack).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from kb.runtime import Runtime
    from kb.services.corpus import ImportReport

# Kept here rather than imported from kb.search / kb.services.search, whose import
# loads Whoosh and SQLAlchemy; tests check that they stay equal.
FACET_OPTIONS = ("theme", "landlord", "partner", "city", "audience", "status", "evidence", "year")
SORT_CHOICES = ("relevance", "recent", "title")
MAX_LIMIT = 200
CONTEXT = {"help_option_names": ["-h", "--help"]}


class _FrenchFormatter(click.HelpFormatter):
    """Click's help layout with French headings (click itself ships no translation)."""

    # click appends the colon; French typography wants a space before it.
    SECTIONS = {"Commands": "Commandes ", "Options": "Options ", "Arguments": "Arguments "}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Utilisation : " if prefix is None else prefix)

    def section(self, name: str):  # noqa: ANN201 - click's own context manager
        return super().section(self.SECTIONS.get(name, name))


class _FrenchContext(click.Context):
    formatter_class = _FrenchFormatter


class _FrenchUsageError(click.UsageError):
    """A usage error shown in French: usage line, help hint, then the error."""

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        if self.ctx is not None:
            click.echo(f"{self.ctx.get_usage()}\n« {self.ctx.command_path} --help » pour l'aide.\n",
                       err=True, file=file)
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


def _french(error: click.UsageError, ctx: click.Context) -> _FrenchUsageError:
    if isinstance(error, click.MissingParameter) and error.param is not None:
        message = f"il manque {error.param.get_error_hint(ctx)}."
    elif isinstance(error, click.NoSuchOption):
        message = f"option inconnue : {error.option_name}."
    elif isinstance(error, click.BadParameter) and error.param is not None:
        kind = error.param.type
        if isinstance(kind, click.IntRange):
            expected = f"un nombre entier de {kind.min} à {kind.max}"
        elif isinstance(kind, click.Choice):
            expected = "l'une des valeurs " + ", ".join(map(str, kind.choices))
        else:
            expected = error.message
        message = f"valeur refusée pour {error.param.get_error_hint(ctx)} : attendu {expected}."
    else:
        message = error.format_message()
    return _FrenchUsageError(message, ctx)


# French names for click's default metavars (type names for options, parameter names for
# arguments), so that a command added without ``metavar=`` still reads in French.
_TYPE_METAVARS = {"text": "TEXTE", "integer": "ENTIER", "integer range": "ENTIER",
                  "float": "NOMBRE", "path": "CHEMIN", "filename": "FICHIER"}
_ARGUMENT_METAVARS = {"email": "ADRESSE", "directory": "DOSSIER", "file": "FICHIER",
                      "query": "TEXTE", "slug": "IDENTIFIANT", "name": "NOM"}


class _FrenchCommand(click.Command):
    context_class = _FrenchContext
    options_metavar = "[OPTIONS]"

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        for param in params:
            if param.metavar is not None:
                continue
            if isinstance(param, click.Argument) and param.name in _ARGUMENT_METAVARS:
                param.metavar = _ARGUMENT_METAVARS[param.name]
            elif isinstance(param, click.Option) and not param.is_flag:
                param.metavar = _TYPE_METAVARS.get(param.type.name)
        return params

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except _FrenchUsageError:
            raise
        except click.UsageError as error:
            raise _french(error, ctx) from None


class _FrenchGroup(_FrenchCommand, click.Group):
    command_class = _FrenchCommand
    group_class = type  # subgroups are French groups too

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx: click.Context, args: list[str]):  # noqa: ANN201
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            if args and self.get_command(ctx, args[0]) is None:
                raise _FrenchUsageError(f"commande inconnue : « {args[0]} ».", ctx) from None
            raise


class CommandError(click.ClickException):
    """A refusal explained in French, exit code 1."""

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


def _runtime(need_db: bool = True) -> Runtime:
    from kb.config import Settings
    from kb.runtime import Runtime

    runtime = Runtime.open(Settings.from_env())
    # Close pooled connections when the command ends, not at garbage collection.
    click.get_current_context().call_on_close(runtime.close)
    if need_db and not runtime.database_ready():
        raise CommandError(
            "la base de données n'existe pas encore : lancez d'abord « kb init »"
            f" (base : {runtime.engine.url.render_as_string(hide_password=True)})")
    return runtime


def _folder(path: str) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise CommandError(f"dossier introuvable : {path}")
    return folder


def _print_problems(problems: list) -> None:
    for problem in problems:
        click.echo(f"  {problem}", err=True)


def _import(runtime: Runtime, folder: Path) -> ImportReport:
    from kb.services import corpus as corpus_service
    from kb.services import indexing

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


@click.group(cls=_FrenchGroup, context_settings=CONTEXT,
             help="kb : base de connaissances des pratiques du logement social.\n\n"
                  "Chaque commande lit KB_DATABASE_URL, KB_INDEX_DIR et KB_CORPUS_DIR ; "
                  "« kb COMMANDE --help » décrit ses options.")
def main() -> None:
    pass


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


@main.command(help="Cherche parmi les pratiques publiées.\n\n"
                   "TEXTE : des mots (tous cherchés), des « expressions entre guillemets », "
                   "-mot pour exclure ; vide avec un filtre, liste les pratiques filtrées.")
@click.argument("query", required=False, default="", metavar="[TEXTE]")
@click.option("--theme", multiple=True, metavar="THÈME",
              help="Thème (identifiant ou libellé) ; répété : l'un ou l'autre.")
@click.option("--landlord", multiple=True, metavar="BAILLEUR",
              help="Bailleur (nom, alias ou identifiant) ; répété : l'un ou l'autre.")
@click.option("--partner", multiple=True, metavar="PARTENAIRE",
              help="Partenaire (nom, alias ou identifiant) ; répété : l'un ou l'autre.")
@click.option("--city", multiple=True, metavar="VILLE",
              help="Ville (nom ou identifiant) ; répété : l'une ou l'autre.")
@click.option("--audience", multiple=True, metavar="PUBLIC",
              help="Public (libellé ou identifiant) ; répété : l'un ou l'autre.")
@click.option("--status", multiple=True, metavar="STATUT",
              help="Statut (en-projet, experimentation, en-cours, terminee, essaimee).")
@click.option("--evidence", multiple=True, metavar="NIVEAU",
              help="Niveau de preuve (emergente, prometteuse, eprouvee).")
@click.option("--year", multiple=True, metavar="ANNÉE", help="Année de démarrage.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=10,
              metavar="N", help=f"Nombre de résultats affichés (1 à {MAX_LIMIT} ; 10 par défaut).")
@click.option("--sort", type=click.Choice(SORT_CHOICES), default="relevance",
              help="Ordre : pertinence (relevance, par défaut), plus récentes (recent) ou titre "
                   "(title).")
@click.option("--json", "as_json", is_flag=True,
              help="Affiche un seul objet JSON (total, results, facets, suggestion).")
def search(query: str, limit: int, sort: str, as_json: bool, **filters: tuple[str, ...]) -> None:
    from kb.services import indexing
    from kb.services.browse import practice_cards
    from kb.services.search import response_json, search_practices

    runtime = _runtime()
    with runtime.session(write=False) as session:
        indexing.ensure_index(session, runtime.index)
        wanted = {name: values for name, values in filters.items()
                  if name in FACET_OPTIONS and values}
        response = search_practices(session, runtime.index, query, wanted, limit=limit, sort=sort)
        cards = {} if as_json else practice_cards(session, [hit.slug for hit in response.hits])
    if as_json:
        import json

        click.echo(json.dumps(response_json(response), ensure_ascii=False))
        return
    _print_results(response, cards)


def _print_results(response, cards: dict) -> None:
    """Each hit: title and slug, its snippet as plain text, then landlords and cities."""
    if response.message:
        click.echo(response.message)
    if response.suggestion:
        click.echo(f"Vouliez-vous dire : {response.suggestion} ?")
    click.echo(f"{response.total} pratique(s)")
    for hit in response.hits:
        click.echo(f"\n- {hit.title} [{hit.slug}]")
        if snippet := _plain(hit.snippet):
            click.echo(f"  {snippet}")
        card = cards.get(hit.slug)
        facts = []
        if card and card.landlords:
            facts.append(f"Bailleurs : {', '.join(card.landlords)}")
        if card and card.cities:
            facts.append(f"Villes : {', '.join(card.cities)}")
        if facts:
            click.echo(f"  {' · '.join(facts)}")


def _plain(html_text: str) -> str:
    """A snippet's HTML (escaped text with <mark>) as one line of plain text."""
    import html
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", html_text)).split())


@main.command(help="Reconstruit l'index de recherche à partir de la base (à côté, puis bascule).")
def reindex() -> None:
    from kb.services import indexing

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
@click.option("--dry-run", is_flag=True, help="Signale les écarts sans les réparer.")
def check_index(dry_run: bool) -> None:
    from kb.services import indexing

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

    runtime = _runtime(need_db=False)
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


# -- moderation and personal data ------------------------------------------------


@main.group(help="Comptes des modérateurs.")
def moderator() -> None:
    pass


@moderator.command("add", help="Crée un compte de modérateur (le mot de passe est demandé deux fois).")
@click.argument("email", metavar="ADRESSE")
@click.option("--name", "display_name", default=None, metavar="NOM",
              help="Nom affiché publiquement dans les historiques (sinon « modérateur n° N »).")
@click.password_option("--password", prompt="Mot de passe", confirmation_prompt="Confirmez le mot de passe",
                       metavar="MOT_DE_PASSE",
                       help="Mot de passe (demandé sans écho si absent).")
def moderator_add(email: str, display_name: str | None, password: str) -> None:
    from kb.services.contributions import moderators

    runtime = _runtime()
    try:
        with runtime.session() as session:
            account = moderators.add_moderator(session, email, password, display_name)
            number, address = account.id, account.email
    except moderators.AccountError as exc:
        raise CommandError(str(exc)) from None
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
@click.argument("email", metavar="ADRESSE")
def moderator_remove(email: str) -> None:
    from kb.services.contributions import moderators

    with _runtime().session() as session:
        removed = moderators.remove_moderator(session, email)
    if not removed:
        raise CommandError(f"aucun modérateur n'a l'adresse {email}")
    click.echo(f"Compte supprimé : {email}")


@main.group(help="Courriels : envoi des messages en attente, résumé quotidien des modérateurs.")
def mail() -> None:
    pass


def _mail_settings():
    import os

    from kb.services.mail import MailSettings

    return MailSettings.from_config({key[3:]: value for key, value in os.environ.items()
                                     if key.startswith("KB_")})


@mail.command("send", help="Envoie les messages en attente (ceux qui ont échoué sont réessayés).")
def mail_send() -> None:
    from kb.services import mail as mail_service

    with _runtime().session() as session:
        sent, failed = mail_service.deliver(session, _mail_settings())
    click.echo(f"{sent} message(s) envoyé(s), {failed} en échec (réessayés au prochain envoi).")
    if failed:
        raise SystemExit(1)


@mail.command("digest", help="Résumé des propositions des dernières 24 h aux modérateurs qui l'ont choisi "
                             "(à lancer une fois par jour).")
def mail_digest() -> None:
    from kb.services import mail as mail_service

    settings = _mail_settings()
    with _runtime().session() as session:
        queued = mail_service.queue_digests(session, settings)
    with _runtime().session() as session:
        sent, failed = mail_service.deliver(session, settings)
    click.echo(f"{queued} résumé(s) préparé(s) ; {sent} message(s) envoyé(s), {failed} en échec.")


@main.command("forget-contributor",
              help="Efface le nom et l'adresse d'un contributeur de toutes ses propositions et "
                   "révisions (le contenu reste).")
@click.argument("email", metavar="ADRESSE")
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
