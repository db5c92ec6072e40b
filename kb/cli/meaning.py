"""``kb embed``: the meaning layer's vectors, and the step ``kb import``/``kb reindex`` end with."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from kb.cli.base import _runtime, main

if TYPE_CHECKING:
    from kb.runtime import Runtime


def embed_missing(runtime: Runtime, prune: bool = False) -> int:
    """Compute the vectors published practices lack, with a progress bar; how many.

    Practices are searchable by their words before this starts: a practice
    whose vectors are not made yet is found lexically, never by meaning.
    """
    from kb.services import hybrid, meaning

    if not hybrid.enabled():
        return 0
    with runtime.session() as session:
        missing = meaning.missing_count(session)
        if not missing and not prune:
            return 0
        with click.progressbar(length=missing, label="Vecteurs de sens", file=sys.stderr) as bar:
            return meaning.embed_missing(session, progress=bar.update, prune=prune)


@main.command(help="Calcule les vecteurs de sens des pratiques publiées qui n'en ont pas encore "
                   "(la recherche par le sens) ; supprime ceux d'un contenu disparu.")
def embed() -> None:
    from kb.services import hybrid

    if not hybrid.enabled():
        click.echo("Couche de sens désactivée (KB_MEANING=0) : aucun vecteur calculé.")
        return
    count = embed_missing(_runtime(), prune=True)
    click.echo(f"{count} pratique(s) vectorisée(s).")
