"""Sync engine through HTTP: vectors, properties, pull, push, the Done-when scenario."""
