"""Limits and labels shared by the draft and its checks: rows shown, column sizes,
field names as the form shows them."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

MIN_ROWS = {"landlords": 2, "partners": 2, "sources": 3, "cities": 2, "audiences": 2,
            "inspired_by": 1}
MAX_ROWS = 30
SOURCE_FIELDS = ("title", "url", "date", "publisher")
LIST_FIELDS = ("cities", "districts", "audiences")
LINE_ROWS = ("cities", "audiences", "inspired_by")  # one input a value, kept one a line
# Names the corpus messages use (front matter keys) -> what the form shows.
FIELD_LABELS = {
    "title": "Titre", "summary": "Résumé", "themes": "Thèmes", "landlords": "Bailleurs",
    "partners": "Partenaires", "cities": "Villes", "districts": "Quartiers",
    "audiences": "Publics", "status": "Statut", "started": "Début", "ended": "Fin",
    "evidence": "Niveau de preuve", "inspired_by": "Inspirée de", "sources": "Sources",
    "contact": "Contact", "url": "Adresse", "publisher": "Éditeur", "licence": "Licence",
    "change_note": "Ce que vous avez changé",
}
# Column sizes of the database, checked here so PostgreSQL never refuses a row.
MAX_LENGTHS = {"title": 300, "label": 300, "role": 300, "source_title": 500, "url": 1000,
               "publisher": 300, "name": 200, "email": 320, "body": 100_000, "note": 2000}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A link in a name would ride along in any message that greets the person.
URL_IN_TEXT_RE = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|\b[\w-]+\.(?:[a-z]{2,})(?:/|\b))",
                            re.IGNORECASE)


def single_address(text: str) -> str | None:
    """``text`` as one deliverable-looking e-mail address (normalised), or None.

    Syntax only, no network (email-validator with ``check_deliverability=False``);
    refused besides: a comma (two recipients for a mailer that reads the header) and
    an encoded word (``=?...?=``), which a header would decode into anything.
    """
    text = text.strip()
    if not text or len(text) > MAX_LENGTHS["email"] or "," in text or "=?" in text \
            or not EMAIL_RE.match(text):
        return None
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=False,
                                 allow_quoted_local=False, allow_domain_literal=False)
    except EmailNotValidError:
        return None
    return checked.normalized
