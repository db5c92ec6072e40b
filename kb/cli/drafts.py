"""``kb drafts``: saved contribution drafts, erased when left untouched too long."""

from __future__ import annotations

import os

import click

from kb.cli.base import _runtime, main

DEFAULT_DAYS = 90  # the web app's default too (kb.web.contribute.propose.DEFAULT_DRAFT_DAYS)


@main.group(help="Brouillons de contribution enregistrés.")
def drafts() -> None:
    pass


@drafts.command("purge", help="Efface les brouillons sans modification depuis KB_DRAFT_DAYS jours "
                              "(90 par défaut), avec le nom, l'adresse et les courriels de leur "
                              "auteur.")
@click.option("--days", type=click.IntRange(1), default=None,
              help="Efface ceux qui n'ont pas été modifiés depuis N jours.")
def drafts_purge(days: int | None) -> None:
    from kb.services.contributions import submissions

    keep = days if days is not None else int(os.environ.get("KB_DRAFT_DAYS") or DEFAULT_DAYS)
    with _runtime().session() as session:
        removed = submissions.purge_drafts(session, max(keep, 1))
    click.echo(f"{removed} brouillon(s) effacé(s) : ceux qui n'avaient pas été modifiés depuis "
               f"{max(keep, 1)} jours.")
