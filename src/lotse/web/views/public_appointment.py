"""The person's own appointment page behind the personal link (no login): confirm, or pick one
of a few other times; the calendar file. It shows no more than the appointment itself: date,
time, office, the services one after the other and the interpreter's language — no names.

Languages: German, English, Arabic, Ukrainian, Russian, Turkish, Farsi (`?lang=`; the letter's
language by default), Arabic and Farsi right to left. Works without JavaScript.
Bad, revoked and expired links, and too many attempts from one address, get a clear page in
the chosen language and change nothing."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lotse.appointments.ics import ics_filename, invitation_ics
from lotse.appointments.letter import date_line, format_date, format_time, language_label
from lotse.appointments.letter_texts import LANGUAGE_ORDER, PUBLIC_TEXTS, TEXTS
from lotse.appointments.models import AppointmentStatus
from lotse.appointments.planning import alternatives_for
from lotse.appointments.selectors import (
    LinkExpired,
    LinkInvalid,
    TooManyAttempts,
    client_key,
    public_appointment,
    public_calendar_letter,
    public_members,
)
from lotse.appointments.services import MAX_REBOOKINGS, public_confirm, public_rebook
from lotse.appointments.slots import offices_of
from lotse.core.languages import LANGUAGE_NAMES, is_rtl
from lotse.web.client import client_address
from lotse.web.views.common import file_response, public_base_url

DOCUMENTS = ("passport", "photo", "current_permit")
# Refusals of the services, in the page's language (PUBLIC_TEXTS keys by error code).
ERROR_TEXTS = {"not_changeable": "error_not_changeable", "too_many_moves": "error_too_many_moves",
               "taken": "error_taken", "no_alternatives": "no_alternatives"}


def _language(request: HttpRequest, default: str = "") -> str:
    lang = request.GET.get("lang") or request.POST.get("lang") or default
    return lang if lang in PUBLIC_TEXTS else "de"


def _frame(request: HttpRequest, lang: str) -> dict:
    return {
        "lang": lang, "dir": "rtl" if is_rtl(lang) else "ltr", "t": PUBLIC_TEXTS[lang], "texts": TEXTS[lang],
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGE_ORDER if code in PUBLIC_TEXTS],
        "path": request.path,
    }


def _problem_page(request: HttpRequest, lang: str, key: str, status: int, appointment=None) -> HttpResponse:
    context = _frame(request, lang)
    context.update({"problem": PUBLIC_TEXTS[lang][key], "title": PUBLIC_TEXTS[lang]["invalid_link_title"],
                    "phone": (appointment.office.phone or appointment.owning_agency.phone) if appointment else ""})
    return render(request, "web/public_appointment_problem.html", context, status=status)


def _choice_value(placement) -> str:
    return f"{placement.office_id}|{placement.starts.isoformat()}"


def _alternative(placement, lang: str, offices: dict) -> dict:
    day = timezone.localtime(placement.starts).date()
    return {"value": _choice_value(placement), "date": date_line(day, lang),
            "time": TEXTS[lang]["time_range"].format(start=format_time(placement.starts),
                                                    end=format_time(placement.ends)),
            "office": offices.get(placement.office_id, "")}


def _open_or_problem(request, token: str, lang: str, *, log: bool = True):
    """The appointment, or the response that explains why not."""
    try:
        return public_appointment(token, client=client_key(client_address(request)), log=log), None
    except TooManyAttempts:
        return None, _problem_page(request, lang, "too_many_attempts", 429)
    except LinkInvalid:
        return None, _problem_page(request, lang, "invalid_link_text", 404)
    except LinkExpired as exc:
        appointment = exc.appointment
        key = "cancelled_message" if appointment and appointment.status in (
            AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW) else (
            "already_past" if appointment and appointment.starts_at < timezone.now() else "invalid_link_text")
        return None, _problem_page(request, _language(request, getattr(appointment, "language", "")), key, 410,
                                   appointment)


@require_http_methods(["GET", "POST"])
def public_appointment_view(request: HttpRequest, token: str) -> HttpResponse:
    appointment, problem = _open_or_problem(request, token, _language(request), log=request.method == "GET")
    if problem:
        return problem
    lang = _language(request, appointment.language)
    offices = {o.pk: f"{o.name}, {o.street}, {o.postal_code} {o.city}"
               for o in offices_of(appointment.owning_agency)}
    # After the last allowed move no other time is offered (the page says to call the office).
    alternatives = alternatives_for(appointment) if appointment.rebooked_count < MAX_REBOOKINGS else []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                public_confirm(appointment)
                done = "confirmed"
            else:
                wanted = request.POST.get("pick", "")
                choice = next((p for p in alternatives if _choice_value(p) == wanted), None)
                if choice is None:
                    raise ValidationError("no such choice", code="no_alternatives")
                public_rebook(appointment, choice)
                done = "rebooked"
        except ValidationError as exc:
            context = _frame(request, lang)
            context.update(_page_context(appointment, lang, offices, alternatives))
            texts = PUBLIC_TEXTS[lang]
            context["error"] = texts.get(ERROR_TEXTS.get(exc.code, ""), texts["no_alternatives"])
            return render(request, "web/public_appointment.html", context, status=400)
        return redirect(f"{request.path}?lang={lang}&done={done}")
    context = _frame(request, lang)
    context.update(_page_context(appointment, lang, offices, alternatives))
    done = request.GET.get("done")
    if done in ("confirmed", "rebooked"):
        context["notice"] = PUBLIC_TEXTS[lang][f"{done}_message"]
    return render(request, "web/public_appointment.html", context)


def _page_context(appointment, lang: str, offices: dict, alternatives) -> dict:
    texts = TEXTS[lang]
    start = timezone.localtime(appointment.starts_at)
    office = appointment.office
    return {
        "appointment": appointment,
        "date": date_line(start.date(), lang),
        "time": texts["time_range"].format(start=format_time(appointment.starts_at),
                                           end=format_time(appointment.ends_at)),
        "office": offices.get(office.pk, office.name),
        "members": [{"time": texts["time_single"].format(time=format_time(m.starts_at)),
                     "service": texts[f"service_{m.service}"]} for m in public_members(appointment)],
        "interpreter": language_label(appointment.interpreter_language, lang) if appointment.interpreter_language
        else "",
        "documents": [texts[f"doc_{code}"] for code in DOCUMENTS],
        "confirmed": appointment.status == AppointmentStatus.CONFIRMED,
        "alternatives": [_alternative(p, lang, offices) for p in alternatives],
        "valid_until": PUBLIC_TEXTS[lang]["link_valid_until"].format(
            date=format_date(appointment.token_expires_on or start.date())),
        "call": PUBLIC_TEXTS[lang]["call_office"].format(phone=office.phone or appointment.owning_agency.phone),
    }


def public_calendar_view(request: HttpRequest, token: str) -> HttpResponse:
    appointment, problem = _open_or_problem(request, token, _language(request))
    if problem:
        return problem
    letter = public_calendar_letter(appointment, base_url=public_base_url(request))
    return file_response(invitation_ics(letter), ics_filename(letter), "text/calendar; charset=utf-8",
                         inline=False)
