"""The rules area of the staff admin UI: administrators enter and correct the dated rule data
without a code change; a changed rule changes dates computed afterwards; a new version from a
date keeps earlier cases on the old rule; bad input is refused in German and changes nothing;
everybody else gets 404; every change is in the access log."""

import datetime
import html

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client

from lotse.audit.models import AccessEvent
from lotse.core.testing import add_benefits, register_person
from lotse.handovers.tests.test_trigger import _handovers, _status
from lotse.rules.models import AccessRule, DeadlineRule, RecordResponsibility, RegimeChangeRule, ResidenceKind
from lotse.rules.selectors import deadline_from
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

D = datetime.date
KINDS = ("deadlines", "regime-changes", "access", "residence-kinds", "responsibilities")


def _deadline(key="handover-application") -> DeadlineRule:
    return DeadlineRule.objects.get(key=key)


def _form_data(rule: DeadlineRule, **changes) -> dict:
    data = {"name": rule.name, "amount": rule.amount, "unit": rule.unit,
            "legal_reference": rule.legal_reference, "description": rule.description,
            "valid_from": rule.valid_from.isoformat(), "valid_to": rule.valid_to.isoformat() if rule.valid_to else "",
            "source_note": rule.source_note}
    data.update(changes)
    return data


def _regime_data(rule: RegimeChangeRule, **changes) -> dict:
    data = {"name": rule.name, "trigger_kinds": ", ".join(rule.trigger_kinds),
            "from_regime": rule.from_regime, "to_regime": rule.to_regime, "new_start": rule.new_start}
    for name in ("first_issued_after", "not_before", "old_regime_continues_until", "valid_from", "valid_to"):
        value = getattr(rule, name)
        data[name] = value.isoformat() if value else ""
    data.update(legal_reference=rule.legal_reference, description=rule.description, source_note=rule.source_note)
    data.update(changes)
    return data


def _access_data(rule: AccessRule, **changes) -> dict:
    data = {"kind": rule.kind, "source_kind": rule.source_kind, "recipient_kind": rule.recipient_kind,
            "categories": rule.categories, "purposes": ", ".join(rule.purposes), "scope": rule.scope,
            "read_only": "on" if rule.read_only else "", "legal_reference": rule.legal_reference,
            "description": rule.description, "valid_from": rule.valid_from.isoformat(),
            "valid_to": "", "source_note": rule.source_note}
    if rule.source_professional_secrecy:
        data["source_professional_secrecy"] = "on"
    data.update(changes)
    return data


def _rule_log():
    return list(AccessEvent.objects.filter(action="rule.changed").order_by("seq"))


def _snapshot():
    return {model.__name__: {r.pk: model_to_dict(r) for r in model.objects.all()}
            for model in (DeadlineRule, RegimeChangeRule, AccessRule, ResidenceKind, RecordResponsibility)}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_administrator_sees_every_kind_of_rule_with_reference_validity_and_source(world):
    client = _client_for(world, "admin")
    home = client.get("/admin/rules/")
    assert home.status_code == 200
    assert 'href="/admin/rules/"' in home.content.decode()  # the navigation entry
    for kind in KINDS:
        assert f'href="/admin/rules/{kind}/"' in home.content.decode()
        assert client.get(f"/admin/rules/{kind}/").status_code == 200, kind
    page = _text(client.get("/admin/rules/deadlines/"))
    rule = _deadline()
    assert rule.legal_reference in page and "01.01.2011" in page and "in Kraft" in page
    assert "An application takes effect back to the 1st of the month" in page  # the source note
    assert f"/admin/rules/deadlines/{rule.pk}/new-version/" in page
    regime = _text(client.get("/admin/rules/regime-changes/"))
    assert "Leistungsrechtsanpassungsgesetz" in regime and "UNVERIFIED" in regime
    assert "bestehende Bewilligungen höchstens bis 30.09.2026" in regime
    assert "/new-version/" not in regime  # regime change rules are corrected in place
    for rule in RegimeChangeRule.objects.all():
        assert client.get(f"/admin/rules/regime-changes/{rule.pk}/").status_code == 200
    for kind, model in (("access", AccessRule), ("residence-kinds", ResidenceKind),
                        ("responsibilities", RecordResponsibility)):
        rule = model.objects.first()
        assert client.get(f"/admin/rules/{kind}/{rule.pk}/").status_code == 200
        assert client.get(f"/admin/rules/{kind}/new/").status_code == 200


def test_a_changed_deadline_changes_the_due_dates_computed_afterwards(world):
    client = _client_for(world, "admin")
    rule = _deadline()
    assert deadline_from(key="handover-application", anchor=D(2026, 4, 1))[0] == D(2026, 4, 30)
    response = client.post(f"/admin/rules/deadlines/{rule.pk}/", _form_data(rule, amount="1"))
    assert response.status_code == 302 and response["Location"] == "/admin/rules/deadlines/"
    assert deadline_from(key="handover-application", anchor=D(2026, 4, 1))[0] == D(2026, 5, 31)
    # A handover opened afterwards gets its application deadline from the corrected rule.
    pid = register_person(world)
    add_benefits(world, pid)
    _status(world, pid, "p25-1", D(2026, 3, 10))
    [handover] = _handovers()
    assert handover.application_due_on == D(2026, 5, 31)
    [event] = _rule_log()
    assert (event.object_ref, event.person_id, event.actor_id) == (
        f"deadline_rule:{rule.pk}", None, world.users["admin"].pk)
    assert event.basis == "edited: amount 0 → 1"
    rule.refresh_from_db()
    assert client.post(f"/admin/rules/deadlines/{rule.pk}/", _form_data(rule)).status_code == 302
    assert len(_rule_log()) == 1  # saving without a change is no change


def test_a_new_version_from_a_date_keeps_earlier_cases_on_the_old_rule(world):
    client = _client_for(world, "admin")
    old = _deadline()
    page = client.get(f"/admin/rules/deadlines/{old.pk}/new-version/")
    assert page.status_code == 200
    response = client.post(f"/admin/rules/deadlines/{old.pk}/new-version/", {"valid_from": "2027-01-01"})
    new = DeadlineRule.objects.get(key="handover-application", valid_from=D(2027, 1, 1))
    assert response.status_code == 302 and response["Location"] == f"/admin/rules/deadlines/{new.pk}/"
    old.refresh_from_db()
    assert old.valid_to == D(2026, 12, 31) and new.valid_to is None
    assert (new.amount, new.unit, new.legal_reference, new.source_note) == (
        old.amount, old.unit, old.legal_reference, old.source_note)
    client.post(f"/admin/rules/deadlines/{new.pk}/", _form_data(new, amount="1"))
    assert deadline_from(key="handover-application", anchor=D(2026, 12, 1))[0] == D(2026, 12, 31)
    assert deadline_from(key="handover-application", anchor=D(2027, 2, 1))[0] == D(2027, 3, 31)
    assert [(e.object_ref, e.basis) for e in _rule_log()] == [
        (f"deadline_rule:{old.pk}", f"closed on 2026-12-31 for the new version deadline_rule:{new.pk}"),
        (f"deadline_rule:{new.pk}", f"new version of deadline_rule:{old.pk} from 2027-01-01"),
        (f"deadline_rule:{new.pk}", "edited: amount 0 → 1"),
    ]
    # Reloading the shipped reference data neither reopens nor duplicates the versioned rule.
    call_command("load_reference_data", verbosity=0)
    assert DeadlineRule.objects.filter(key="handover-application").count() == 2


def test_access_rules_and_residence_kinds_get_new_versions_too(world):
    client = _client_for(world, "admin")
    access = AccessRule.objects.get(key="abh-to-social-office-residence")
    assert client.post(f"/admin/rules/access/{access.pk}/new-version/",
                       {"valid_from": "2027-01-01"}).status_code == 302
    newer = AccessRule.objects.get(key=access.key, valid_from=D(2027, 1, 1))
    response = client.post(f"/admin/rules/access/{newer.pk}/", _access_data(
        newer, purposes="benefits_administration", categories=["identity", "residence"]))
    assert response.status_code == 302
    newer.refresh_from_db()
    assert newer.purposes == ["benefits_administration"] and newer.categories == ["identity", "residence"]
    assert [r.pk for r in AccessRule.objects.in_force(D(2026, 6, 1)).filter(key=access.key)] == [access.pk]
    kind = ResidenceKind.objects.get(code="p25-3")
    assert client.post(f"/admin/rules/residence-kinds/{kind.pk}/new-version/",
                       {"valid_from": "2027-03-01"}).status_code == 302
    assert ResidenceKind.objects.in_force(D(2027, 2, 28)).get(code="p25-3").pk == kind.pk
    assert ResidenceKind.objects.in_force(D(2027, 3, 1)).get(code="p25-3").pk != kind.pk
    call_command("load_reference_data", verbosity=0)  # idempotent with versions in place
    assert AccessRule.objects.filter(key=access.key).count() == 2
    assert ResidenceKind.objects.filter(code="p25-3").count() == 2
    refs = {e.object_ref for e in _rule_log()}
    assert {f"access_rule:{access.pk}", f"access_rule:{newer.pk}", f"residence_kind:{kind.pk}"} <= refs


def test_the_regime_change_rule_is_corrected_in_place_with_its_transition_date(world):
    client = _client_for(world, "admin")
    rule = RegimeChangeRule.objects.get(key="ukraine-2026-to-asylblg")
    assert client.get(f"/admin/rules/regime-changes/{rule.pk}/new-version/").status_code == 404
    page = _text(client.get(f"/admin/rules/regime-changes/{rule.pk}/"))
    assert "Bestehende Bewilligungen des bisherigen Rechtskreises laufen höchstens bis" in page
    response = client.post(f"/admin/rules/regime-changes/{rule.pk}/", _regime_data(
        rule, old_regime_continues_until="2026-10-31", key="something-else"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.old_regime_continues_until == D(2026, 10, 31)
    assert rule.key == "ukraine-2026-to-asylblg"  # the key is read-only once saved
    [event] = _rule_log()
    assert event.object_ref == f"regime_change_rule:{rule.pk}"
    assert event.basis == "edited: old_regime_continues_until 2026-09-30 → 2026-10-31"


def test_a_new_rule_can_be_entered(world):
    client = _client_for(world, "admin")
    response = client.post("/admin/rules/residence-kinds/new/", {
        "code": "p24-neu", "name": "Vorübergehender Schutz (neu)", "legal_basis": "§ 24 AufenthG",
        "is_title": "on", "legal_reference": "§ 24 AufenthG", "description": "",
        "valid_from": "2027-01-01", "valid_to": "", "source_note": "Test"})
    assert response.status_code == 302
    kind = ResidenceKind.objects.get(code="p24-neu")
    [event] = _rule_log()
    assert (event.object_ref, event.basis) == (f"residence_kind:{kind.pk}", "created")


def _bad_requests(world):
    deadline = _deadline()
    regime = RegimeChangeRule.objects.get(key="ukraine-2026-to-asylblg")
    access = AccessRule.objects.get(key="abh-to-social-office-residence")
    kind = ResidenceKind.objects.get(code="duldung")
    return [
        (f"/admin/rules/deadlines/{deadline.pk}/", _form_data(deadline, valid_to="2010-12-31"),
         "Das Ende der Gültigkeit liegt vor ihrem Beginn."),
        (f"/admin/rules/deadlines/{deadline.pk}/", _form_data(deadline, amount="zwei"), "ganze Zahl"),
        (f"/admin/rules/deadlines/{deadline.pk}/", _form_data(deadline, amount="100000"), "kleiner oder gleich 1000"),
        (f"/admin/rules/deadlines/{deadline.pk}/", _form_data(deadline, unit="fortnights"),
         "fortnights ist keine gültige"),
        (f"/admin/rules/access/{access.pk}/", _access_data(access, purposes="benefits_administration, spying"),
         "Unbekannte Codes: spying"),
        (f"/admin/rules/access/{access.pk}/", _access_data(access, categories=[]), "Dieses Feld ist zwingend"),
        (f"/admin/rules/regime-changes/{regime.pk}/", _regime_data(regime, trigger_kinds="p24, p99"),
         "Unbekannte Codes: p99"),
        (f"/admin/rules/regime-changes/{regime.pk}/", _regime_data(regime, old_regime_continues_until="2026-05-31"),
         "Bestehende Bewilligungen können nicht vor dem Tag vor dem Übergangsdatum"),
        (f"/admin/rules/regime-changes/{regime.pk}/", _regime_data(regime, to_regime="sgb2"),
         "Der neue Rechtskreis muss sich vom bisherigen unterscheiden."),
        (f"/admin/rules/regime-changes/{regime.pk}/", _regime_data(regime, valid_to="2025-01-01"),
         "Das Ende der Gültigkeit liegt vor ihrem Beginn."),
        (f"/admin/rules/deadlines/{deadline.pk}/new-version/", {"valid_from": "2005-01-01"},
         "Die neue Version muss nach der aktuellen beginnen"),
        (f"/admin/rules/deadlines/{deadline.pk}/new-version/", {"valid_from": "kein Datum"}, "gültiges Datum"),
        ("/admin/rules/residence-kinds/new/", {
            "code": kind.code, "name": "Duldung", "legal_basis": "§ 60a AufenthG", "legal_reference": "x",
            "valid_from": "2020-01-01", "valid_to": ""}, "Eine andere Version dieser Regel gilt vom 01.01.2005"),
    ]


def test_bad_input_is_refused_in_german_with_400_and_changes_nothing(world):
    client = _client_for(world, "admin")
    before = _snapshot()
    for url, data, message in _bad_requests(world):
        response = client.post(url, data)
        assert response.status_code == 400, (url, data)
        assert message in _text(response), (url, message)
        assert 'class="kern-error"' in response.content.decode() or "kern-alert--danger" in response.content.decode()
    assert _snapshot() == before
    assert _rule_log() == []


def test_everybody_but_the_administrator_gets_404(world):
    deadline = _deadline()
    urls = ["/admin/rules/", *(f"/admin/rules/{kind}/" for kind in KINDS), "/admin/rules/deadlines/new/",
            f"/admin/rules/deadlines/{deadline.pk}/", f"/admin/rules/deadlines/{deadline.pk}/new-version/"]
    before = _snapshot()
    for persona in ("caritas", "social_a", "jobcentre", "abh", "coordinator", "dpo", "teamlead"):
        client = _client_for(world, persona)
        home = client.get("/")
        assert 'href="/admin/rules/"' not in home.content.decode(), persona
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
        assert client.post(f"/admin/rules/deadlines/{deadline.pk}/",
                           _form_data(deadline, amount="3")).status_code == 404
        assert client.post(f"/admin/rules/deadlines/{deadline.pk}/new-version/",
                           {"valid_from": "2027-01-01"}).status_code == 404
    anonymous = Client().get("/admin/rules/deadlines/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert _snapshot() == before and _rule_log() == []


def test_unknown_kinds_and_rules_are_not_found(world):
    client = _client_for(world, "admin")
    assert client.get("/admin/rules/spells/").status_code == 404
    assert client.get("/admin/rules/deadlines/999999/").status_code == 404
    assert client.get("/admin/rules/responsibilities/1/new-version/").status_code == 404


def test_the_help_page_explains_the_change_of_benefits_regime_and_the_rules_area(world):
    page = _text(_client_for(world, "social_a").get("/help/"))
    assert '<h2 class="kern-heading-medium" id="help-regime-change">Rechtskreiswechsel</h2>' in page
    assert '<h2 class="kern-heading-medium" id="help-rules">Regeln</h2>' in page
    for text in ("„Gruppenwechsel“", "„Aufenthaltsdaten (ABH)“", "Ende des Bewilligungszeitraums",
                 "neue Version ab diesem Datum"):
        assert text in page, text
