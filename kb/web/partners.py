"""``/partenaires``: the organisations that are not social landlords, and a page for each.

Prevention clubs, tenants' associations, cities and State services are listed
by kind with their number of published practices. A partner's page lists its
practices with the part it plays in each (its role as a partner, or landlord),
and links to its feed and to the search filtered on it.
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, render_template, url_for

from kb.services import browse
from kb.taxonomy import is_slug, label_key, slugify
from kb.web import db_session

bp = Blueprint("partners", __name__)


@bp.get("/partenaires")
def index() -> str:
    entries = browse.list_partners(db_session())
    groups = [(kind, slugify(kind), list(items))
              for kind, items in groupby(entries, key=lambda e: e.kind)]
    return render_template("partners/index.html", groups=groups, total=len(entries),
                           section="partners.index")


@bp.get("/partenaires/<slug>")
def show(slug: str) -> str:
    session = db_session()
    organisation = browse.find_organisation(session, slug) if is_slug(slug) else None
    if organisation is None or not browse.is_partner(session, organisation):
        abort(404)
    roles = browse.partner_roles(session, organisation.id)
    aliases = [a.alias for a in organisation.aliases if label_key(a.alias) != label_key(organisation.name)]
    return render_template(
        "partners/show.html", organisation=organisation, roles=roles, aliases=aliases,
        capped=len(roles) >= browse.PARTNER_PRACTICES_MAX,
        feed_url=url_for("feeds.partner", slug=slug),
        search_url=url_for("search.results", partner=slug),
        csv_url=url_for("exports.search_csv", partner=slug), section="partners.index")
