"""Class sets (klassesett / klassuppsättningar): titles the agency lends to schools as sets of
5 to 60 copies, and the bookings of N copies of a title for a date window.

The rule that matters: for every day, the copies booked across all holding bookings of a title
never exceed the copies the title owns. It is held in `services.booking_hold`, whose batch of SQL
(classsets/hold_sql.py) locks the title's row (`FOR UPDATE`; SQLite's transactions are
IMMEDIATE) and inserts only if the window's busiest day leaves enough copies; CHECK constraints
hold what must never be stored (no copies, a window that ends before it starts).

Size: one schema read together (settings, themes, titles, sets, bookings, losses).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.directory.models import Agency, Library, Organisation

COVER_TYPES = ("png", "jpg", "jpeg")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def cover_path(instance: Title, filename: str) -> str:
    return f"classsets/covers/{instance.agency_id}/{secrets.token_urlsafe(8)}/{filename}"


class Settings(models.Model):
    """The agency's rules for class-set bookings."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="classset_settings"
    )
    default_weeks = models.PositiveSmallIntegerField(_("default loan length (weeks)"), default=6)
    max_weeks = models.PositiveSmallIntegerField(_("longest loan (weeks)"), default=8)
    hold_hours = models.PositiveSmallIntegerField(
        _("hours to confirm a booking"),
        default=48,
        help_text=_("An unconfirmed booking gives its copies back after this long."),
    )
    replacement_price = models.DecimalField(
        _("replacement price per copy"), max_digits=8, decimal_places=2, default=250
    )
    offer_days = models.PositiveSmallIntegerField(
        _("days to accept an offer from the queue"),
        default=3,
        help_text=_("When copies come back, the first in the queue has this long to take them."),
    )
    # Bumped by every service that changes what the public catalogue shows (titles, sets,
    # themes): the version of the page kept for anonymous visitors, read in one indexed query.
    catalogue_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("class-set settings")
        verbose_name_plural = _("class-set settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_weeks__gte=1)
                & Q(max_weeks__gte=models.F("default_weeks"))
                & Q(max_weeks__lte=52),
                name="classsets_settings_weeks",
            ),
            models.CheckConstraint(
                condition=Q(offer_days__gte=1, offer_days__lte=30),
                name="classsets_settings_offer_days",
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)

    @classmethod
    def catalogue_changed(cls, agency: Agency) -> None:
        """A new version of the agency's catalogue page (call inside the change's transaction)."""
        if not cls.objects.filter(agency=agency).update(
            catalogue_version=models.F("catalogue_version") + 1
        ):
            cls.objects.get_or_create(agency=agency)
            cls.objects.filter(agency=agency).update(
                catalogue_version=models.F("catalogue_version") + 1
            )

    @classmethod
    def catalogue_version_of(cls, agency: Agency) -> int:
        found = cls.objects.filter(agency=agency).values_list("catalogue_version", flat=True)
        return next(iter(found), 0)

    @classmethod
    def of(cls, agency: Agency) -> Settings:
        found = cls.objects.filter(agency=agency).first()
        return found if found is not None else cls(agency=agency)


class HolidayPeriod(models.Model):
    """School holidays: nothing is delivered or returned in these days."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="classset_holidays")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("holiday period")
        verbose_name_plural = _("holiday periods")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="classsets_holiday_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="classset_themes")
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="classsets_theme_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    NB = "nb", _("Norwegian bokmål")
    NN = "nn", _("Norwegian nynorsk")
    SV = "sv", _("Swedish")
    EN = "en", _("English")
    SE = "se", _("North Sami")
    OTHER = "other", _("Other language")


class GradeBand(models.TextChoices):
    G1_3 = "1-3", _("Grades 1–3")
    G4_5 = "4-5", _("Grades 4–5")
    G6_7 = "6-7", _("Grades 6–7")
    G8_10 = "8-10", _("Grades 8–10")
    UPPER = "vg", _("Upper secondary")


class TitleQuerySet(models.QuerySet["Title"]):
    def of_agency(self, agency: Agency | None) -> TitleQuerySet:
        return self.filter(agency=agency) if agency is not None else self.none()

    def for_list(self) -> TitleQuerySet:
        """With `owned` (copies in all its sets) as a subquery, not a join and GROUP BY: the
        database sums the sets of the page's rows only, after ORDER BY and LIMIT."""
        owned = (
            ClassSet.objects.filter(title=models.OuterRef("pk"))
            .order_by()
            .values("title")
            .annotate(n=models.Sum("copies"))
            .values("n")
        )
        return self.annotate(
            owned=models.functions.Coalesce(models.Subquery(owned), 0)
        ).prefetch_related("themes")

    def search(self, q: str) -> TitleQuerySet:
        q = q.strip()
        if not q:
            return self
        digits = "".join(c for c in q if c.isdigit() or c in "xX")
        match = Q(title__icontains=q) | Q(author__icontains=q)
        if len(digits) >= 4:
            match |= Q(isbn__contains=digits)
        return self.filter(match)

    def with_grade(self, band: str) -> TitleQuerySet:
        # Codes are stored space-separated; no code is part of another.
        return self.filter(grade_bands__contains=band) if band else self


class Title(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="classset_titles")
    isbn = models.CharField(_("ISBN"), max_length=13)
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.NB
    )
    easy_to_read = models.BooleanField(_("easy to read"), default=False)
    has_audiobook = models.BooleanField(_("audiobook available"), default=False)
    has_ebook = models.BooleanField(_("e-book available"), default=False)
    grade_bands = models.CharField(_("grades"), max_length=40, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="titles", verbose_name=_("themes")
    )
    summary = models.TextField(
        _("for the teacher"),
        max_length=2000,
        blank=True,
        help_text=_("What the book is about and how a class can work with it."),
    )
    cover = models.FileField(_("cover"), upload_to=cover_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A task that sends the title's bookings' pending mails is queued (the outbox:
    # classsets/notices.py); set by the booking batch under the title's lock.
    notices_queued = models.BooleanField(default=False, editable=False)

    objects = TitleQuerySet.as_manager()

    class Meta:
        verbose_name = _("class-set title")
        verbose_name_plural = _("class-set titles")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "isbn"], name="classsets_title_isbn"),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1800, year__lte=2100),
                name="classsets_title_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("classsets:title", args=[self.pk])

    @property
    def grade_list(self) -> list[str]:
        return self.grade_bands.split()

    @property
    def grade_labels(self) -> list[str]:
        labels = dict(GradeBand.choices)
        return [str(labels[g]) for g in self.grade_list if g in labels]

    def copies_owned(self) -> int:
        return self.sets.aggregate(n=models.Sum("copies"))["n"] or 0


class ClassSet(models.Model):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="sets")
    copies = models.PositiveSmallIntegerField(_("copies"))
    home_library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classsets",
        verbose_name=_("kept at"),
        help_text=_("Empty: at the agency."),
    )
    condition_note = models.CharField(_("condition"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("class set")
        verbose_name_plural = _("class sets")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(copies__lte=200), name="classsets_set_copies_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.copies})"


class BookingStatus(models.TextChoices):
    HELD = "held", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    OUT = "out", _("Sent")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")
    RELEASED = "released", _("Released (not confirmed in time)")


# The bookings that hold copies.
HOLDING = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.OUT)


class BookingQuerySet(models.QuerySet["Booking"]):
    def holding(self) -> BookingQuerySet:
        return self.filter(status__in=HOLDING)

    def overlapping(self, starts_on: date, ends_on: date) -> BookingQuerySet:
        return self.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)

    def for_list(self) -> BookingQuerySet:
        return self.select_related("title", "school", "school__municipality", "delivery_library")


class Basket(models.Model):
    """Several titles booked in one request: one mail, one personal link. The teacher's name
    and address stay on the bookings (and go with them, classsets/privacy.py)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="classset_baskets")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("class-set basket")
        verbose_name_plural = _("class-set baskets")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("classsets:basket_booking", args=[self.token])


class Booking(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="classset_bookings")
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="bookings")
    copies = models.PositiveSmallIntegerField(_("copies"))
    starts_on = models.DateField(_("delivered by"))
    ends_on = models.DateField(_("returned by"))
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="classset_bookings",
        verbose_name=_("school"),
    )
    class_name = models.CharField(_("class"), max_length=60)
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("your e-mail"))
    delivery_library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="classset_deliveries",
        verbose_name=_("deliver to library"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.HELD
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    basket = models.ForeignKey(
        Basket, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    held_until = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    copies_out = models.PositiveSmallIntegerField(null=True, blank=True)
    copies_back = models.PositiveSmallIntegerField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # When each reminder went to the teacher (classsets/reminders.py): each is sent once.
    delivery_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    return_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The teacher's name and address are removed once the booking has served its purpose
    # (classsets/privacy.py); the booking stays for the counts.
    anonymised = models.BooleanField(default=False, editable=False)
    # The outbox (classsets/notices.py): the mail about this booking still to be sent (its
    # template's name, "booking_held"), written by the batch that holds the copies and emptied
    # in the transaction that queues the mail. Empty: nothing pending.
    notice = models.CharField(max_length=20, blank=True, default="", editable=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("class-set booking")
        verbose_name_plural = _("class-set bookings")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="classsets_booking_copies"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="classsets_booking_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["title", "starts_on", "ends_on"]),
            models.Index(
                fields=["title"], condition=~Q(notice=""), name="classsets_booking_notice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} × {self.copies}"

    def get_absolute_url(self) -> str:
        return reverse("classsets:booking", args=[self.token])

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING

    @property
    def week(self) -> str:
        year, week, _day = self.starts_on.isocalendar()
        return f"{year}-W{week:02d}"


class QueueStatus(models.TextChoices):
    WAITING = "waiting", _("In the queue")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Passed on")
    LEFT = "left", _("Left the queue")


class QueueEntryQuerySet(models.QuerySet["QueueEntry"]):
    def waiting(self) -> QueueEntryQuerySet:
        return self.filter(status=QueueStatus.WAITING)


class QueueEntry(models.Model):
    """A teacher waiting for copies that were short: when copies come back the first in the
    queue they suffice for gets them held, as an offer to accept within the agency's
    `offer_days` (classsets/queue.py)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="classset_queue")
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="queue")
    copies = models.PositiveSmallIntegerField(_("copies"))
    starts_on = models.DateField(_("delivered by"))
    ends_on = models.DateField(_("returned by"))
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    class_name = models.CharField(_("class"), max_length=60)
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("your e-mail"))
    delivery_library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=QueueStatus.choices, default=QueueStatus.WAITING
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="queue_entry"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised = models.BooleanField(default=False, editable=False)

    objects = QueueEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("place in the queue")
        verbose_name_plural = _("the queue for class sets")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="classsets_queue_copies"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="classsets_queue_in_order"
            ),
        ]
        indexes = [models.Index(fields=["title", "status"])]

    def __str__(self) -> str:
        return f"{self.title} × {self.copies}"

    def get_absolute_url(self) -> str:
        return reverse("classsets:queue_entry", args=[self.token])


class Loss(models.Model):
    """Copies that did not come back: the set is reduced, at the agency's replacement price."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="losses")
    class_set = models.ForeignKey(ClassSet, on_delete=models.PROTECT, related_name="losses")
    copies = models.PositiveSmallIntegerField(_("copies"))
    price = models.DecimalField(_("price per copy"), max_digits=8, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lost or damaged copies")
        verbose_name_plural = _("lost or damaged copies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="classsets_loss_copies"),
        ]

    def __str__(self) -> str:
        return f"{self.class_set} −{self.copies}"

    @property
    def total(self) -> object:
        return self.price * self.copies


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class CourierRoute(models.Model):
    """A route of the courier (the county's transport between libraries) that carries class
    sets to the main libraries on it. A library is on at most one route of an agency: the
    dispatch list groups what leaves by route."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="courier_routes")
    name = models.CharField(_("name"), max_length=100)
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), choices=Weekday.choices, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    libraries = models.ManyToManyField(
        Library, through="RouteLibrary", related_name="+", verbose_name=_("libraries")
    )

    class Meta:
        verbose_name = _("courier route")
        verbose_name_plural = _("courier routes")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="classsets_route_name"),
        ]

    def __str__(self) -> str:
        return self.name


class RouteLibrary(models.Model):
    route = models.ForeignKey(CourierRoute, on_delete=models.CASCADE, related_name="stops")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    # The agency again, so that the database holds "one route per library and agency".
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("library on a courier route")
        verbose_name_plural = _("libraries on courier routes")
        constraints = [
            models.UniqueConstraint(fields=["agency", "library"], name="classsets_route_library"),
        ]

    def __str__(self) -> str:
        return f"{self.route}: {self.library_id}"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
