"""Placeholder blueprint, filled by the web front end work."""

from flask import Blueprint

bp = Blueprint("panorama", __name__)
