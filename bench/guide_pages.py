"""The public newcomers' guide as a phone fetches it: the answer of "Who is responsible for
me?" (Düren, Duldung, money; in Arabic) and the unfiltered directory (German), through the test
client without login. Reports server time, SQL queries and the bytes sent (HTML raw and
gzipped; the style sheets the page loads, raw and gzipped), since the pages must be fast on a
weak phone connection. Baseline in the same run: `/healthz` through the same client (the
framework's own cost per request)."""

import gzip
import time
from pathlib import Path

TITLE = "Public guide pages: answer (ar) and directory (de), server time and bytes"
# For the report (bench.report): figures paired with the baseline measured in the same run.
PAIRS = [("answer_ar", "baseline_healthz"), ("directory_de", "baseline_healthz")]
REQUESTS = 30
WARM_UP = 3


def _measure(client, url: str, must_contain: str) -> dict:
    from bench.common import measure_get

    figures, response = measure_get(client, url, requests=REQUESTS, warm_up=WARM_UP, must_contain=must_contain)
    html = response.content
    return {**figures, "html_kb": round(len(html) / 1024, 1),
            "html_gzip_kb": round(len(gzip.compress(html)) / 1024, 1)}


def _stylesheets() -> dict:
    from django.contrib.staticfiles import finders

    sizes = {}
    for path in ("@kern-ux/native/dist/kern.min.css", "lotse/lotse.css", "lotse/guide.css"):
        data = Path(finders.find(path)).read_bytes()
        sizes[Path(path).name] = {"kb": round(len(data) / 1024, 1),
                                  "gzip_kb": round(len(gzip.compress(data)) / 1024, 1)}
    return sizes


def run(bench) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from bench.common import percentiles
    from lotse.guide.demo import seed_demo_guide
    from lotse.organisations.models import District, Municipality

    call_command("load_reference_data", verbosity=0)  # the snapshot may predate the guide rules
    district = District.objects.get(code="05358")
    seed_demo_guide(district)  # idempotent
    town = Municipality.objects.get(district=district, name="Düren")
    client = Client(SERVER_NAME="localhost")
    base = f"/wegweiser/{district.code}"
    figures = {
        "answer_ar": _measure(client, f"{base}/ar/zustaendig/?m={town.pk}&s=tolerated&t=money", "Sozialamt"),
        "directory_de": _measure(client, f"{base}/de/verzeichnis/", "Willkommensberatung"),
        "stylesheets": _stylesheets(),
    }
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get("/healthz")
        times.append(time.perf_counter() - started)
    figures["baseline_healthz"] = percentiles(times)
    return figures
