"""The public newcomers' guide (no login): "Who is responsible for me?", the directory, text
pages and the welcome sheet, in German, English, Arabic, Ukrainian, Russian, Turkish and Farsi
(Arabic and Farsi right to left). Works without JavaScript: every step is a GET form.

The language is part of the address (`/wegweiser/<district>/<lang>/…`); the last one chosen is
remembered in a cookie for `/wegweiser/`. Bad input (an unknown place, situation or topic) shows
the question again with a message in the page's language and status 400."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from lotse.core.vocabulary import GuideTopic, NewcomerSituation
from lotse.guide import selectors
from lotse.guide.languages import EASY_GERMAN, GUIDE_LANGUAGES, SOURCE_LANGUAGE, direction, language_name
from lotse.guide.public_texts import GUIDE_TEXTS
from lotse.guide.translation import languages_available
from lotse.guide.welcome_sheet import welcome_sheet_pdf
from lotse.organisations.models import District
from lotse.web.views.common import file_response, public_base_url

LANGUAGE_COOKIE = "lotse_guide_language"
# The answers a language link carries over to the same page in another language (and no more).
LINK_PARAMS = ("m", "s", "t", "q", "l", "easy")
MAX_PARAM = 100
COOKIE_MAX_AGE = 365 * 24 * 3600


def _frame(request: HttpRequest, district: District, lang: str, *, view: str, kwargs: dict | None = None,
           page_languages: list[str] | None = None, title: str = "") -> dict:
    """What every guide page shows: the language links to the same page (with its query), and
    in which languages the page exists."""
    texts = GUIDE_TEXTS[lang]
    query = urlencode([(key, request.GET[key][:MAX_PARAM]) for key in LINK_PARAMS if key in request.GET])
    links = []
    for code in GUIDE_LANGUAGES:
        url = reverse(view, kwargs={"district": district.code, "lang": code, **(kwargs or {})})
        links.append((code, language_name(code), f"{url}?{query}" if query else url))
    available = page_languages or GUIDE_LANGUAGES
    return {
        "lang": lang, "dir": direction(lang), "t": texts, "district": district,
        "language_links": links, "page_languages": [(code, language_name(code)) for code in available],
        "title": title or texts["page_title"],
        "home_url": reverse("web:guide-home", kwargs={"district": district.code, "lang": lang}),
        "responsible_url": reverse("web:guide-responsible", kwargs={"district": district.code, "lang": lang}),
        "directory_url": reverse("web:guide-directory", kwargs={"district": district.code, "lang": lang}),
    }


def _remember(response: HttpResponse, request: HttpRequest, lang: str) -> HttpResponse:
    if request.COOKIES.get(LANGUAGE_COOKIE) != lang:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            secure=request.is_secure(), httponly=True)
    return response


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    if status == 200:
        response["Cache-Control"] = "private, max-age=300"  # public content, no personal data
    return _remember(response, request, context["lang"])


class _NotInGuide(Exception):
    """An unknown district, language or page: answered by `_not_found` in the guide's layout."""


def _district_and_language(district: str, lang: str) -> tuple[District, str]:
    found = selectors.guide_district(district)
    if found is None or lang not in GUIDE_TEXTS:
        raise _NotInGuide
    return found, lang


def guide_page(view):
    """A public guide page: GET and HEAD only; an unknown district or language gets the guide's
    "not found" page (404) in the language asked for, or the remembered one."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _NotInGuide:
            lang = kwargs.get("lang") if kwargs.get("lang") in GUIDE_TEXTS else _preferred_language(request)
            district = selectors.guide_district(kwargs.get("district", ""))
            return _not_found(request, district, lang)

    return wrapper


def _preferred_language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(LANGUAGE_COOKIE, "")
    if chosen in GUIDE_TEXTS:
        return chosen
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in GUIDE_TEXTS:
            return code
    return SOURCE_LANGUAGE


@guide_page
def guide_root_view(request: HttpRequest) -> HttpResponse:
    """`/wegweiser/`: to the district's guide in the remembered language (or the browser's)."""
    districts = selectors.guide_districts()
    lang = _preferred_language(request)
    if len(districts) == 1:
        return redirect("web:guide-home", district=districts[0].code, lang=lang)
    if not districts:
        raise _NotInGuide
    return render(request, "web/guide_districts.html", {
        "lang": lang, "dir": direction(lang), "t": GUIDE_TEXTS[lang], "districts": districts,
        "title": GUIDE_TEXTS[lang]["page_title"], "language_links": [], "page_languages": []})


@guide_page
def guide_district_view(request: HttpRequest, district: str) -> HttpResponse:
    if selectors.guide_district(district) is None:
        raise _NotInGuide
    return redirect("web:guide-home", district=district, lang=_preferred_language(request))


@guide_page
def guide_home_view(request: HttpRequest, district: str, lang: str) -> HttpResponse:
    district, lang = _district_and_language(district, lang)
    context = _frame(request, district, lang, view="web:guide-home", kwargs={})
    context.update({
        "intro": GUIDE_TEXTS[lang]["home_intro"].format(district=district.name),
        "texts": selectors.public_texts(district, lang),
        "municipalities": selectors.municipalities_of(district),
    })
    return _page(request, "web/guide_home.html", context)


def _choice(value: str, valid) -> str | None:
    return value if value and valid(value) else None


@guide_page
def guide_responsible_view(request: HttpRequest, district: str, lang: str) -> HttpResponse:
    """The question flow: place → situation → topic → answer. Each answer is a query parameter,
    so every step has its own address and the back button works."""
    district, lang = _district_and_language(district, lang)
    texts = GUIDE_TEXTS[lang]
    context = _frame(request, district, lang, view="web:guide-responsible", title=texts["nav_responsible"])
    params = request.GET
    municipality = selectors.municipality_of(district, params.get("m")) if params.get("m") else None
    situation = _choice(params.get("s", ""), selectors.situation_valid)
    topic = _choice(params.get("t", ""), selectors.topic_valid)
    error = ("m" in params and municipality is None) or (bool(params.get("s")) and situation is None) or (
        bool(params.get("t")) and topic is None) or any(key in params and not params[key] for key in "mst")
    context.update({
        "municipalities": selectors.municipalities_of(district), "municipality": municipality,
        "situation": situation, "topic": topic, "error": texts["choose_one"] if error else "",
        "situations": [(code, texts[f"situation_{code}"]) for code in NewcomerSituation.values],
        "topics": [(code, texts[f"topic_{code}"]) for code in GuideTopic.values],
    })
    status = 400 if error else 200
    if municipality is None:
        context["step"] = 1
    elif situation is None:
        context["step"] = 2
    elif topic is None:
        context["step"] = 3
    else:
        context["step"] = 4
        context["answer"] = selectors.answer(district, municipality, situation, topic, on=timezone.localdate(),
                                             language=lang)
        context["situation_label"] = texts[f"situation_{situation}"]
        context["topic_label"] = texts[f"topic_{topic}"]
        context["sheet_url"] = reverse("web:guide-welcome-sheet", kwargs={
            "district": district.code, "lang": lang, "municipality_id": municipality.pk})
    if context["step"] < 4:
        context["question"] = texts[("q_municipality", "q_situation", "q_topic")[context["step"] - 1]]
        context["question_of"] = texts["question_of"].format(number=context["step"])
    return _page(request, "web/guide_responsible.html", context, status=status)


@guide_page
def guide_directory_view(request: HttpRequest, district: str, lang: str) -> HttpResponse:
    district, lang = _district_and_language(district, lang)
    texts = GUIDE_TEXTS[lang]
    params = request.GET
    municipality = selectors.municipality_of(district, params.get("m")) if params.get("m") else None
    topic = _choice(params.get("t", ""), selectors.topic_valid) or ""
    situation = _choice(params.get("s", ""), selectors.situation_valid) or ""
    spoken = params.get("l", "") if params.get("l", "") in settings.LOTSE_PERSON_LANGUAGES else ""
    error = (bool(params.get("m")) and municipality is None) or (bool(params.get("t")) and not topic) or (
        bool(params.get("s")) and not situation) or (bool(params.get("l")) and not spoken)
    query = params.get("q", "")[:100]
    found = selectors.directory(district, language=lang, on=timezone.localdate(), topic=topic,
                                municipality=municipality, spoken_language=spoken, situation=situation,
                                query=query)
    context = _frame(request, district, lang, view="web:guide-directory", title=texts["nav_directory"])
    context.update({
        "found": found, "count": len(found.offices) + len(found.counsellors) + len(found.offers),
        "query": query, "topic": topic, "situation": situation, "spoken": spoken,
        "municipality": municipality, "municipalities": selectors.municipalities_of(district),
        "situations": [(code, texts[f"situation_{code}"]) for code in NewcomerSituation.values],
        "topics": [(code, texts[f"topic_{code}"]) for code in GuideTopic.values],
        "spoken_languages": [(code, language_name(code)) for code in settings.LOTSE_PERSON_LANGUAGES],
        "error": texts["choose_one"] if error else "",
    })
    context["results_count"] = texts["results_count"].format(count=context["count"])
    return _page(request, "web/guide_directory.html", context, status=400 if error else 200)


@guide_page
def guide_text_view(request: HttpRequest, district: str, lang: str, slug: str) -> HttpResponse:
    district, lang = _district_and_language(district, lang)
    text = selectors.public_text(district, slug, lang)
    if text is None:
        return _not_found(request, district, lang)
    easy = lang == SOURCE_LANGUAGE and request.GET.get("easy") == "1" and bool(text.entry.easy_body)
    available = languages_available(text.entry)
    context = _frame(request, district, lang, view="web:guide-text", kwargs={"slug": slug},
                     page_languages=available + ([EASY_GERMAN] if text.entry.easy_body else []),
                     title=str(text.title))
    context.update({"text": text, "easy": easy, "has_easy": bool(text.entry.easy_body)})
    return _page(request, "web/guide_text.html", context)


def _not_found(request: HttpRequest, district: District | None, lang: str) -> HttpResponse:
    title = GUIDE_TEXTS[lang]["not_found_title"]
    if district is None:
        context = {"lang": lang, "dir": direction(lang), "t": GUIDE_TEXTS[lang], "title": title,
                   "home_url": reverse("web:guide-root"), "language_links": [], "page_languages": []}
    else:
        context = _frame(request, district, lang, view="web:guide-home", title=title)
    return _page(request, "web/guide_not_found.html", context, status=404)


@guide_page
def guide_welcome_sheet_view(request: HttpRequest, district: str, lang: str, municipality_id: int) -> HttpResponse:
    district, lang = _district_and_language(district, lang)
    municipality = selectors.municipality_of(district, municipality_id)
    if municipality is None:
        return _not_found(request, district, lang)
    home = reverse("web:guide-home", kwargs={"district": district.code, "lang": lang})
    guide_url = public_base_url(request).rstrip("/") + home
    today = timezone.localdate()
    pdf = welcome_sheet_pdf(district, municipality, lang, guide_url=guide_url, on=today)
    name = f"willkommensblatt-{slugify(municipality.name)}-{lang}.pdf"
    return file_response(pdf, name, "application/pdf", inline=True)
