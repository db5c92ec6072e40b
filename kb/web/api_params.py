"""The query parameters of ``/api/v1``: each parses the request strictly and describes itself.

A bad value raises ``ApiError`` (a 400 with a French message); ``Param.schema``
writes the same rule into the OpenAPI document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from kb.models import EVIDENCE_LEVELS, PRACTICE_STATUSES
from kb.search import SORTS
from kb.services.search import MAX_LIMIT
from kb.taxonomy import slugify

MAX_TEXT = 200
MAX_VALUES = 20
MAX_OFFSET = 10_000
_INTEGER = re.compile(r"-?[0-9]{1,9}")


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Param:
    """A query parameter: how to read it and how OpenAPI describes it."""

    name: str
    description: str
    type: str = "string"  # or "integer"
    many: bool = False
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None

    def schema(self) -> dict[str, Any]:
        item: dict[str, Any] = {"type": self.type}
        if self.enum:
            item["enum"] = list(self.enum)
        if self.type == "string" and not self.enum:
            item["maxLength"] = MAX_TEXT
        for key, value in (("minimum", self.minimum), ("maximum", self.maximum)):
            if value is not None:
                item[key] = value
        if self.many:
            return {"type": "array", "items": item, "maxItems": MAX_VALUES}
        if self.default is not None:
            item["default"] = self.default
        return item

    def read(self, args: MultiDict) -> Any:
        values = args.getlist(self.name)
        if not self.many:
            return self._one(values[0]) if values else self.default
        if len(values) > MAX_VALUES:
            raise ApiError(400, _("Le paramètre « %(name)s » est répété plus de %(max)d fois.",
                                  name=self.name, max=MAX_VALUES))
        return [self._one(v) for v in values]

    def _one(self, raw: str) -> Any:
        if self.type == "integer":
            if not _INTEGER.fullmatch(raw):
                raise ApiError(400, _("Le paramètre « %(name)s » doit être un nombre entier.",
                                      name=self.name))
            value = int(raw)
            if (self.minimum is not None and value < self.minimum) or (
                    self.maximum is not None and value > self.maximum):
                raise ApiError(400, _("Le paramètre « %(name)s » doit être compris entre %(low)s "
                                      "et %(high)s.", name=self.name, low=self.minimum,
                                      high=self.maximum))
            return value
        if self.enum and raw not in self.enum:
            raise ApiError(400, _("Valeur inconnue pour « %(name)s » : attendu %(values)s.", name=self.name,
                                  values=", ".join(self.enum)))
        if len(raw) > MAX_TEXT:
            raise ApiError(400, _("Le paramètre « %(name)s » dépasse %(max)d caractères.",
                                  name=self.name, max=MAX_TEXT))
        return raw


def _filter(name: str, what: str, **kw: Any) -> Param:
    return Param(name, f"{what} Répété : l'un ou l'autre (OU) ; filtres différents : ET.",
                 many=True, **kw)


Q = Param("q", "Texte recherché : mots, « expression exacte » entre guillemets, -mot pour exclure.",
          default="")
FILTERS = (
    _filter("theme", "Thème : identifiant (slug) ou libellé."),
    _filter("landlord", "Bailleur : identifiant, nom ou alias (« 3F »)."),
    _filter("partner", "Partenaire (organisation non bailleur) : identifiant, nom ou alias."),
    _filter("city", "Ville : identifiant ou nom."),
    _filter("audience", "Public : identifiant ou libellé."),
    _filter("status", "Statut (identifiant).", enum=tuple(slugify(s) for s in PRACTICE_STATUSES)),
    _filter("evidence", "Niveau de preuve (identifiant).",
            enum=tuple(slugify(e) for e in EVIDENCE_LEVELS)),
    _filter("year", "Année de démarrage.", type="integer", minimum=1900, maximum=2100),
)
LIMIT = Param("limit", "Nombre de résultats renvoyés.", type="integer", minimum=1, maximum=MAX_LIMIT,
              default=20)
OFFSET = Param("offset", "Nombre de résultats sautés (pagination).", type="integer", minimum=0,
               maximum=MAX_OFFSET, default=0)
SORT = Param("sort", "Ordre : pertinence (titre sans texte recherché), plus récentes, titre.",
             enum=SORTS, default="relevance")
SEARCH_PARAMS = (Q, *FILTERS, LIMIT, OFFSET, SORT)
