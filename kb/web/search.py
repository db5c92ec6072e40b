"""Placeholder blueprint, filled by the web front end work."""

from flask import Blueprint

bp = Blueprint("search", __name__)
