"""Reusable widgets: page shell with nav, level badge, empty state, binder view."""
