"""Moderator accounts, outgoing mail and forgetting a contributor."""

from __future__ import annotations

import sys

import click

from kb.cli.base import CommandError, _runtime, main


@main.group(help="Comptes des modérateurs.")
def moderator() -> None:
    pass


def _read_password(from_stdin: bool, prompt: str) -> str:
    """The password typed at a prompt (twice, no echo) or the first line of standard input.

    Never an argument: the process list and the shell history would show it.
    """
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise CommandError("aucun mot de passe sur l'entrée standard")
        return password
    return click.prompt(prompt, hide_input=True, confirmation_prompt="Confirmez le mot de passe")


def _no_password_argument(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        raise CommandError("l'option --password n'existe plus (le mot de passe restait dans la "
                           "liste des processus et l'historique) : il est demandé, ou lu sur "
                           "l'entrée standard avec --password-stdin")


def _password_stdin(command):  # noqa: ANN001, ANN202 - a click decorator
    command = click.option(
        "--password", hidden=True, expose_value=False, callback=_no_password_argument,
        help="Retirée : le mot de passe n'est plus accepté en argument.")(command)
    return click.option(
        "--password-stdin", "password_stdin", is_flag=True,
        help="Lit le mot de passe sur la première ligne de l'entrée standard (scripts), "
             "au lieu de le demander.")(command)


@moderator.command("add", help="Crée un compte de modérateur (le mot de passe est demandé deux fois, "
                               "ou lu sur l'entrée standard avec --password-stdin).")
@click.argument("email", metavar="ADRESSE")
@click.option("--name", "display_name", default=None, metavar="NOM",
              help="Nom affiché publiquement dans les historiques (sinon « modérateur n° N »).")
@_password_stdin
def moderator_add(email: str, display_name: str | None, password_stdin: bool) -> None:
    from kb.services.contributions import moderators

    password = _read_password(password_stdin, "Mot de passe")
    runtime = _runtime()
    try:
        with runtime.session() as session:
            account = moderators.add_moderator(session, email, password, display_name)
            number, address = account.id, account.email
    except moderators.AccountError as exc:
        raise CommandError(str(exc)) from None
    click.echo(f"Modérateur n° {number} créé : {address}")


@moderator.command("password", help="Change le mot de passe d'un compte (ses sessions ouvertes "
                                    "prennent fin) ; demandé deux fois, ou lu sur l'entrée "
                                    "standard avec --password-stdin.")
@click.argument("email", metavar="ADRESSE")
@_password_stdin
def moderator_password(email: str, password_stdin: bool) -> None:
    from kb.services.contributions import moderators

    password = _read_password(password_stdin, "Nouveau mot de passe")
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
              help="Efface le nom et l'adresse d'un contributeur partout : propositions, "
                   "brouillons, révisions, journal de modération, courriels (base et dossier "
                   "outbox), journal des recherches (le contenu reste).")
@click.argument("email", metavar="ADRESSE")
def forget_contributor(email: str) -> None:
    from kb.services.contributions import erasure

    with _runtime().session() as session:
        done = erasure.forget_contributor(session, email, _mail_settings().outbox)
    click.echo(f"{done.records} enregistrement(s) modifié(s) ; {done.journal} entrée(s) du "
               f"journal de modération corrigée(s) ; {done.mails + done.files} courriel(s) "
               f"supprimé(s) ; {done.searches} recherche(s) effacée(s) du journal.")
    if done.left:
        click.echo("Attention : l'adresse figure encore dans du contenu publié, à corriger par "
                   "la modération : " + ", ".join(done.left), err=True)
