"""Shared class devices: a teacher or admin, signed in on a device, marks it shared; cards
sign in only there. The device's token lives in an httpOnly cookie (scripts never see it);
the server keeps only its digest. Teachers see and revoke the devices they marked, admins
every device of the school.
"""

from flask import current_app, jsonify, request
from flask.views import MethodView
from flask_jwt_extended import current_user

from backend.api.auth.cookies import _secure
from backend.api.cards.resources import blp
from backend.api.cards.schemas import DeviceSchema, ThisDeviceSchema
from backend.auth import login_required
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import gettext
from backend.models import SharedDevice
from backend.services import sign_in_cards as cards

DEVICE_NOT_FOUND = "That device was not found among the shared devices you can change."
COOKIE_DAYS = 400  # the longest a browser keeps a cookie


def this_device() -> SharedDevice | None:
    """The live shared device this request comes from (its cookie), or None."""
    return cards.device_for(request.cookies.get(cards.DEVICE_COOKIE))


@blp.route("/devices")
class Devices(MethodView):
    @login_required("teacher", "admin")
    @blp.response(200, DeviceSchema(many=True))
    def get(self):
        """Shared devices: the ones the teacher marked, or all of the school's (admin)."""
        return cards.devices_for(current_user)

    @login_required("teacher", "admin")
    @blp.arguments(DeviceSchema)
    @blp.response(201, DeviceSchema)
    def post(self, body):
        """Mark THIS device (the one sending the request) as a shared class device."""
        name = " ".join(body["name"].split())
        if not name:
            message = gettext("Give the device a name, like “Room 12 iPad 3”.")
            raise AppError(message, status=422, errors={"json": {"name": [message]}})
        old = this_device()
        if old is not None and old.school_id == current_user.school_id:
            cards.revoke_device(current_user, old)  # one token per browser
        device, token = cards.register_device(current_user, name)
        response = jsonify(DeviceSchema().dump(device))
        response.status_code = 201
        response.set_cookie(cards.DEVICE_COOKIE, token, max_age=COOKIE_DAYS * 86400,
                            secure=_secure(), httponly=True,
                            samesite=current_app.config["JWT_COOKIE_SAMESITE"], path="/api")
        return response


@blp.route("/devices/this")
class ThisDevice(MethodView):
    @blp.response(200, ThisDeviceSchema)
    def get(self):
        """Whether this device is a shared class device (no sign-in needed: the sign-in
        page asks it to offer "Sign in with my card")."""
        device = this_device()
        return {"shared": device is not None, "name": device.name if device else ""}


@blp.route("/devices/<int:device_id>")
class DeviceById(MethodView):
    @login_required("teacher", "admin")
    @blp.response(204)
    def delete(self, device_id):
        """No card signs in on this device from now on."""
        device = db.session.get(SharedDevice, device_id)
        if device is None or device.revoked_at is not None or device.school_id != \
                current_user.school_id or (current_user.role != "admin"
                                           and device.created_by != current_user.id):
            raise AppError(gettext(DEVICE_NOT_FOUND), status=404)
        cards.revoke_device(current_user, device)
