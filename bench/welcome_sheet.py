"""Welcome sheet: the one-page PDF for Düren in German and in Arabic on the seeded demo
district (`guide.welcome_sheet.welcome_sheet_pdf`: database reads, HTML, WeasyPrint layout,
tagged PDF), as the registration office prints it on demand. Target: under a second.

Guide content: a snapshot seeded before the demo guide content existed has none; then the
benchmark adds it with `guide.demo.seed_demo_guide` (idempotent, as `seed` does now) or, where
that module is missing, a minimum of its own (two welcome counsellors for Düren, opening hours
of its main offices, the Arabic titles of the first steps). The first call in the process (WeasyPrint import, font
loading) is reported apart; then `RUNS` calls per language after `WARM_UP`."""

import datetime
import statistics
import time

TITLE = "Welcome sheet PDF for Düren (de, ar), generated on demand"
RUNS = 20
WARM_UP = 2
ON = datetime.date(2026, 3, 2)

ARABIC_TITLES = {  # without native review, as the sheet's fixed texts
    "registration": "تسجيل السكن", "tax-id": "رقم التعريف الضريبي", "health-insurance": "التأمين الصحي",
    "health-card": "البطاقة الصحية", "bank-account": "حساب مصرفي", "benefits-sgb2": "طلب إعانة المواطن",
    "benefits-asylblg": "طلب الإعانات", "residence-permit": "تصريح الإقامة", "integration-course": "دورة الاندماج",
    "language-course-counselling": "دورة اللغة الألمانية", "recognition": "الاعتراف بالشهادة المهنية",
    "school-childcare": "المدرسة ورياض الأطفال", "broadcasting-fee": "رسوم البث", "child-benefit": "إعانة الأطفال",
}


def _percentiles(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return {"p50_ms": round(statistics.median(samples) * 1000, 1), "p95_ms": round(cuts[18] * 1000, 1),
            "max_ms": round(max(samples) * 1000, 1)}


def _guide_content(district, town) -> None:
    from lotse.guide.models import OfficeProfile, Translation, TranslationStatus, WelcomeCounsellor
    from lotse.guide.translation import source_hash
    from lotse.organisations.models import Agency
    from lotse.rules.models import FirstStep

    for name, agency_name, hours in (
        ("Fatima Al-Khatib", "Caritasverband für die Region Düren-Jülich", "Mo–Do 9–12 Uhr und 14–16 Uhr"),
        ("Oleksandr Kovalenko", "Diakonisches Werk des Kirchenkreises Jülich", "Di und Mi 9–15 Uhr"),
    ):
        agency = Agency.objects.get(district=district, name=agency_name)
        counsellor, created = WelcomeCounsellor.objects.get_or_create(
            district=district, name=name,
            defaults={"agency": agency, "phone": agency.phone, "email": agency.email, "office_hours": hours,
                      "languages": ["de", "ar", "en"]})
        if created:
            counsellor.municipalities.add(town)
    from django.db.models import Q

    main = Agency.objects.filter(Q(municipality=town) | Q(municipality__isnull=True), district=district,
                                 parent__isnull=True, kind__in=("registration_office", "social_office", "abh",
                                                                "job_centre", "integration_centre"))
    for agency in main:
        OfficeProfile.objects.get_or_create(agency=agency, defaults={"opening_hours": "Mo–Fr 8–12 Uhr, Do 14–18 Uhr"})
    for step in FirstStep.objects.in_force(ON).filter(key__in=ARABIC_TITLES):
        Translation.objects.get_or_create(
            key=step.translation_key, field="title", language="ar",
            defaults={"text": ARABIC_TITLES[step.key], "status": TranslationStatus.MACHINE_DRAFT,
                      "source_hash": source_hash(step.title)})


def run(bench) -> dict:
    import io

    import pypdf
    from django.core.management import call_command

    from bench.common import count_queries
    from lotse.guide.models import Translation, WelcomeCounsellor
    from lotse.guide.welcome_sheet import welcome_sheet_pdf
    from lotse.organisations.models import District, Municipality

    call_command("load_reference_data", verbosity=0)  # the snapshot may predate the first steps
    district = District.objects.get(code="05358")
    town = Municipality.objects.get(district=district, name="Düren")
    if not WelcomeCounsellor.objects.filter(municipalities=town, active=True).exists():
        try:
            from lotse.guide.demo import seed_demo_guide
        except ImportError:
            _guide_content(district, town)
        else:
            seed_demo_guide(district)
    figures: dict = {"runs": RUNS, "counsellors": WelcomeCounsellor.objects.filter(municipalities=town,
                                                                                  active=True).count(),
                     "arabic_step_titles": Translation.objects.filter(key__startswith="step:", field="title",
                                                                      language="ar").count()}

    def sheet(language: str) -> bytes:
        return welcome_sheet_pdf(district, town, language, guide_url=f"https://lotse.example.org/wegweiser/05358/"
                                 f"{language}/?gemeinde={town.pk}", on=ON)

    started = time.perf_counter()
    sheet("de")
    figures["first_call_in_process_ms"] = round((time.perf_counter() - started) * 1000, 1)
    for language in ("de", "ar"):
        for _ in range(WARM_UP):
            sheet(language)
        samples = []
        for _ in range(RUNS):
            started = time.perf_counter()
            with count_queries() as counted:
                pdf = sheet(language)
            samples.append(time.perf_counter() - started)
        figures.update({f"{language}_{key}": value for key, value in _percentiles(samples).items()})
        figures[f"{language}_queries"] = counted.queries
        figures[f"{language}_pages"] = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        figures[f"{language}_kilobytes"] = round(len(pdf) / 1024, 1)
    return figures
