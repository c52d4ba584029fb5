"""Small helpers the views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from lotse.access.spine import AccessDenied, PersonNotFound


def public_base_url(request) -> str:
    """The address printed in letters and on sheets (`LOTSE_PUBLIC_BASE_URL`): staff may work on
    an internal host that newcomers cannot reach."""
    from django.conf import settings

    return getattr(settings, "LOTSE_PUBLIC_BASE_URL", "") or request.build_absolute_uri("/")


def error_text(exc: Exception) -> str:
    return "; ".join(getattr(exc, "messages", [str(exc)]))


def form_error_text(form) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


def write_and_report(request, write, success: str, *, not_found: tuple = ()) -> bool:
    """Run a write from a small form; a refusal or bad input becomes an error message (nothing
    was written), missing or forbidden objects a 404. True when it was saved."""
    try:
        write()
    except (PersonNotFound, *not_found) as exc:
        raise Http404 from exc
    except (AccessDenied, ValidationError) as exc:
        messages.error(request, _("Not saved: %(errors)s") % {"errors": error_text(exc)})
        return False
    messages.success(request, success)
    return True


def file_response(content: bytes, filename: str, content_type: str, *, inline: bool = True):
    """A generated file (PDF, calendar, CSV) for download; the name is ASCII (callers make it so)."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 1_000_000))
    except ValueError:
        return 1
