"""The server side of sync: the sync library (sync/) run over the database.

    push     a device's batch: references checked, rows locked, one flush, answers kept
    store    the library's Store over the database, for one push batch
    caps     the count caps of sync/caps.py over the database
    codecs   the library's plain rows ⇄ the typed SQLAlchemy models
    pull     every row the caller may read that changed after their cursor (paging)
    visibility  who may read which rows (every pull and phase) and write which (a push)
    computed the level, topic progress and suggestion rows a pull carries, cached
    clients  a device's page of a pull with its bookkeeping (last seq, last pull, clock)
    phases   a new device's first sync in phases (current state, then history)

The HTTP views are backend/api/sync/ (thin: parse, call, answer). The device's twin of
each file is in assets/sync/ (assets/sync/README.md, "Twins").
"""
