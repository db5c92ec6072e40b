"""Placeholder blueprint, filled by the web front end work."""

from flask import Blueprint

bp = Blueprint("exports", __name__)
