"""Blueprint registration: one blueprint per area, all under /api."""

from flask_smorest import Api, Blueprint

from backend.input_limits import BoundedArgumentsParser

# Every blueprint's arguments go through one parser that refuses integers no column can
# hold (422 naming the field). Set on import of this package, so before any blueprint
# module below it binds the parser into its views.
Blueprint.ARGUMENTS_PARSER = BoundedArgumentsParser()


def register_blueprints(api: Api) -> None:
    from backend.api.audit.resources import blp as audit_blp
    from backend.api.auth.resources import blp as auth_blp
    from backend.api.binder.resources import blp as binder_blp
    from backend.api.blobs.resources import blp as blobs_blp
    from backend.api.curriculum.resources import blp as curriculum_blp
    from backend.api.interop import exports, reports, resources  # noqa: F401 (their routes)
    from backend.api.interop.blueprint import blp as interop_blp
    from backend.api.mastery.resources import blp as mastery_blp
    from backend.api.roster.resources import blp as roster_blp
    from backend.api.teaching.resources import blp as teaching_blp

    for blp in (auth_blp, binder_blp, blobs_blp, curriculum_blp, mastery_blp, roster_blp,
                teaching_blp, interop_blp, audit_blp):
        api.register_blueprint(blp)
    from backend.api.privacy.resources import blp as privacy_blp  # issue 13's duties

    api.register_blueprint(privacy_blp)
    from backend.api.cards.resources import blp as cards_blp  # sign-in cards (issue 15 #7)

    api.register_blueprint(cards_blp)
    from backend.api.credentials import blp as credentials_blp  # OB 3.0 / CLR 2.0 (issue 17)

    api.register_blueprint(credentials_blp)
    from backend.api.growth import blp as growth_blp  # teacher microcredentials (issue 17)

    api.register_blueprint(growth_blp)
    try:  # the sync area lands with the sync engine
        from backend.api.sync import register as register_sync
    except ImportError:
        return
    register_sync(api)
