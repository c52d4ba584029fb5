"""Recording and revoking consent; the printable consent form (PDF)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.access.spine import AccessDenied, PersonNotFound, access_person
from lotse.consent.pdf import ConsentFormData, render_consent_form
from lotse.consent.queries import consents_for_record
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations import permissions
from lotse.organisations.models import Agency
from lotse.web.forms import ConsentForm, RevokeForm
from lotse.web.views.common import file_response


def _person_for_consent(request, person_id: int, action: str):
    try:
        return access_person(request.access, person_id, request.access.work_purpose(),
                             categories=[DataCategory.IDENTITY], action=action)
    except PersonNotFound as exc:
        raise Http404 from exc


def safe_next(request: HttpRequest) -> str:
    """The `next` parameter if it is a relative path on this site (no scheme, no host, no
    protocol-relative '//' or backslash tricks), else ''."""
    target = request.GET.get("next", "")
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return ""
    if any(ord(ch) < 32 for ch in target):
        return ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=request.is_secure()):
        return ""
    return target


def consent_create_view(request: HttpRequest, person_id: int) -> HttpResponse:
    ctx = request.access
    if not ctx.has_permission(permissions.CONSENT_RECORD):
        raise Http404
    record = _person_for_consent(request, person_id, "consent.form")
    agencies = Agency.objects.filter(district_id=ctx.district_id, is_active=True)
    next_url = safe_next(request)
    initial = {"to_agency": request.GET.get("to"), "from_agency": request.GET.get("from"),
               "informed_language": record.person.preferred_language or "de"}
    # Prefill from a referral that lacks consent: categories and purpose (codes only).
    categories = [c for c in request.GET.getlist("categories") if c in DataCategory.values]
    if categories:
        initial["categories"] = categories
    if request.GET.get("purpose") in Purpose.values:
        initial["purpose"] = request.GET["purpose"]
    form = ConsentForm(request.POST or None, request.FILES or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            return file_response(render_consent_form(ConsentFormData.from_form(record, data)),
                                 "einwilligung-entwurf.pdf", "application/pdf")
        try:
            consent = consent_record(
                ctx=ctx, person_id=person_id, categories=data["categories"],
                purpose=data["purpose"],
                to_agency_id=data["to_agency"].pk if data["to_agency"] else None,
                to_kind=data["to_kind"],
                from_agency_id=data["from_agency"].pk if data["from_agency"] else None,
                from_kind=data["from_kind"], given_on=data["given_on"],
                valid_until=data["valid_until"], method=data["method"],
                informed_language=data["informed_language"],
                given_by_guardian=data["given_by_guardian"], evidence=data.get("evidence"),
                max_upload_bytes=settings.LOTSE_MAX_UPLOAD_BYTES,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except AccessDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Consent #%(id)s was recorded.") % {"id": consent.pk})
            if next_url:
                return redirect(next_url)
            return redirect("web:person-detail", person_id=person_id)
    return render(request, "web/consent_form.html", {"form": form, "person": record.person,
                                                     "next_url": next_url})


def consent_pdf_view(request: HttpRequest, person_id: int, consent_id: int) -> HttpResponse:
    record = _person_for_consent(request, person_id, "consent.pdf")
    consent = next((c for c in consents_for_record(request.access, record) if c.pk == consent_id), None)
    if consent is None:
        raise Http404
    return file_response(render_consent_form(ConsentFormData.from_consent(record, consent)),
                         f"einwilligung-{consent.pk}.pdf", "application/pdf")


@require_POST
def consent_revoke_view(request: HttpRequest, person_id: int, consent_id: int) -> HttpResponse:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
        return redirect("web:person-detail", person_id=person_id)
    try:
        consent_revoke(ctx=request.access, consent_id=consent_id, person_id=person_id,
                       note=form.cleaned_data["note"])
    except PersonNotFound as exc:
        raise Http404 from exc
    except (AccessDenied, ValidationError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The revocation was recorded; it applies from now on."))
    return redirect("web:person-detail", person_id=person_id)
