"""Welcome sheet: the one-page PDF for Düren in German and in Arabic on the seeded demo
district (`guide.welcome_sheet.welcome_sheet_pdf`: database reads, HTML, WeasyPrint layout,
tagged PDF), as the registration office prints it on demand. Target: under a second.

Guide content: the demo content of `guide.demo.seed_demo_guide` (idempotent, as `seed` loads
it; a snapshot seeded before the guide existed gets it here). Loading WeasyPrint and the fonts
(done in the background when a web worker starts, see `config.wsgi`) is reported apart, then
the first sheet after it; then `RUNS` calls per language after `WARM_UP`."""

import datetime
import time

TITLE = "Welcome sheet PDF for Düren (de, ar), generated on demand"
# For the report (bench.report): the target above, per language.
GOALS = [("de", "p95_ms", "<=", 1000), ("ar", "p95_ms", "<=", 1000)]
RUNS = 20
WARM_UP = 2
ON = datetime.date(2026, 3, 2)

def run(bench) -> dict:
    import io

    import pypdf
    from django.core.management import call_command

    from bench.common import count_queries, percentiles
    from lotse.core.printing import warm_up
    from lotse.guide.demo import seed_demo_guide
    from lotse.guide.models import Translation, WelcomeCounsellor
    from lotse.guide.welcome_sheet import welcome_sheet_pdf
    from lotse.organisations.models import District, Municipality

    call_command("load_reference_data", verbosity=0)  # the snapshot may predate the first steps
    district = District.objects.get(code="05358")
    town = Municipality.objects.get(district=district, name="Düren")
    seed_demo_guide(district)  # idempotent; a snapshot seeded before the guide existed has none
    figures: dict = {"runs": RUNS, "counsellors": WelcomeCounsellor.objects.filter(municipalities=town,
                                                                                  active=True).count(),
                     "arabic_step_titles": Translation.objects.filter(key__startswith="step:", field="title",
                                                                      language="ar").count()}

    def sheet(language: str) -> bytes:
        return welcome_sheet_pdf(district, town, language, guide_url=f"https://lotse.example.org/wegweiser/05358/"
                                 f"{language}/?gemeinde={town.pk}", on=ON)

    # What a web worker does at start (config.wsgi), then the first sheet a counter prints.
    started = time.perf_counter()
    warm_up()
    figures["warm_up_at_worker_start_ms"] = round((time.perf_counter() - started) * 1000, 1)
    started = time.perf_counter()
    sheet("de")
    figures["first_sheet_after_warm_up_ms"] = round((time.perf_counter() - started) * 1000, 1)
    for language in ("de", "ar"):
        for _ in range(WARM_UP):
            sheet(language)
        samples = []
        for _ in range(RUNS):
            started = time.perf_counter()
            with count_queries() as counted:
                pdf = sheet(language)
            samples.append(time.perf_counter() - started)
        figures.update({f"{language}_{key}": value for key, value in percentiles(samples).items()})
        figures[f"{language}_queries"] = counted.queries
        figures[f"{language}_pages"] = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        figures[f"{language}_kilobytes"] = round(len(pdf) / 1024, 1)
    return figures
