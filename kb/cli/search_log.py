"""``kb search-log``: the public search log kept for moderators."""

from __future__ import annotations

import click

from kb.cli.base import _runtime, main


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
