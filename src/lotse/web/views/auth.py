"""Login with password and a second factor (TOTP, django-otp)."""

import base64
import io
import time

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lotse.audit import auth_events
from lotse.organisations.models import StaffTOTPDevice
from lotse.organisations.services import TOTP_TOLERANCE, enrolment_code_consume, enrolment_code_valid
from lotse.web.forms import EnrolmentForm, LoginForm, TokenForm
from lotse.web.middleware import SESSION_STARTED_KEY


def _log(request: HttpRequest, action: str, *, user=None, denied: bool = False) -> None:
    auth_events.log_auth_event(action, user=user, denied=denied, request_id=request.request_id)


def lockout_response(request, *args, **kwargs) -> HttpResponse:
    _log(request, auth_events.LOCKED_OUT, denied=True)
    form = LoginForm()
    return render(
        request, "web/login.html",
        {"form": form, "locked": True},
        status=429,
    )


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is not None and user.agency_id is not None:
            login(request, user)  # rotates the session key
            request.session[SESSION_STARTED_KEY] = time.time()
            _log(request, auth_events.PASSWORD_OK, user=user)
            return redirect("web:otp")
        _log(request, auth_events.PASSWORD_FAILED, denied=True)
        form.add_error(None, _("User name or password is wrong."))
    return render(request, "web/login.html", {"form": form, "expired": "expired" in request.GET})


def _confirmed_device(user) -> StaffTOTPDevice | None:
    return StaffTOTPDevice.objects.filter(user=user, confirmed=True).first()


def otp_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web:login")
    if request.user.is_verified():
        return redirect("web:home")
    device = _confirmed_device(request.user)
    if device is None:
        return redirect("web:otp-setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            request.session.cycle_key()
            _log(request, auth_events.OTP_OK, user=request.user)
            return redirect("web:home")
        _log(request, auth_events.OTP_FAILED, user=request.user, denied=True)
        form.add_error("token", _("The code is wrong or was already used."))
    return render(request, "web/otp.html", {"form": form})


def _qr_data_uri(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def otp_setup_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web:login")
    if _confirmed_device(request.user) is not None:
        return redirect("web:otp")
    device, _created = StaffTOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Lotse", "tolerance": TOTP_TOLERANCE}
    )
    if not device.seed_readable():  # sealed with a key that is gone: it can never be checked, start afresh
        device.delete()
        device = StaffTOTPDevice.objects.create(user=request.user, confirmed=False, name="Lotse",
                                                tolerance=TOTP_TOLERANCE)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not enrolment_code_valid(user=request.user, code=form.cleaned_data["enrolment_code"]):
            _log(request, auth_events.ENROLMENT_CODE_REFUSED, user=request.user, denied=True)
            form.add_error("enrolment_code", _("The enrolment code is wrong or has expired. "
                                               "Ask your administrator for a new one."))
        elif device.verify_token(form.cleaned_data["token"]):
            enrolment_code_consume(user=request.user)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.cycle_key()
            _log(request, auth_events.OTP_ENROLLED, user=request.user)
            messages.success(request, _("Your second factor is set up."))
            return redirect("web:home")
        _log(request, auth_events.OTP_FAILED, user=request.user, denied=True)
        form.add_error("token", _("The code is wrong. Check the time on your phone."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "web/otp_setup.html", {
        "form": form, "qr": _qr_data_uri(device.config_url), "secret": secret,
    })


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        _log(request, auth_events.LOGOUT, user=request.user)
    logout(request)
    return redirect("web:login")
