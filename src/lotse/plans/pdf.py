"""The integration plan printed for the person (PDF with WeasyPrint).

German first, then the same plan in the person's language (`preferred_language` when it is one
of en, ar, uk, ru, tr, fa; German only otherwise). Fixed texts, life areas and statuses come
from `plans.pdf_texts`; goals, steps and who is responsible are printed as entered (a footnote
says so). Arabic and Persian are set right to left; free texts are isolated from the
surrounding direction. Tagged PDF (PDF/UA-1) where WeasyPrint manages it.

No database here: `PlanPrintData` is plain data built from `plans.selectors.plan_for_print`.
"""

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lotse.core.languages import LANGUAGE_NAMES, is_rtl
from lotse.core.printing import css_string as _css_string
from lotse.core.printing import isolate as _isolate
from lotse.core.printing import markup as _markup
from lotse.core.printing import write_tagged_pdf
from lotse.plans.pdf_texts import GOAL_STATUS, LIFE_AREAS, SOURCE_LANGUAGE, STEP_STATUS, TEXTS

logger = logging.getLogger(__name__)

TEMPLATE = "plans/plan_pdf.html"
BASE_URL = str(Path(__file__).resolve().parent)


@dataclass(frozen=True)
class PrintStep:
    title: str
    responsible: str
    due_on: datetime.date | None
    status: str
    overdue: bool


@dataclass(frozen=True)
class PrintGoal:
    life_area: str
    title: str
    status: str
    steps: tuple[PrintStep, ...]


@dataclass(frozen=True)
class PlanPrintData:
    district_name: str
    agency_name: str
    person_name: str
    person_birth: str
    language: str
    printed_on: datetime.date
    goals: tuple[PrintGoal, ...]
    done: int = 0
    total: int = 0

    @classmethod
    def from_print(cls, printed, today: datetime.date) -> "PlanPrintData":
        """From `plans.selectors.PlanPrint` (the read already decided and logged)."""
        person = printed.record.person
        plan = printed.plan
        goals = tuple(
            PrintGoal(g.goal.life_area, g.goal.title, g.goal.status, tuple(
                PrintStep(s.step.title, s.responsible, s.step.due_on, s.step.status, s.overdue)
                for s in g.steps))
            for g in (plan.goals if plan else [])
        )
        return cls(
            district_name=printed.district_name, agency_name=printed.agency_name,
            person_name=f"{person.given_names} {person.family_name}".strip(),
            person_birth=person.birth_display, language=person.preferred_language or "",
            printed_on=today, goals=goals, done=plan.done if plan else 0,
            total=plan.total if plan else 0,
        )


def plan_languages(language: str) -> list[str]:
    """German, plus the person's language when it is another one we have texts for."""
    if language and language != SOURCE_LANGUAGE:
        if language in TEXTS:
            return [SOURCE_LANGUAGE, language]
        logger.info("plan print: no texts for %r, printing German only", language)
    return [SOURCE_LANGUAGE]


def _free(value: str) -> SafeString:
    """A free text as entered: escaped and isolated, so it keeps its own direction."""
    return mark_safe(escape(_isolate(value))) if value else mark_safe("–")  # noqa: S308  # nosec B308, B703


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def _section(data: PlanPrintData, lang: str) -> dict:
    rtl = is_rtl(lang)
    texts = TEXTS[lang]
    t = {key: _markup(text, rtl, {"agency": data.agency_name}) for key, text in texts.items()}
    t["progress"] = _markup(texts["progress"], rtl, {"done": str(data.done), "total": str(data.total)})
    goals = [
        {
            "life_area": _markup(LIFE_AREAS[lang].get(g.life_area, g.life_area), rtl),
            "title": _free(g.title),
            "status": _markup(GOAL_STATUS[lang].get(g.status, g.status), rtl),
            "steps": [
                {
                    "title": _free(s.title),
                    "responsible": _free(s.responsible),
                    "due": _isolate(_date(s.due_on)),
                    "status": _markup(STEP_STATUS[lang].get(s.status, s.status), rtl),
                    "overdue": s.overdue,
                }
                for s in g.steps
            ],
        }
        for g in data.goals
    ]
    return {"lang": lang, "dir": "rtl" if rtl else "ltr", "is_source": lang == SOURCE_LANGUAGE,
            "language_name": LANGUAGE_NAMES.get(lang, lang), "t": t, "goals": goals}


def build_context(data: PlanPrintData) -> dict:
    sections = [_section(data, lang) for lang in plan_languages(data.language)]
    title = TEXTS[SOURCE_LANGUAGE]["title"]
    return {
        "data": data,
        "title": title,
        "sections": sections,
        "person_name": _isolate(data.person_name),
        "person_birth": _isolate(data.person_birth or "–"),
        "agency_name": _isolate(data.agency_name),
        "printed_on": _date(data.printed_on),
        "footer_reference": _css_string(f"{data.district_name} · {title} · {_date(data.printed_on)}"),
    }


def render_plan_html(data: PlanPrintData) -> str:
    with translation.override("de"):
        return render_to_string(TEMPLATE, build_context(data))


def render_plan_pdf(data: PlanPrintData) -> bytes:
    """The plan as PDF bytes (tagged PDF/UA-1 where WeasyPrint manages it)."""
    import weasyprint  # heavy import; keep it out of module import

    return write_tagged_pdf(weasyprint.HTML(string=render_plan_html(data), base_url=BASE_URL), what="plan print")
