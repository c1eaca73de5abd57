"""Marshmallow shapes shared by the HTTP layer and the domain (exports, reports)."""
