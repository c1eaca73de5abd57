"""The sync area: push, pull and the conflicts inbox."""

from flask_smorest import Api


def register(api: Api) -> None:
    from backend.api.sync.resources import blp, conflicts_blp

    api.register_blueprint(blp)
    api.register_blueprint(conflicts_blp)
