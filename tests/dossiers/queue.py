"""A ward's queue for tests: two service areas and two counters, each counter serving both areas."""

from __future__ import annotations

from dataclasses import dataclass

from dossiers.models import Counter, ServiceArea


@dataclass
class Hall:
    civil: ServiceArea  # A: hộ tịch
    certify: ServiceArea  # B: chứng thực
    one: Counter
    two: Counter


def hall(agency) -> Hall:
    civil = ServiceArea.objects.create(agency=agency, name="Hộ tịch", letter="A", order=1)
    certify = ServiceArea.objects.create(agency=agency, name="Chứng thực", letter="B", order=2)
    one = Counter.objects.create(agency=agency, number=1)
    two = Counter.objects.create(agency=agency, number=2)
    for counter in (one, two):
        counter.areas.set([civil, certify])
    return Hall(civil, certify, one, two)
