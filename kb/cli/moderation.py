"""Moderator accounts, outgoing mail and forgetting a contributor."""

from __future__ import annotations

import click

from kb.cli.base import CommandError, _runtime, main


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
