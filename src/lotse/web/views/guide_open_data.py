"""Open data of the newcomers' guide: the directory and the responsibilities as JSON under a
stable public address, with a licence field (`LOTSE_OPEN_DATA_LICENCE`)."""

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from lotse.guide import open_data, selectors


def _json(document: dict) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"  # public data, meant for reuse by other sites
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def directory_json_view(request: HttpRequest, district: str) -> JsonResponse:
    found = selectors.guide_district(district)
    if found is None:
        raise Http404
    return _json(open_data.directory_document(found))


@require_safe
def responsibilities_json_view(request: HttpRequest, district: str) -> JsonResponse:
    found = selectors.guide_district(district)
    if found is None:
        raise Http404
    return _json(open_data.responsibilities_document(found, on=timezone.localdate()))
