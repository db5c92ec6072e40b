"""Atom feeds of new practices: all of them, or those of one theme, landlord or city.

Every text goes through ``clean``: XML has no place for control characters, and
a practice stored before they were refused must not break the feed (lxml raises).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kb.corpus.fields import strip_controls as clean
from kb.models import LANDLORD, PARTNER, Practice
from kb.services import reuse
from kb.taxonomy import is_slug
from kb.web import db_session
from kb.web.labels import vocab

bp = Blueprint("feeds", __name__)

FEED_SIZE = 50
ATOM = "application/atom+xml; charset=utf-8"
TITLES = {"theme": _l("kb · thème : %(label)s"), "landlord": _l("kb · bailleur : %(label)s"),
          "partner": _l("kb · partenaire : %(label)s"), "city": _l("kb · ville : %(label)s")}


def _utc(value: dt.datetime) -> dt.datetime:
    """Database times are naive UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _authors(practice: Practice) -> list[dict[str, str]]:
    names = [link.organisation.name for link in practice.orgs(LANDLORD) + practice.orgs(PARTNER)]
    return [{"name": clean(name)} for name in dict.fromkeys(names)] or [{"name": "kb"}]


def atom_feed(practices: Sequence[Practice], *, title: str, self_url: str, page_url: str,
              base: str) -> bytes:
    """An Atom 1.0 document: one entry per practice, identified by its absolute URL."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(clean(title))
    feed.subtitle(_("Pratiques du logement social publiées dans kb"))
    feed.author({"name": "kb"})
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=page_url, rel="alternate", type="text/html")
    # The entries are written in French whatever the interface language of the titles.
    feed.language("fr")
    feed.updated(max((_utc(p.updated_at) for p in practices),
                     default=dt.datetime.now(dt.UTC).replace(microsecond=0)))
    for practice in practices:
        url = reuse.page_url(base, "practice", practice.slug)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(clean(practice.title))
        entry.updated(_utc(practice.updated_at))
        entry.published(_utc(practice.created_at))
        entry.author(_authors(practice))
        entry.link(href=url, rel="alternate", type="text/html")
        entry.summary(clean(practice.summary))
        for link in practice.themes:
            entry.category(term=link.theme.slug, label=clean(link.theme.label))
    return feed.atom_str(pretty=True)


def _respond(practices: Sequence[Practice], title: str, page_path: str) -> Response:
    base = request.url_root.rstrip("/")
    body = atom_feed(practices, title=title, self_url=base + request.path,
                     page_url=base + page_path, base=base)
    return Response(body, content_type=ATOM)


@bp.get("/flux.atom")
def everything() -> Response:
    """The newest published practices, whatever their subject."""
    practices = reuse.newest_practices(db_session(), limit=FEED_SIZE)
    return _respond(practices, _("kb · nouvelles pratiques du logement social"), "/")


def _value_feed(facet: str, slug: str) -> Response:
    session = db_session()
    value = reuse.facet_value(session, facet, slug) if is_slug(slug) else None
    if value is None:
        abort(404)
    practices = reuse.newest_practices(session, facet, slug, limit=FEED_SIZE)
    label = vocab(value.label, facet)
    return _respond(practices, str(TITLES[facet]) % {"label": label},
                    reuse.PATHS[facet].format(slug=slug))


@bp.get("/themes/<slug>.atom")
def theme(slug: str) -> Response:
    """New practices of one theme."""
    return _value_feed("theme", slug)


@bp.get("/bailleurs/<slug>.atom")
def landlord(slug: str) -> Response:
    """New practices of one landlord (partners do not count)."""
    return _value_feed("landlord", slug)


@bp.get("/villes/<slug>.atom")
def city(slug: str) -> Response:
    """New practices in one city."""
    return _value_feed("city", slug)


@bp.get("/partenaires/<slug>.atom")
def partner(slug: str) -> Response:
    """New practices naming one organisation as a partner (registry aliases are one partner)."""
    return _value_feed("partner", slug)
