"""Published and withdrawn practices as moderators see them, their history, the journal."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kb import storage
from kb.corpus import dump_practice
from kb.services import moderation as service
from kb.services.contributions import revisions
from kb.taxonomy import is_slug
from kb.web import db_session, review, runtime
from kb.web.labels import translate
from kb.web.moderation import bp
from kb.web.moderation.decisions import sync_practice


@bp.get("/pratiques")
def practices():
    return render_template("moderation/practices.html",
                           practices=service.find_all_practices(db_session()))


def _set_published(slug: str, published: bool):
    with runtime().session() as write:
        found = service.set_published(write, slug, published, g.moderator)
    if not found:
        abort(404)
    sync_practice(slug)
    flash(_("Pratique remise en ligne.") if published else
          _("Pratique retirée : elle n’est plus visible ni cherchable."))
    return redirect(url_for("moderation.practices"), 303)


@bp.post("/pratiques/<slug>/retirer")
def unpublish(slug: str):
    return _set_published(slug, False)


@bp.post("/pratiques/<slug>/republier")
def republish(slug: str):
    return _set_published(slug, True)


@bp.get("/pratiques/<slug>.md")
def markdown(slug: str):
    practice = storage.get_practice(db_session(), slug, published_only=False) \
        if is_slug(slug) else None
    if practice is None:
        abort(404)
    text = dump_practice(storage.practice_record(practice))
    return Response(text, mimetype="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="{slug}.md"'})


@bp.get("/pratiques/<slug>/historique")
def history(slug: str):
    """Every revision, the unpublished ones included, with the purge form."""
    practice = storage.get_practice(db_session(), slug, published_only=False) \
        if is_slug(slug) else None
    if practice is None:
        abort(404)
    found = revisions.find_revisions(db_session(), practice.id, public_only=False)
    return render_template("moderation/history.html", practice=practice,
                           revisions=list(reversed(found)))


@bp.post("/pratiques/<slug>/historique/<int:number>/purger")
def purge(slug: str, number: int):
    practice = storage.get_practice(db_session(), slug, published_only=False) \
        if is_slug(slug) else None
    if practice is None:
        abort(404)
    try:
        with runtime().session() as write:
            row = storage.get_practice(write, slug, published_only=False)
            service.purge_revision(write, row, number, request.form.get("reason", ""), g.moderator)
        flash(_("Le contenu de la version %(n)d est retiré de l’historique ; le journal le garde.",
                n=number))
    except service.ModerationError as exc:
        flash(translate(exc.message))
    return redirect(url_for("moderation.history", slug=slug), 303)


@bp.get("/journal")
def journal():
    entries = service.find_audit(db_session())
    titles = review.journal_titles(entries)
    lines = [(review.local_time(e.at), review.journal_sentence(e, titles), *review.journal_reason(e))
             for e in entries]
    return render_template("moderation/journal.html", lines=lines)
