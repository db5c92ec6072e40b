"""Placeholder blueprint, filled by the web front end work."""

from flask import Blueprint

bp = Blueprint("practices", __name__)
