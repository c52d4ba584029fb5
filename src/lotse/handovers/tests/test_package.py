"""The data package of a handover: the job centre sees the social office's data of exactly the
consented categories; without consent identity only (the legal-basis rule) and a banner that
names every hidden category and why; a revocation hides at once; a third office gets nothing;
the paying office sees what the next office sees; every read and export is logged."""

import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import add_benefits, register_person
from lotse.handovers.models import Handover
from lotse.handovers.package import CategoryState, handover_package, package_as_dict
from lotse.handovers.package_pdf import render_package_html, render_package_pdf
from lotse.handovers.services import HandoverNotFound
from lotse.organisations.models import Role, StaffUser
from lotse.people.models import PersonAgencyLink
from lotse.people.services import household_assign, residence_status_add
from lotse.rules.models import ResidenceKind

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.date.today()
EMAIL = "rami.canary@example.org"


RECOGNISED_ON = D(2026, 3, 10)


def recognise(world, pid, code="p25-2-gfk", on=RECOGNISED_ON):
    """The ABH records a recognition: the trigger opens the handover."""
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["abh"])
    kind = ResidenceKind.objects.in_force(on).get(code=code)
    residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="eat",
                         valid_from=on)


def handover_of(pid) -> Handover:
    with personal_data_scope():
        return Handover.objects.get(person_id=pid)


def build_household(world):
    """Rami (trigger) and his partner Huda, both AsylbLG clients of social office A."""
    rami = register_person(world, given_names="Rami", family_name="Saleh", email=EMAIL,
                           phone="0151 222", street="Marktstr. 1", city="A-Dorf")
    huda = register_person(world, given_names="Huda", family_name="Saleh")
    household_assign(ctx=world.ctx("social_a"), person_id=huda, role="partner", with_person_id=rami)
    add_benefits(world, rami)
    add_benefits(world, huda)
    recognise(world, rami)
    return rami, huda, handover_of(rami)


def consent(world, pid, categories, *, purpose="benefits_handover", frm="social_a", to="jobcentre",
            from_kind="", to_kind=""):
    return consent_record(
        ctx=world.ctx("social_a"), person_id=pid, categories=list(categories), purpose=purpose,
        to_agency_id=None if to_kind else world.agencies[to].pk, to_kind=to_kind,
        from_agency_id=None if from_kind else world.agencies[frm].pk, from_kind=from_kind,
        given_on=TODAY, valid_until=None, method="signed_form", informed_language="ar")


def states(member) -> dict[str, str]:
    return {s.category: s.state for s in member.sections}


def section(member, category):
    return next(s for s in member.sections if s.category == category)


def last_seq() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_without_consent_the_job_centre_sees_identity_only_and_a_reason_for_the_rest(world):
    rami, huda, handover = build_household(world)
    package = handover_package(world.ctx("jobcentre"), handover.pk)
    assert package.viewer == "receiving_office"
    assert [m.person_id for m in package.members] == [rami, huda]
    assert package.members[0].is_trigger_person and not package.members[1].is_trigger_person
    for member in package.members:
        assert states(member) == {"identity": "shown", "contact": "hidden", "household": "hidden",
                                  "benefits": "hidden"}
        assert "§ 69 Abs. 1 Nr. 1 SGB X" in section(member, "identity").explanation
    contact = section(package.members[0], "contact")
    assert contact.explanation == ("verborgen: keine Einwilligung für die Kategorie „Kontakt und "
                                   "Anschrift“ von Sozialamt A-Dorf an Jobcenter Test")
    assert contact.rows == ()
    # The banner lists every hidden category of every member.
    assert {(m.person_id, s.category) for m, s in package.hidden} == {
        (pid, c) for pid in (rami, huda) for c in ("contact", "household", "benefits")}
    data = json.dumps(package_as_dict(package), cls=DjangoJSONEncoder)
    assert EMAIL not in data and "Marktstr" not in data
    as_dict = package_as_dict(package)
    assert as_dict["members"][0]["identity"]["family_name"] == "Saleh"
    assert as_dict["members"][0]["contact"] is None and as_dict["members"][0]["benefits"] is None


def test_a_consent_opens_exactly_the_consented_categories(world):
    rami, huda, handover = build_household(world)
    consent(world, rami, ["contact", "benefits"])
    package = handover_package(world.ctx("jobcentre"), handover.pk)
    first, second = package.members
    assert states(first) == {"identity": "shown", "contact": "shown", "household": "hidden",
                             "benefits": "shown"}
    assert states(second) == {"identity": "shown", "contact": "hidden", "household": "hidden",
                              "benefits": "hidden"}  # Huda did not consent
    assert "sichtbar aufgrund der Einwilligung #" in section(first, "contact").explanation
    rows = {row.key: row.value for row in section(first, "contact").rows}
    assert rows["email"] == EMAIL and rows["street"] == "Marktstr. 1"
    [entry] = section(first, "benefits").entries
    assert (entry["regime"], entry["responsible_agency_id"]) == ("asylblg", world.agencies["social_a"].pk)
    assert section(first, "household").explanation.startswith(
        "verborgen: keine Einwilligung für die Kategorie „Haushalt“")


def test_a_consent_for_every_office_of_the_kind_counts_too(world):
    rami, _huda, handover = build_household(world)
    consent(world, rami, ["household"], from_kind="social_office", to_kind="job_centre")
    first = handover_package(world.ctx("jobcentre"), handover.pk).members[0]
    assert states(first)["household"] == "shown"
    rows = {row.key: row.value for row in section(first, "household").rows}
    assert rows["household_role"] == "head"


def test_a_consent_for_another_purpose_or_from_another_office_opens_nothing(world):
    rami, _huda, handover = build_household(world)
    consent(world, rami, ["contact"], purpose="benefits_administration")
    # The welfare association's own file on Rami, with a consent to the job centre: still not
    # the social office's data, so not in the package.
    with personal_data_scope():
        PersonAgencyLink.objects.create(person_id=rami, agency=world.agencies["caritas"])
    consent(world, rami, ["contact"], frm="caritas")
    first = handover_package(world.ctx("jobcentre"), handover.pk).members[0]
    assert states(first)["contact"] == "hidden"
    assert section(first, "contact").rows == ()


def test_a_revocation_hides_the_data_at_once(world):
    rami, _huda, handover = build_household(world)
    given = consent(world, rami, ["contact", "benefits"])
    ctx = world.ctx("jobcentre")
    assert states(handover_package(ctx, handover.pk).members[0])["contact"] == "shown"
    consent_revoke(ctx=world.ctx("social_a"), consent_id=given.pk, note="am Schalter widerrufen")
    first = handover_package(ctx, handover.pk).members[0]
    assert states(first)["contact"] == "hidden" and states(first)["benefits"] == "hidden"
    assert EMAIL not in json.dumps(package_as_dict(handover_package(ctx, handover.pk)),
                                   cls=DjangoJSONEncoder)


@pytest.mark.parametrize("stranger", ["social_b", "caritas", "abh", "coordinator"])
def test_a_third_office_gets_not_found(world, stranger):
    _rami, _huda, handover = build_household(world)
    with pytest.raises(HandoverNotFound):
        handover_package(world.ctx(stranger), handover.pk)
    with pytest.raises(HandoverNotFound):
        handover_package(world.ctx("jobcentre"), handover.pk + 1000)


def test_the_paying_office_sees_its_data_cut_to_what_the_next_office_sees(world):
    rami, huda, handover = build_household(world)
    consent(world, rami, ["contact"])
    seq = last_seq()
    package = handover_package(world.ctx("social_a"), handover.pk)
    assert package.viewer == "paying_office"
    assert states(package.members[0]) == {"identity": "shown", "contact": "shown",
                                          "household": "hidden", "benefits": "hidden"}
    assert states(package.members[1])["contact"] == "hidden"
    assert section(package.members[0], "benefits").explanation == (
        "verborgen: keine Einwilligung für die Kategorie „Leistungen“ von Sozialamt A-Dorf an "
        "Jobcenter Test")
    events = list(AccessEvent.objects.filter(seq__gt=seq))
    assert {(e.action, e.agency_id, e.object_ref) for e in events} == {
        ("handover.package.read", world.agencies["social_a"].pk, f"handover:{handover.pk}")}
    assert {e.person_id for e in events if e.decision == "allowed"} == {rami, huda}


def test_reads_and_exports_are_logged_with_purpose_and_handover(world):
    rami, huda, handover = build_household(world)
    ctx = world.ctx("jobcentre")
    seq = last_seq()
    handover_package(ctx, handover.pk)
    handover_package(ctx, handover.pk, export="pdf")
    handover_package(ctx, handover.pk, export="json")
    events = list(AccessEvent.objects.filter(seq__gt=seq, decision="allowed"))
    assert [(e.action, e.object_ref) for e in events if e.person_id == rami] == [
        ("handover.package.read", f"handover:{handover.pk}"),
        ("handover.package.export", f"handover:{handover.pk}:pdf"),
        ("handover.package.export", f"handover:{handover.pk}:json"),
    ]
    assert all(e.purpose == "benefits_handover" and e.actor_id == world.users["jobcentre"].pk
               for e in events)
    assert {e.person_id for e in events} == {rami, huda}
    # Categories it may not see are logged as denied, never as allowed.
    denied = [e for e in AccessEvent.objects.filter(seq__gt=seq, decision="denied", person_id=rami)]
    assert denied and all("contact" in e.categories for e in denied)


def test_without_the_handover_permission_the_read_is_refused_and_logged(world):
    _rami, _huda, handover = build_household(world)
    user = StaffUser.objects.create_user(username="jc-reader", password="test-password-123",
                                         agency=world.agencies["jobcentre"])
    user.roles.set(Role.objects.filter(code="registration_clerk"))
    world.users["jc_reader"] = user
    seq = last_seq()
    with pytest.raises(AccessDenied):
        handover_package(world.ctx("jc_reader"), handover.pk)
    [event] = AccessEvent.objects.filter(seq__gt=seq)
    assert (event.action, event.decision) == ("handover.package.read.refused", "denied")


def test_a_member_the_next_office_may_not_see_is_counted_not_shown(world):
    rami, _huda, handover = build_household(world)
    # A child registered by the welfare association joins the household after the handover
    # opened; the social office holds no file on her, so the job centre may not see her.
    child = register_person(world, by="caritas", given_names="Lina", family_name="Saleh")
    from lotse.handovers.models import HandoverMember

    with personal_data_scope():
        HandoverMember.objects.create(handover=handover, person_id=child, role="child")
    package = handover_package(world.ctx("jobcentre"), handover.pk)
    assert child not in [m.person_id for m in package.members]
    assert package.members_not_shown == 1
    assert "Lina" not in json.dumps(package_as_dict(package), cls=DjangoJSONEncoder)


def test_the_pdf_is_german_and_names_the_hidden_categories(world):
    rami, _huda, handover = build_household(world)
    consent(world, rami, ["contact"])
    with translation.override("de"):
        package = handover_package(world.ctx("jobcentre"), handover.pk, export="pdf")
    html = render_package_html(package)
    assert "Datenpaket zum Rechtskreiswechsel" in html
    assert "verborgen: keine Einwilligung für die Kategorie „Leistungen“" in html
    assert EMAIL in html  # consented
    assert package.members[1].sections[1].state == CategoryState.HIDDEN
    pdf = render_package_pdf(package)
    assert pdf.startswith(b"%PDF")
