"""factory_boy factories for directory rows beyond the fixed `world` (STYLE.md §13)."""

from __future__ import annotations

import factory

from bokbro.directory.models import (
    County,
    Library,
    LibraryKind,
    LibraryRole,
    LibraryRoleKind,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
)


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    country = "NO"
    code = factory.Sequence(lambda n: f"{50 + n % 50:02d}")
    name = factory.Sequence(lambda n: f"Fylke {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    country = factory.SelfAttribute("county.country")
    code = factory.Sequence(lambda n: f"{7000 + n}")
    name = factory.Sequence(lambda n: f"Kommune {n}")
    county = factory.SubFactory(CountyFactory)
    population = 10000


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    name = factory.Sequence(lambda n: f"Bibliotek {n:03d}")
    kind = LibraryKind.BRANCH
    municipality = factory.SubFactory(MunicipalityFactory)
    city = "Fredrikstad"
    website = "https://bibliotek.example"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Skole {n:03d}")
    kind = OrganisationKind.SCHOOL
    municipality = factory.SubFactory(MunicipalityFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n:03d}")
    email = factory.Sequence(lambda n: f"person{n}@bibliotek.example")
    phone = "+47 400 00 000"


class LibraryRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryRole

    person = factory.SubFactory(PersonFactory)
    library = factory.SubFactory(LibraryFactory)
    role = LibraryRoleKind.STAFF
