"""The mobile library (bokbuss / bokbuss): vehicles, their routes (a named day's trip), the stops
they make and the visits — a stop on a route at a time of day, repeated by an iCalendar RRULE
from a first to an optional last date. Cancellations are the dates a visit does not happen
(the source's exception dates, or a one-off cancellation with a reason); school holidays are
entered by the agency and stop the visits to schools and kindergartens.

Size: one schema read together; each model is short.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.limits import between, within
from bokbro.directory.models import Agency, Municipality


class StopKind(models.TextChoices):
    PUBLIC = "public", _("Public stop")
    SCHOOL = "school", _("School")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    CARE_HOME = "care_home", _("Care home")
    INSTITUTION = "institution", _("Institution")
    WORKPLACE = "workplace", _("Workplace")


# Stop kinds the mobile library does not visit in the school holidays.
SCHOOL_KINDS = frozenset({StopKind.SCHOOL, StopKind.KINDERGARTEN})


class Vehicle(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="vehicles", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=100)
    operator = models.CharField(
        _("operator"),
        max_length=200,
        blank=True,
        help_text=_("Who runs the mobile library: the agency or a municipality."),
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    accessibility = models.CharField(
        _("accessibility"), max_length=300, blank=True, help_text=_("For example: has a lift.")
    )

    class Meta:
        verbose_name = _("mobile library")
        verbose_name_plural = _("mobile libraries")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="mobile_vehicle_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mobile:vehicle", args=[self.pk])


class Route(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="mobile_routes", verbose_name=_("agency")
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="routes", verbose_name=_("mobile library")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["vehicle__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "name"], name="mobile_route_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.vehicle.name}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("mobile:route", args=[self.pk])


class Stop(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="mobile_stops", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=StopKind.choices, default=StopKind.PUBLIC
    )
    community = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("The village or part of town.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobile_stops",
        verbose_name=_("municipality"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    note = models.CharField(
        _("where to find it"), max_length=300, blank=True, help_text=_("For example: by the shop.")
    )

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["community", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "community", "name"], name="mobile_stop_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="mobile_stop_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.community})" if self.community else self.name

    def get_absolute_url(self) -> str:
        return reverse("mobile:stop", args=[self.pk])

    @property
    def has_school_holidays(self) -> bool:
        return self.kind in SCHOOL_KINDS


class Term(models.Model):
    """A timetable's term ("Høsten 2027"): its visits happen only from its first to its last
    day, and the public sees them from `publish_on`, so staff prepare the next timetable as a
    draft while the current one stays public until the chosen day. No `publish_on`: a draft only
    staff see."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="mobile_terms", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    publish_on = models.DateField(
        _("public from"),
        null=True,
        blank=True,
        help_text=_(
            "The day the public sees this timetable. Leave empty while it is a draft only "
            "staff see."
        ),
    )

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="mobile_term_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="mobile_term_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_public(self, today: date) -> bool:
        return self.publish_on is not None and self.publish_on <= today


class VisitQuerySet(models.QuerySet["Visit"]):
    def public(self, today: date) -> VisitQuerySet:
        """The visits the public sees on `today`: those of no term, and those of a term that
        is public from that day or before."""
        return self.filter(Q(term__isnull=True) | Q(term__publish_on__lte=today))

    def for_timetable(self) -> VisitQuerySet:
        """With everything the expansion and a timetable line read, in a fixed number of
        queries however many visits there are."""
        return self.select_related(
            "route__vehicle", "stop__municipality", "agency"
        ).prefetch_related("cancellations")


class Visit(models.Model):
    """A stop on a route, at a time of day, on the dates an RRULE gives from `starts_on`."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="mobile_visits", verbose_name=_("agency")
    )
    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="visits", verbose_name=_("route")
    )
    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, related_name="visits", verbose_name=_("stop")
    )
    term = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("term"),
        help_text=_("Leave empty for a visit that is not part of a term's timetable."),
    )
    arrival = models.TimeField(_("arrival"))
    departure = models.TimeField(_("departure"))
    rule = models.CharField(
        _("repeats"),
        max_length=200,
        help_text=_("An iCalendar RRULE, for example FREQ=WEEKLY;INTERVAL=2."),
    )
    starts_on = models.DateField(_("first visit"))
    ends_on = models.DateField(_("last visit"), null=True, blank=True)
    timetable_url = models.URLField(_("published timetable"), max_length=500, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["route", "arrival", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "stop", "arrival"],
                condition=Q(term__isnull=True),
                name="mobile_visit_unique_time",
            ),
            models.UniqueConstraint(
                fields=["term", "route", "stop", "arrival"],
                condition=Q(term__isnull=False),
                name="mobile_visit_unique_time_in_term",
            ),
            models.CheckConstraint(
                condition=Q(departure__gte=F("arrival")), name="mobile_visit_departs_after"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="mobile_visit_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stop} {self.arrival:%H:%M}"


class Cancellation(models.Model):
    """A date a visit does not happen: an exception date of the source timetable, or a one-off
    cancellation with a reason that the public pages show."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="cancellations", verbose_name=_("visit")
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cancellation")
        verbose_name_plural = _("cancellations")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "date"], name="mobile_cancellation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.visit} {self.date}"


class ExtraVisitQuerySet(models.QuerySet["ExtraVisit"]):
    def for_timetable(self) -> ExtraVisitQuerySet:
        return self.select_related("route__vehicle", "stop__municipality").order_by(
            "date", "arrival", "pk"
        )


class ExtraVisit(models.Model):
    """A one-off visit outside the rules, on a date, at times, with a reason the public pages and
    the mails to the stop's followers show ("ekstra besøk i vinterferien")."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="mobile_extra_visits",
        verbose_name=_("agency"),
    )
    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="extra_visits", verbose_name=_("route")
    )
    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, related_name="extra_visits", verbose_name=_("stop")
    )
    date = models.DateField(_("date"))
    arrival = models.TimeField(_("arrival"))
    departure = models.TimeField(_("departure"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ExtraVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("extra visit")
        verbose_name_plural = _("extra visits")
        ordering = ["date", "arrival", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "stop", "date", "arrival"], name="mobile_extra_unique_time"
            ),
            models.CheckConstraint(
                condition=Q(departure__gte=F("arrival")), name="mobile_extra_departs_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stop} {self.date} {self.arrival:%H:%M}"


class SchoolHoliday(models.Model):
    """A school holiday of the agency's county (entered once a year): no visits to schools and
    kindergartens from the first to the last day."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="school_holidays", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("school holiday")
        verbose_name_plural = _("school holidays")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="mobile_holiday_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PauseKinds(models.Model):
    """The stop types whose visits stop in the agency's school holidays, chosen by the agency
    (without a row: schools and kindergartens)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    kinds = models.CharField(_("stop types"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stop types paused in school holidays")
        verbose_name_plural = _("stop types paused in school holidays")

    def __str__(self) -> str:
        return self.kinds

    @classmethod
    def of(cls, agency: Agency) -> frozenset[str]:
        found = cls.objects.filter(agency=agency).values_list("kinds", flat=True).first()
        if found is None:
            return frozenset(str(kind) for kind in SCHOOL_KINDS)
        return frozenset(kind for kind in found.split(",") if kind)


class TimetableVersion(models.Model):
    """A number every change of an agency's timetable raises (the services and the import call
    `bump`), so the public pages kept for anonymous visitors (events.page_cache) are built again
    on the next request after a change, in every process."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("timetable version")
        verbose_name_plural = _("timetable versions")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.version}"

    # The number is read on every request for a kept page; it is kept in Django's cache (shared
    # by the web processes when REDIS_URL is set) for a few seconds and forgotten when a change
    # commits, so the next request reads the new number. Only a request that read the old number
    # just before a change committed and stored it just after can keep it longer, and then for
    # no more than CACHED_SECONDS. Measured: a kept page with the number from the database
    # 0.32 of a trivial view's throughput, from the cache (docs/performance.md, session 12).
    CACHED_SECONDS = 5

    @staticmethod
    def _cache_key(agency_id: int) -> str:
        return f"mobile.timetable_version.{agency_id}"

    @classmethod
    def bump(cls, agency: Agency) -> None:
        if not cls.objects.filter(agency=agency).update(version=models.F("version") + 1):
            cls.objects.get_or_create(agency=agency, defaults={"version": 1})
        key = cls._cache_key(agency.pk)
        cache.delete(key)  # for this transaction's own later reads
        transaction.on_commit(lambda: cache.delete(key))

    @classmethod
    def of(cls, agency: Agency) -> int:
        key = cls._cache_key(agency.pk)
        version = cache.get(key)
        if version is None:
            version = next(
                iter(cls.objects.filter(agency=agency).values_list("version", flat=True)), 0
            )
            cache.set(key, version, cls.CACHED_SECONDS)
        return int(version)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Follower(models.Model):
    """Someone who follows a stop by e-mail: a mail a few days before each visit and at once on a
    cancellation. Nothing is sent until the address is confirmed by the link in the first mail;
    the token is the key in that link and in the unsubscribe link of every mail. The address is
    personal data: unconfirmed rows go after seven days (periodic work), a row goes
    when its person unsubscribes or deletes their account (mobile/personal.py)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="mobile_followers", verbose_name=_("agency")
    )
    stop = models.ForeignKey(
        Stop, on_delete=models.CASCADE, related_name="followers", verbose_name=_("stop")
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "stop", name="mobile_follower_unique"),
        ]

    def __str__(self) -> str:
        # Not the address: this text goes to the audit log.
        return f"#{self.pk} ({self.stop})"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Reminder(models.Model):
    """A reminder sent to a follower for one date of a visit, or for an extra visit. Unique, so
    the periodic work can run as often as it likes, also twice at once: never two mails for one
    visit."""

    follower = models.ForeignKey(
        Follower, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("follower")
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("visit"),
    )
    extra = models.ForeignKey(
        ExtraVisit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("extra visit"),
    )
    date = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "visit", "date"],
                condition=Q(visit__isnull=False),
                name="mobile_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "extra"],
                condition=Q(extra__isnull=False),
                name="mobile_reminder_extra_once",
            ),
            models.CheckConstraint(
                condition=Q(visit__isnull=True, extra__isnull=False)
                | Q(visit__isnull=False, extra__isnull=True),
                name="mobile_reminder_of_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit or self.extra} {self.date}"


# What one visit's counts can be.
COUNTS = (0, 10_000)


class VisitCount(models.Model):
    """What staff counted at a stop on one date of a visit (on a phone at the stop): loans,
    returns and visitors. They feed the follow-up, the annual report (mobile/plan_source.py)
    and the municipality's profile (mobile/profile.py)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="mobile_counts", verbose_name=_("agency")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="counts", verbose_name=_("visit")
    )
    date = models.DateField(_("date"))
    loans = models.PositiveIntegerField(_("loans"), default=0, validators=between(*COUNTS))
    returns = models.PositiveIntegerField(_("returns"), default=0, validators=between(*COUNTS))
    visitors = models.PositiveIntegerField(_("visitors"), default=0, validators=between(*COUNTS))
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("count at the stop")
        verbose_name_plural = _("counts at the stop")
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "date"], name="mobile_count_once"),
            within("mobile_count_ranges", loans=COUNTS, returns=COUNTS, visitors=COUNTS),
        ]

    def __str__(self) -> str:
        return f"{self.visit} {self.date}"
