"""Welcome-counselling capacity: coordinators set the FTE of an association in a municipality
(0 removes it), every change logged; bad values, strangers and other districts change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.core.testing import build_world
from lotse.steering.capacity import CapacityEntry, CapacityNotFound, capacities_set, capacity_set, parse_fte
from lotse.steering.models import CounsellingCapacity


def _stored():
    return sorted((c.agency.name, c.municipality.name, c.fte)
                  for c in CounsellingCapacity.objects.select_related("agency", "municipality"))


def _set(world, fte, *, by="coordinator", agency="caritas", town=None):
    return capacity_set(ctx=world.ctx(by), agency_id=world.agencies[agency].pk,
                        municipality_id=(town or world.town_a).pk, fte=Decimal(fte))


@pytest.mark.django_db
def test_set_change_and_remove_a_capacity_each_logged(world):
    capacity = _set(world, "0.75")
    assert _stored() == [("Caritas Test", "A-Dorf", Decimal("0.75"))]
    assert capacity.district_id == world.district.pk
    _set(world, "1.5")
    assert _stored() == [("Caritas Test", "A-Dorf", Decimal("1.50"))]
    _set(world, "1.50")  # unchanged: no write, no log entry
    assert _set(world, "0") is None
    assert _stored() == []
    log = list(AccessEvent.objects.filter(action__startswith="steering.capacity.").values_list(
        "action", "object_ref", "basis"))
    assert log == [("steering.capacity.set", f"capacity:{capacity.pk}", "fte=0.75"),
                   ("steering.capacity.set", f"capacity:{capacity.pk}", "fte=1.50"),
                   ("steering.capacity.removed", f"capacity:{capacity.pk}", "fte=1.50")]


@pytest.mark.django_db
@pytest.mark.parametrize("fte", ["100", "-0.5", "0.125"])
def test_a_value_outside_0_to_99_99_with_two_decimals_is_refused(world, fte):
    with pytest.raises(ValidationError) as exc:
        _set(world, fte)
    assert exc.value.message_dict == {"fte": [
        "Geben Sie 0 bis 99,99 Vollzeitäquivalente mit höchstens zwei Nachkommastellen an (z. B. 0,5)."]}
    assert _stored() == []


@pytest.mark.django_db
def test_only_welfare_associations_of_the_own_district(world):
    other = build_world("88888")
    with pytest.raises(CapacityNotFound):
        _set(world, "1", agency="abh")  # the foreigners' authority is no welfare association
    with pytest.raises(CapacityNotFound):
        capacity_set(ctx=world.ctx("coordinator"), agency_id=other.agencies["caritas"].pk,
                     municipality_id=world.town_a.pk, fte=Decimal("1"))
    with pytest.raises(CapacityNotFound):
        _set(world, "1", town=other.town_a)
    assert _stored() == []


@pytest.mark.django_db
def test_only_coordinators_set_capacities(world):
    for user in ("steering_member", "caritas"):
        with pytest.raises(AccessDenied):
            _set(world, "1", by=user)
    assert _stored() == []
    assert AccessEvent.objects.filter(action="steering.capacity.refused", decision="denied").count() == 2


@pytest.mark.django_db
def test_many_at_once_all_or_nothing(world):
    good = CapacityEntry(world.agencies["caritas"].pk, world.town_a.pk, Decimal("0.5"))
    bad = CapacityEntry(world.agencies["abh"].pk, world.town_b.pk, Decimal("1"))
    with pytest.raises(CapacityNotFound):
        capacities_set(ctx=world.ctx("coordinator"), entries=[good, bad])
    assert _stored() == []
    changes = capacities_set(ctx=world.ctx("coordinator"), entries=[
        good, CapacityEntry(world.agencies["caritas"].pk, world.town_b.pk, Decimal("1.25"))])
    assert (changes.saved, changes.removed) == (2, 0)
    assert _stored() == [("Caritas Test", "A-Dorf", Decimal("0.50")), ("Caritas Test", "B-Stadt", Decimal("1.25"))]


@pytest.mark.db_independent
@pytest.mark.parametrize(("text", "value"), [
    ("0,5", Decimal("0.5")), ("1.25", Decimal("1.25")), (" 2 ", Decimal("2")), ("", Decimal("0")),
    ("99,99", Decimal("99.99"))])
def test_fte_is_read_with_a_decimal_comma_or_point(text, value):
    assert parse_fte(text) == value


@pytest.mark.db_independent
@pytest.mark.parametrize("text", ["1.234", "-1", "100", "1,5,0", "abc", "0,125", "1e2"])
def test_fte_that_cannot_be_read(text):
    with pytest.raises(ValueError):
        parse_fte(text)
