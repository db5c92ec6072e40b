"""``kb search``: the published practices from the terminal, as text or JSON."""

from __future__ import annotations

import click

from kb.cli.base import _runtime, main

# Kept here rather than imported from kb.search / kb.services.search, whose import
# loads Whoosh and SQLAlchemy; tests check that they stay equal.
FACET_OPTIONS = ("theme", "landlord", "partner", "city", "audience", "status", "evidence", "year")
SORT_CHOICES = ("relevance", "recent", "title")
MAX_LIMIT = 200


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
    wanted = {name: values for name, values in filters.items() if name in FACET_OPTIONS and values}
    response = _quick(query, wanted, limit, sort) or _full(query, wanted, limit, sort)
    if as_json:
        import json

        from kb.services.search import response_json

        click.echo(json.dumps(response_json(response), ensure_ascii=False))
        return
    from kb.services.search import hit_cards

    _print_results(response, hit_cards(response.hits))


def _quick(query: str, wanted: dict, limit: int, sort: str):  # noqa: ANN202 - SearchResponse
    """The search without SQLAlchemy (see kb.services.search_reads); None when it can't be."""
    from kb.config import Settings
    from kb.search import SearchIndex
    from kb.services.search import search_current
    from kb.services.search_reads import SqliteReads

    settings = Settings.from_env()
    reads = SqliteReads.open(settings.database_url)
    if reads is None:
        return None
    try:
        return search_current(reads, SearchIndex(settings.index_dir), query, wanted,
                              limit=limit, sort=sort)
    finally:
        reads.close()


def _full(query: str, wanted: dict, limit: int, sort: str):  # noqa: ANN202 - SearchResponse
    """Through the database layer: builds or catches the index up first."""
    from kb.services import indexing
    from kb.services.search import search_practices

    runtime = _runtime()
    with runtime.session(write=False) as session:
        indexing.ensure_index(session, runtime.index)
        return search_practices(session, runtime.index, query, wanted, limit=limit, sort=sort)


def _print_results(response, cards: dict) -> None:
    """Each hit: title and slug, its snippet as plain text, then landlords and cities."""
    if response.message:
        click.echo(response.message)
    unknown = list(response.unknown_terms)
    if unknown:
        # As on the search page: a word found nowhere is said plainly.
        if len(unknown) == 1:
            click.echo(f"Aucune pratique ne parle de « {unknown[0]} ».")
        else:
            click.echo("Aucune pratique ne parle de ces mots : "
                       f"{', '.join(f'« {w} »' for w in unknown)}.")
        click.echo("Parcourir les thèmes : kb search --theme THÈME, ou la page /themes du site.")
    if response.suggestion:
        click.echo(f"Vouliez-vous dire : {response.suggestion} ?")
    if response.expanded:  # the thesaurus
        click.echo(f"Recherche élargie à : {', '.join(response.expanded)}")
    click.echo(f"{response.total} pratique(s)")
    missing = [w for w in response.missing_terms if w not in unknown]
    if response.partial and response.total and (missing or not unknown):
        # As on the search page: say which words the results lack (``partial``: no
        # practice holds every word).
        if missing:
            click.echo(f"Résultats sans : {', '.join(missing)} ; aucune pratique ne contient "
                       "tous les mots.")
        else:
            click.echo("Aucune pratique ne contient tous les mots : les suivantes en contiennent "
                       "une partie.")
    for hit in response.hits:
        click.echo(f"\n- {hit.title} [{hit.slug}]")
        if hit.missing:
            click.echo(f"  Sans : {', '.join(hit.missing)}")
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
