"""A Jepsen-style checker for the sync engine (issue 16, item 2): `python -m tests.consistency`."""
