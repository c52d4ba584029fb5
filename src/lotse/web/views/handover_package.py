"""The data package of a handover: read-only page, PDF and JSON download. Each is read (and
logged) through `handovers.package.handover_package`; a handover of another office answers
404, a missing permission 403."""

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from lotse.access.spine import AccessDenied
from lotse.handovers.package import HandoverPackage, handover_package, package_as_dict
from lotse.handovers.package_pdf import render_package_pdf
from lotse.handovers.services import HandoverNotFound


def _package(request: HttpRequest, handover_id: int, export: str = "") -> HandoverPackage:
    try:
        return handover_package(request.access, handover_id, export=export)
    except HandoverNotFound as exc:
        raise Http404 from exc
    except AccessDenied as exc:
        raise PermissionDenied(str(exc)) from exc


def _attachment(response: HttpResponse, handover_id: int, extension: str) -> HttpResponse:
    # Ids only in the file name: no personal data in names that end up in download folders.
    response["Content-Disposition"] = f'attachment; filename="datenpaket-{handover_id}.{extension}"'
    return response


@require_GET
def handover_package_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    package = _package(request, handover_id)
    return render(request, "web/handover_package.html", {"package": package})


@require_GET
def handover_package_pdf_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    with translation.override("de"):  # the printed package is German, explanations included
        package = _package(request, handover_id, export="pdf")
    response = HttpResponse(render_package_pdf(package), content_type="application/pdf")
    return _attachment(response, handover_id, "pdf")


@require_GET
def handover_package_json_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    package = _package(request, handover_id, export="json")
    response = JsonResponse(package_as_dict(package), encoder=DjangoJSONEncoder,
                            json_dumps_params={"ensure_ascii": False, "indent": 2})
    return _attachment(response, handover_id, "json")
