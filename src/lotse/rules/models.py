"""Dated rule data. A change in law is a data change; past facts are judged by the rule then.

Every rule carries its legal reference and `valid_from`/`valid_to`. Code asks
`rules.selectors` for the rules in force on a date; it never branches on dates itself.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.core.vocabulary import GuideTopic, NewcomerSituation, Purpose, mask_to_categories
from lotse.organisations.models import AgencyKind


class DatedRuleQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date) -> "DatedRuleQuerySet":
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class DatedRule(models.Model):
    legal_reference = models.CharField(_("legal reference"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source_note = models.TextField(
        _("source and open questions"),
        blank=True,
        help_text=_("Where the rule comes from and what is uncertain about it."),
    )

    objects = DatedRuleQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity lies before its start.")})

    def in_force_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class AccessRuleKind(models.TextChoices):
    STATUTORY = "statutory", _("Statutory transfer (legal basis)")
    BLOCKED = "blocked", _("Blocked flow (no consent opens it)")


class AccessRuleScope(models.TextChoices):
    SAME_MUNICIPALITY = "same_municipality", _("Persons living in the recipient's municipality")
    DISTRICT = "district", _("All persons of the district")
    OPEN_HANDOVER = "open_handover", _(
        "Persons in an open change of benefits regime between the two offices")


class AccessRule(DatedRule):
    """Data of `categories` held by an agency of `source_kind` flows (or never flows) to one
    of `recipient_kind`, for `purposes`, within `scope`."""

    key = models.SlugField(_("key"), max_length=80, blank=True,
                           help_text=_("Stable name of a reference rule shipped with Lotse."))
    kind = models.CharField(_("kind"), max_length=20, choices=AccessRuleKind.choices)
    source_kind = models.CharField(
        _("source agency kind"), max_length=40, choices=AgencyKind.choices, blank=True,
        help_text=_("Empty for blocked flows: any agency bound by professional secrecy."),
    )
    source_professional_secrecy = models.BooleanField(
        _("only sources bound by professional secrecy (§ 203 StGB)"), default=False
    )
    recipient_kind = models.CharField(
        _("recipient agency kind"), max_length=40, choices=AgencyKind.choices, blank=True,
        help_text=_("Empty: agencies of every kind."),
    )
    categories_mask = models.PositiveIntegerField(_("data categories"))
    purposes = models.JSONField(
        _("purposes"), default=list, blank=True, help_text=_("Empty: every purpose.")
    )
    scope = models.CharField(
        _("scope"), max_length=30, choices=AccessRuleScope.choices,
        default=AccessRuleScope.DISTRICT,
    )
    read_only = models.BooleanField(_("read only"), default=True)
    includes_closed_files = models.BooleanField(
        _("includes persons whose files are all closed"), default=False,
        help_text=_("Statutory rules only: the rule also reaches persons on whom every agency "
                    "has closed its file (the data-protection officer answering a request "
                    "under Art. 15 GDPR or setting a legal hold). No other rule, consent or "
                    "emergency access reaches such persons."),
    )

    class Meta:
        ordering = ["kind", "recipient_kind", "id"]
        verbose_name = _("access rule")
        verbose_name_plural = _("access rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.legal_reference}"

    @property
    def categories(self) -> list[str]:
        return mask_to_categories(self.categories_mask)

    def covers_purpose(self, purpose: str) -> bool:
        return not self.purposes or purpose in self.purposes

    def clean(self) -> None:
        super().clean()
        unknown = set(self.purposes or []) - set(Purpose.values)
        if unknown:
            raise ValidationError({"purposes": _("Unknown purpose.")})
        if self.includes_closed_files and self.kind != AccessRuleKind.STATUTORY:
            raise ValidationError({"includes_closed_files": _(
                "Only a statutory rule can reach persons whose files are all closed.")})


class ResidenceKind(DatedRule):
    """A kind of residence status with its legal basis (Aufenthaltsgestattung, Duldung, § 24 …)."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    is_title = models.BooleanField(_("residence title"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("residence status kind")
        verbose_name_plural = _("residence status kinds")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="residencekind_code_from")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"


class RecordResponsibility(DatedRule):
    """Which kind of agency records what: residence statuses (the ABH, § 71 AufenthG) and each
    benefits regime (SGB II → job centre, AsylbLG and SGB XII → social office)."""

    subject = models.CharField(
        _("subject"), max_length=20,
        help_text=_("What is recorded: residence, or a benefits regime (asylblg, sgb2, sgb12)."),
    )
    agency_kind = models.CharField(_("responsible agency kind"), max_length=40,
                                   choices=AgencyKind.choices)

    class Meta:
        ordering = ["subject", "valid_from"]
        verbose_name = _("responsibility for recording")
        verbose_name_plural = _("responsibilities for recording")

    def __str__(self) -> str:
        return f"{self.subject} → {self.get_agency_kind_display()} ({self.legal_reference})"


class DeadlineUnit(models.TextChoices):
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days (NRW)")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")
    MONTH_END = "month_end", _("end of the month (0 = this month, 1 = next month …)")


class DeadlineRule(DatedRule):
    """A period fixed by law or by an agreement: 'the § 104c permit lasts 18 months', 'apply
    for the follow-on permit 6 weeks before expiry', 'an integration course starts within
    8 weeks of eligibility'. The rule in force on the anchor date decides; a negative amount
    counts back from the anchor."""

    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    amount = models.IntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=20, choices=DeadlineUnit.choices)

    class Meta:
        ordering = ["key", "valid_from"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="deadlinerule_key_from")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount} {self.get_unit_display()} ({self.legal_reference})"

    def apply(self, anchor: datetime.date) -> datetime.date:
        from dateutil.relativedelta import relativedelta

        if self.unit == DeadlineUnit.MONTHS:
            return anchor + relativedelta(months=self.amount)
        if self.unit == DeadlineUnit.MONTH_END:
            return (anchor + relativedelta(months=self.amount + 1)).replace(day=1) - datetime.timedelta(days=1)
        if self.unit == DeadlineUnit.WORKING_DAYS:
            from lotse.core.calendar import add_working_days

            return add_working_days(anchor, self.amount)
        days = self.amount * (7 if self.unit == DeadlineUnit.WEEKS else 1)
        return anchor + datetime.timedelta(days=days)

    def anchor_for(self, day: datetime.date) -> datetime.date:
        """The anchor whose deadline falls on `day` (the period counted the other way): "which
        expiry dates are within the invitation horizon today?"."""
        return DeadlineRule(key=self.key, amount=-self.amount, unit=self.unit).apply(day)


class RegimeStart(models.TextChoices):
    FIRST_OF_NEXT_MONTH = "first_of_next_month", _("first day of the month after the trigger")
    TRIGGER_DATE = "trigger_date", _("the day of the trigger")


class RegimeChangeRule(DatedRule):
    """When a residence status of `trigger_kinds` is recorded, benefits move from `from_regime`
    to `to_regime`: the old entitlement ends the day before the new one starts; the new one
    starts by `new_start` but never before `not_before`. `valid_from`/`valid_to` bound the
    dates of the statuses the rule applies to. The reverse direction (SGB II → AsylbLG) is a
    rule of its own with the regimes swapped.

    `old_regime_continues_until` expresses a transitional protection such as the planned
    Leistungsrechtsanpassungsgesetz: "existing SGB II grants continue until the end of their
    approval period, at most until <date>". With it, the old regime ends at the end of the
    person's current grant (the `valid_to` of their benefits entry of the old regime, which
    the paying office records as the end of the approval period), but never before the
    computed end (the day before the new start above) and never after this date; the new
    regime starts the day after. A grant without a recorded end is planned with the computed
    end, the earliest day the change can happen: both offices prepare in time and no gap can
    open because Lotse assumed a longer grant (see `handovers.timing.change_dates`).

    Where the law is unsettled (the end date after recognition, R1.2; the planned return of
    § 24 holders to the AsylbLG) the rule is data: an administrator corrects it in the rules
    area of the staff UI. `key` is unique: a RegimeChangeRule is corrected in place (its own
    `valid_from`/`valid_to` bound the statuses it covers); a new law is a new rule."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    trigger_kinds = models.JSONField(_("residence status kinds (codes)"), default=list)
    first_issued_after = models.DateField(
        _("only if the first such status began after"), null=True, blank=True,
        help_text=_("For rules that cover only titles first issued after a date."))
    from_regime = models.CharField(_("from benefits regime"), max_length=10)
    to_regime = models.CharField(_("to benefits regime"), max_length=10)
    new_start = models.CharField(_("new regime starts"), max_length=30, choices=RegimeStart.choices,
                                 default=RegimeStart.FIRST_OF_NEXT_MONTH)
    not_before = models.DateField(_("not before"), null=True, blank=True,
                                  help_text=_("A transition date: the new regime never starts earlier."))
    old_regime_continues_until = models.DateField(
        _("existing grants of the old regime continue at most until"), null=True, blank=True,
        help_text=_("Transitional protection: a grant of the old regime that runs at the change "
                    "continues to the end of its approval period (the recorded end of the "
                    "person's benefits entry), but not beyond this date. Empty: the old regime "
                    "ends the day before the new one starts."))

    class Meta:
        ordering = ["key"]
        verbose_name = _("regime change rule")
        verbose_name_plural = _("regime change rules")

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_reference})"


class GuideResponsibility(DatedRule):
    """The newcomers' guide: for a topic (and the situations named; none = every situation),
    the responsible office is the agency of `agency_kind` — the one serving the person's
    municipality if there is one, else the district-wide one. A change in law or organisation
    is a new version from a date."""

    key = models.SlugField(_("key"), max_length=80)
    topic = models.CharField(_("topic"), max_length=30, choices=GuideTopic.choices)
    situations = models.JSONField(_("situations"), default=list, blank=True,
                                  help_text=_("Empty: every situation."))
    agency_kind = models.CharField(_("responsible agency kind"), max_length=40, choices=AgencyKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["topic", "order", "key", "valid_from"]
        verbose_name = _("guide responsibility")
        verbose_name_plural = _("guide responsibilities")
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="guideresponsibility_key_from")
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} → {self.get_agency_kind_display()} ({self.legal_reference})"

    def applies_to(self, situation: str) -> bool:
        return not self.situations or situation in self.situations

    def clean(self) -> None:
        super().clean()
        if set(self.situations or []) - set(NewcomerSituation.values):
            raise ValidationError({"situations": _("Unknown situation.")})


class FirstStep(DatedRule):
    """One step of the newcomers' first-steps checklist, with the office for it (an agency kind
    in Lotse, or an office outside such as the Federal Central Tax Office). The German title and
    text are the source of the guide's translations (key `step:<key>`)."""

    key = models.SlugField(_("key"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    topic = models.CharField(_("topic"), max_length=30, choices=GuideTopic.choices)
    situations = models.JSONField(_("situations"), default=list, blank=True,
                                  help_text=_("Empty: every situation."))
    title = models.CharField(_("title (German)"), max_length=200)
    text = models.TextField(_("text (German)"), blank=True)
    agency_kind = models.CharField(_("office in Lotse (agency kind)"), max_length=40,
                                   choices=AgencyKind.choices, blank=True)
    outside_office = models.CharField(
        _("office outside Lotse (German)"), max_length=200, blank=True,
        help_text=_("For steps at an office that is not an agency in Lotse, e.g. a bank."))
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline in days"), null=True, blank=True, help_text=_("Empty: no deadline."))

    class Meta:
        ordering = ["order", "key", "valid_from"]
        verbose_name = _("first step")
        verbose_name_plural = _("first steps")
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="firststep_key_from")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.legal_reference})"

    @property
    def translation_key(self) -> str:
        return f"step:{self.key}"

    def translatable(self) -> dict[str, str]:
        return {"title": self.title, "text": self.text, "outside_office": self.outside_office}

    def applies_to(self, situation: str) -> bool:
        return not self.situations or situation in self.situations

    def clean(self) -> None:
        super().clean()
        if set(self.situations or []) - set(NewcomerSituation.values):
            raise ValidationError({"situations": _("Unknown situation.")})
        if not self.agency_kind and not self.outside_office.strip():
            raise ValidationError({"outside_office": _("Name the office: an agency kind or an office outside.")})
