"""The rules area of the staff admin UI: administrators (`rules:manage`) enter and correct the
dated rule data without a code change (DESIGN.md §4.2: a change in law is a data change).

The rule tables are shared by every district of the installation. Each change is one
`rule.changed` row in the access log (no person), with what changed in `basis`.

Deadline rules, access rules and residence status kinds get *new versions from a date*: a copy
valid from that date, the old version closed the day before, so facts before the date keep
being judged by the old rule. A regime change rule has a unique key and is corrected in place
(its own validity bounds the statuses it covers); a new law is a new rule."""

import copy
import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.organisations import permissions
from lotse.rules.models import (
    AccessRule,
    DatedRule,
    DeadlineRule,
    FirstStep,
    GuideResponsibility,
    RecordResponsibility,
    RegimeChangeRule,
    ResidenceKind,
)
from lotse.web.forms_rules import (
    AccessRuleForm,
    DeadlineRuleForm,
    FirstStepForm,
    GuideResponsibilityForm,
    NewVersionForm,
    RecordResponsibilityForm,
    RegimeChangeRuleForm,
    ResidenceKindForm,
)
from lotse.web.permission_checks import require_permission


@dataclass(frozen=True)
class RuleType:
    slug: str
    model: type[DatedRule]
    form: type[ModelForm]
    ref: str  # object_ref prefix in the access log
    title: Promise
    intro: Promise
    versioned: bool  # "new version from a date"; otherwise corrected in place


RULE_TYPES = {t.slug: t for t in [
    RuleType("deadlines", DeadlineRule, DeadlineRuleForm, "deadline_rule", gettext_lazy("Deadlines"),
             gettext_lazy("Periods fixed by law or by local agreement. Checklists, plans and flags "
                          "compute their due dates with the version in force on the anchor date."),
             True),
    RuleType("regime-changes", RegimeChangeRule, RegimeChangeRuleForm, "regime_change_rule",
             gettext_lazy("Rules for changes of benefits regime"),
             gettext_lazy("Which residence statuses move a person from one benefits regime to another, "
                          "and when. The key of such a rule is unique: it is corrected in place, and "
                          "its validity bounds the dates of the statuses it applies to. A new law is "
                          "a new rule."), False),
    RuleType("access", AccessRule, AccessRuleForm, "access_rule", gettext_lazy("Access rules"),
             gettext_lazy("Statutory transfers between agencies without consent, and flows that no "
                          "consent opens. They apply to every read from the next request on."), True),
    RuleType("residence-kinds", ResidenceKind, ResidenceKindForm, "residence_kind",
             gettext_lazy("Residence status kinds"),
             gettext_lazy("The kinds of residence status the foreigners' authority records, with "
                          "their legal basis. Recorded statuses keep the version they were recorded "
                          "with."), True),
    RuleType("responsibilities", RecordResponsibility, RecordResponsibilityForm, "record_responsibility",
             gettext_lazy("Responsibilities for recording"),
             gettext_lazy("Which kind of agency records residence statuses and each benefits regime. "
                          "Corrected in place; to change responsibility from a date, end the entry "
                          "and add a new one."), False),
    RuleType("guide-responsibilities", GuideResponsibility, GuideResponsibilityForm, "guide_responsibility",
             gettext_lazy("Responsibilities in the newcomers' guide"),
             gettext_lazy("Which kind of office the public guide names for a topic and situation. The "
                          "guide answers with the version in force on the day it is asked: a change "
                          "from a date is a new version."), True),
    RuleType("first-steps", FirstStep, FirstStepForm, "first_step", gettext_lazy("First steps"),
             gettext_lazy("The checklist of first steps in the newcomers' guide and on the welcome "
                          "sheet, each with its office. Changing the German text marks its "
                          "translations as outdated."), True),
]}


def _require(request: HttpRequest, slug: str | None = None) -> RuleType | None:
    """404 for users without `rules:manage` and for unknown rule types."""
    require_permission(request, permissions.RULES_MANAGE)
    if slug is None:
        return None
    if slug not in RULE_TYPES:
        raise Http404
    return RULE_TYPES[slug]


def _ref(rule_type: RuleType, rule: DatedRule) -> str:
    return f"{rule_type.ref}:{rule.pk}"


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)[:80]


# --- writes (rules sit below the access spine, so the logging writes live here) ---------------

def rule_save(*, ctx: AccessContext, rule_type: RuleType, form: ModelForm) -> DatedRule:
    """Save a valid form and log what changed (old → new) as one `rule.changed` row. A form
    without changes writes nothing."""
    is_new = form.instance.pk is None
    if not is_new and not form.changed_data:
        return form.instance
    with transaction.atomic():
        before = None if is_new else rule_type.model.objects.select_for_update().get(pk=form.instance.pk)
        rule = form.save()
        basis = "created" if before is None else "edited: " + "; ".join(
            f"{name} {_shown(getattr(before, name, None))} → {_shown(getattr(rule, name, None))}"
            for name in form.changed_data)
        log_action(ctx, "rule.changed", basis=basis, object_ref=_ref(rule_type, rule))
    return rule


def rule_version_create(*, ctx: AccessContext, rule_type: RuleType, rule: DatedRule,
                        valid_from: datetime.date) -> DatedRule:
    """A copy of `rule` valid from `valid_from` to the old end; the old one ends the day before."""
    with transaction.atomic():
        old = rule_type.model.objects.select_for_update().get(pk=rule.pk)
        new = copy.copy(old)
        new.pk = None
        new._state.adding = True
        new.valid_from = valid_from
        old.valid_to = valid_from - datetime.timedelta(days=1)
        old.full_clean()
        old.save()
        new.full_clean()
        new.save()
        log_action(ctx, "rule.changed", basis=f"closed on {old.valid_to.isoformat()} for the new "
                   f"version {_ref(rule_type, new)}", object_ref=_ref(rule_type, old))
        log_action(ctx, "rule.changed", basis=f"new version of {_ref(rule_type, old)} from "
                   f"{valid_from.isoformat()}", object_ref=_ref(rule_type, new))
    return new


# --- pages ---------------------------------------------------------------------------------------

def _summary(rule: DatedRule) -> str:
    """What the rule says, in one line of data (the columns common to all are separate)."""
    if isinstance(rule, DeadlineRule):
        return f"{rule.amount} {rule.get_unit_display()}"
    if isinstance(rule, RegimeChangeRule):
        parts = [f"{rule.from_regime} → {rule.to_regime}", ", ".join(rule.trigger_kinds or [])]
        if rule.not_before:
            parts.append(_("not before %(date)s") % {"date": date_format(rule.not_before, "SHORT_DATE_FORMAT")})
        if rule.old_regime_continues_until:
            parts.append(_("existing grants at most until %(date)s") % {
                "date": date_format(rule.old_regime_continues_until, "SHORT_DATE_FORMAT")})
        return "; ".join(parts)
    if isinstance(rule, AccessRule):
        flow = f"{rule.get_source_kind_display() or '*'} → {rule.get_recipient_kind_display() or '*'}"
        return f"{rule.get_kind_display()}: {flow}; {', '.join(rule.categories)}"
    if isinstance(rule, ResidenceKind):
        return f"{rule.code}: {rule.legal_basis}"
    if isinstance(rule, RecordResponsibility):
        return f"{rule.subject} → {rule.get_agency_kind_display()}"
    if isinstance(rule, GuideResponsibility):
        return (f"{rule.get_topic_display()} → {rule.get_agency_kind_display()}; "
                f"{', '.join(rule.situations) or '*'}")
    if isinstance(rule, FirstStep):
        return f"{rule.title} → {rule.get_agency_kind_display() or rule.outside_office}"
    return str(rule)


def _name(rule: DatedRule) -> str:
    for attr in ("name", "key"):
        if getattr(rule, attr, ""):
            return getattr(rule, attr)
    return str(rule)


def _state(rule: DatedRule, today: datetime.date) -> str:
    if rule.valid_from > today:
        return "future"
    return "in_force" if rule.in_force_on(today) else "ended"


def rules_home_view(request: HttpRequest) -> HttpResponse:
    _require(request)
    kinds = [(t, t.model.objects.count()) for t in RULE_TYPES.values()]
    return render(request, "web/admin_rules.html", {"kinds": kinds})


def rule_list_view(request: HttpRequest, kind: str) -> HttpResponse:
    rule_type = _require(request, kind)
    today = request.access.today
    rows = [{"rule": r, "name": _name(r), "summary": _summary(r), "state": _state(r, today)}
            for r in rule_type.model.objects.all()]
    return render(request, "web/admin_rules_list.html", {"rule_type": rule_type, "rows": rows})


def rule_edit_view(request: HttpRequest, kind: str, rule_id: int | None = None) -> HttpResponse:
    rule_type = _require(request, kind)
    rule = get_object_or_404(rule_type.model, pk=rule_id) if rule_id else rule_type.model()
    form = rule_type.form(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        rule_save(ctx=request.access, rule_type=rule_type, form=form)
        messages.success(request, _("The rule was saved; it applies from now on."))
        return redirect("web:admin-rule-list", kind=rule_type.slug)
    return render(request, "web/admin_rules_form.html", {
        "rule_type": rule_type, "rule": rule, "form": form,
        "title": _name(rule) if rule.pk else _("New rule: %(kind)s") % {"kind": rule_type.title},
    }, status=400 if request.method == "POST" else 200)


def rule_version_view(request: HttpRequest, kind: str, rule_id: int) -> HttpResponse:
    rule_type = _require(request, kind)
    if not rule_type.versioned:
        raise Http404
    rule = get_object_or_404(rule_type.model, pk=rule_id)
    form = NewVersionForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            new = rule_version_create(ctx=request.access, rule_type=rule_type, rule=rule,
                                      valid_from=form.cleaned_data["valid_from"])
        except ValidationError as exc:  # e.g. a version with this start exists already
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _(
                "A new version from %(start)s was created; the previous one now ends on %(end)s. "
                "Change the new version now.") % {
                "start": date_format(new.valid_from, "SHORT_DATE_FORMAT"),
                "end": date_format(new.valid_from - datetime.timedelta(days=1), "SHORT_DATE_FORMAT")})
            return redirect("web:admin-rule-edit", kind=rule_type.slug, rule_id=new.pk)
    return render(request, "web/admin_rules_version.html", {
        "rule_type": rule_type, "rule": rule, "form": form, "name": _name(rule), "summary": _summary(rule),
    }, status=400 if request.method == "POST" else 200)
