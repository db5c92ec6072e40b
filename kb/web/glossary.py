"""``/glossaire``: the acronyms of the field; proposals from anyone; moderation of both.

Public: the list (one anchor per acronym, so practice pages link to
``/glossaire#QPV``) and a small proposal form. A proposal publishes nothing:
it waits in ``/moderation/glossaire``, where moderators also add, edit and
remove terms. Every form carries a CSRF token (Flask-WTF, see kb.web.security).
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from kb import storage
from kb.corpus.glossary import GlossaryRecord
from kb.services import glossary as service
from kb.services.reuse import jsonld
from kb.web import db_session, runtime
from kb.web.moderation import no_store, require_moderator
from kb.web.security import check_rate

bp = Blueprint("glossary", __name__)
mod = Blueprint("moderation", __name__, url_prefix="/moderation/glossaire")
mod.before_request(require_moderator)
mod.after_request(no_store)
FIELDS = ("acronym", "expansion", "definition", "source_title", "source_url")
# check_term names the fields of the file; the forms name them flat.
_FORM_FIELD = {"source": "source_title", "title": "source_title", "url": "source_url"}


def _form_values(record: GlossaryRecord | None = None) -> dict[str, str]:
    if record is not None:
        return {name: getattr(record, name) or "" for name in FIELDS}
    return {name: request.form.get(name, "")[:2000] for name in FIELDS}


def _form_errors(error: service.TermError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, message in error.errors.items():
        errors.setdefault(_FORM_FIELD.get(key, key), []).append(message)
    return errors


@bp.get("/glossaire")
def index() -> str:
    terms = service.find_terms(db_session())
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.acronym[0])]
    record = jsonld.glossary(terms, request.url_root.rstrip("/"), "Glossaire des sigles")
    return render_template("glossary/index.html", letters=letters, count=len(terms),
                           jsonld=Markup(jsonld.script_text(record)))


@bp.route("/glossaire/proposer", methods=["GET", "POST"])
def propose():
    values, errors = _form_values(), {}
    if request.method == "POST":
        check_rate("contribution")
        try:
            record = service.term_from_form(request.form)
        except service.TermError as exc:
            errors = _form_errors(exc)
        else:
            with runtime().session() as session:
                service.propose_term(session, record)
            flash(_("Merci ! Votre proposition sera relue par un modérateur avant d’être publiée."))
            return redirect(url_for("glossary.index"), 303)
    return render_template("glossary/propose.html", values=values, errors=errors), (
        400 if errors else 200)


# -- moderation ---------------------------------------------------------------------

def _moderation_page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    session = db_session()
    return render_template("glossary/moderation.html", terms=service.find_terms(session),
                           proposals=service.find_proposals(session),
                           values=values or dict.fromkeys(FIELDS, ""), errors=errors or {}), status


@mod.get("")
def moderation():
    return _moderation_page()


@mod.post("/ajouter")
def add():
    try:
        record = service.term_from_form(request.form)
        with runtime().session() as session:
            service.add_term(session, record, g.moderator)
    except service.TermError as exc:
        return _moderation_page(_form_values(), _form_errors(exc), 400)
    flash(_("Sigle ajouté : %(acronym)s", acronym=record.acronym))
    return redirect(url_for("glossary.moderation.moderation"), 303)


@mod.route("/<acronym>/modifier", methods=["GET", "POST"])
def edit(acronym: str):
    term = storage.get_glossary_term(db_session(), acronym)
    if term is None:
        abort(404)
    values, errors, status = _form_values(storage.glossary_record(term)), {}, 200
    if request.method == "POST":
        values = _form_values()
        try:
            record = service.term_from_form(request.form)
            with runtime().session() as session:
                service.edit_term(session, acronym, record, g.moderator)
        except service.TermError as exc:
            errors, status = _form_errors(exc), 400
        else:
            flash(_("Sigle modifié : %(acronym)s", acronym=record.acronym))
            return redirect(url_for("glossary.moderation.moderation"), 303)
    return render_template("glossary/edit.html", acronym=acronym, values=values,
                           errors=errors), status


@mod.post("/<acronym>/supprimer")
def remove(acronym: str):
    with runtime().session() as session:
        if not service.remove_term(session, acronym, g.moderator):
            abort(404)
    flash(_("Sigle retiré du glossaire : %(acronym)s", acronym=acronym))
    return redirect(url_for("glossary.moderation.moderation"), 303)


@mod.post("/propositions/<int:proposal_id>/accepter")
def accept(proposal_id: int):
    with runtime().session() as session:
        acronym = service.accept_proposal(session, proposal_id, g.moderator)
    if acronym is None:
        abort(404)
    flash(_("Proposition publiée : %(acronym)s", acronym=acronym))
    return redirect(url_for("glossary.moderation.moderation"), 303)


@mod.post("/propositions/<int:proposal_id>/refuser")
def refuse(proposal_id: int):
    with runtime().session() as session:
        acronym = service.refuse_proposal(session, proposal_id, g.moderator)
    if acronym is None:
        abort(404)
    flash(_("Proposition refusée : %(acronym)s", acronym=acronym))
    return redirect(url_for("glossary.moderation.moderation"), 303)


bp.register_blueprint(mod)
