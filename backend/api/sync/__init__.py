"""The sync area: push and pull."""

from flask_smorest import Api


def register(api: Api) -> None:
    from backend.api.sync.resources import blp

    api.register_blueprint(blp)
