"""``/thesaurus``: the field's equivalent terms; proposals from anyone; moderation of both.

Public: the list of groups (one anchor per group) and a proposal form. A
proposal publishes nothing: it waits in ``/moderation/thesaurus``, where
moderators also add, edit and remove groups. The forms take one term a line
and work without JavaScript; every form carries a CSRF token (Flask-WTF, see
kb.web.security).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kb import storage
from kb.corpus.thesaurus import ThesaurusRecord, sort_key, term_key
from kb.models import ThesaurusGroup
from kb.services import thesaurus as service
from kb.web import db_session, runtime
from kb.web.moderation import no_store, require_moderator
from kb.web.security import check_rate

bp = Blueprint("thesaurus", __name__)
mod = Blueprint("moderation", __name__, url_prefix="/moderation/thesaurus")
mod.before_request(require_moderator)
mod.after_request(no_store)
FIELDS = ("terms", "narrower", "source_title", "source_url")
# check_group names the fields of the file; the forms name them flat.
_FORM_FIELD = {"source": "source_title", "title": "source_title", "url": "source_url"}


def _form_values(record: ThesaurusRecord | None = None) -> dict[str, str]:
    if record is not None:
        return {"terms": "\n".join(record.terms), "narrower": "\n".join(record.narrower),
                "source_title": record.source_title or "", "source_url": record.source_url or ""}
    return {name: request.form.get(name, "")[:4000] for name in FIELDS}


def _form_errors(error: service.GroupError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, message in error.errors.items():
        errors.setdefault(_FORM_FIELD.get(key, key), []).append(message)
    return errors


def anchor(group: ThesaurusGroup) -> str:
    """The fragment of a group on ``/thesaurus`` (its first term as a slug)."""
    return f"t-{term_key(group.label)}"


def _entries(groups: list[ThesaurusGroup]) -> list[tuple[ThesaurusGroup, ThesaurusRecord]]:
    pairs = [(group, storage.thesaurus_record(group)) for group in groups]
    return sorted(pairs, key=lambda pair: sort_key(pair[1]))


@bp.get("/thesaurus")
def index() -> str:
    entries = _entries(service.find_groups(db_session()))
    return render_template("thesaurus/index.html", entries=entries, anchor=anchor)


@bp.route("/thesaurus/proposer", methods=["GET", "POST"])
def propose():
    values, errors = _form_values(), {}
    if request.method == "POST":
        check_rate("contribution")
        try:
            record = service.group_from_form(request.form)
        except service.GroupError as exc:
            errors = _form_errors(exc)
        else:
            with runtime().session() as session:
                service.propose_group(session, record)
            flash(_("Merci ! Votre proposition sera relue par un modérateur avant d’être publiée."))
            return redirect(url_for("thesaurus.index"), 303)
    return render_template("thesaurus/propose.html", values=values, errors=errors), (
        400 if errors else 200)


# -- moderation ---------------------------------------------------------------------

def _moderation_page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    session = db_session()
    proposals = [(p, storage.thesaurus_record(p), service.proposal_clash(session, p))
                 for p in service.find_proposals(session)]
    return render_template("thesaurus/moderation.html",
                           entries=_entries(service.find_groups(session)), proposals=proposals,
                           values=values or dict.fromkeys(FIELDS, ""), errors=errors or {},
                           anchor=anchor), status


@mod.get("")
def moderation():
    return _moderation_page()


@mod.post("/ajouter")
def add():
    try:
        record = service.group_from_form(request.form)
        with runtime().session() as session:
            service.add_group(session, record, g.moderator)
    except service.GroupError as exc:
        return _moderation_page(_form_values(), _form_errors(exc), 400)
    flash(_("Groupe ajouté : %(label)s", label=record.label))
    return redirect(url_for("thesaurus.moderation.moderation"), 303)


@mod.route("/<int:group_id>/modifier", methods=["GET", "POST"])
def edit(group_id: int):
    group = storage.get_thesaurus_group(db_session(), group_id)
    if group is None:
        abort(404)
    label = group.label
    values, errors, status = _form_values(storage.thesaurus_record(group)), {}, 200
    if request.method == "POST":
        values = _form_values()
        try:
            record = service.group_from_form(request.form)
            with runtime().session() as session:
                if not service.edit_group(session, group_id, record, g.moderator):
                    abort(404)
        except service.GroupError as exc:
            errors, status = _form_errors(exc), 400
        else:
            flash(_("Groupe modifié : %(label)s", label=record.label))
            return redirect(url_for("thesaurus.moderation.moderation"), 303)
    return render_template("thesaurus/edit.html", group_id=group_id, label=label, values=values,
                           errors=errors), status


@mod.post("/<int:group_id>/supprimer")
def remove(group_id: int):
    with runtime().session() as session:
        label = service.remove_group(session, group_id, g.moderator)
    if label is None:
        abort(404)
    flash(_("Groupe retiré du thésaurus : %(label)s", label=label))
    return redirect(url_for("thesaurus.moderation.moderation"), 303)


@mod.post("/propositions/<int:proposal_id>/accepter")
def accept(proposal_id: int):
    try:
        with runtime().session() as session:
            label = service.accept_proposal(session, proposal_id, g.moderator)
    except service.GroupError as exc:
        flash(_("Proposition non publiée : %(reason)s", reason=" ; ".join(exc.errors.values())))
        return redirect(url_for("thesaurus.moderation.moderation"), 303)
    if label is None:
        abort(404)
    flash(_("Proposition publiée : %(label)s", label=label))
    return redirect(url_for("thesaurus.moderation.moderation"), 303)


@mod.post("/propositions/<int:proposal_id>/refuser")
def refuse(proposal_id: int):
    with runtime().session() as session:
        label = service.refuse_proposal(session, proposal_id, g.moderator)
    if label is None:
        abort(404)
    flash(_("Proposition refusée : %(label)s", label=label))
    return redirect(url_for("thesaurus.moderation.moderation"), 303)


bp.register_blueprint(mod)
