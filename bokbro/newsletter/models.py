"""Newsletters: lists (subscribers or a directory segment), subscribers with proof of consent,
issues, and one delivery row per recipient of an issue (the sending worker's work queue)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.directory.models import Agency, County, LibraryKind, LibraryRoleKind, Municipality


class ListKind(models.TextChoices):
    SUBSCRIBERS = "subscribers", _("People who subscribe")
    SEGMENT = "segment", _("People in the directory (a segment)")


class MailingListQuerySet(models.QuerySet["MailingList"]):
    def of(self, agency: Agency | None) -> MailingListQuerySet:
        return self.filter(agency=agency) if agency is not None else self.none()

    def public(self) -> MailingListQuerySet:
        return self.filter(is_public=True, kind=ListKind.SUBSCRIBERS)

    def with_counts(self) -> MailingListQuerySet:
        return self.annotate(
            confirmed_count=Count(
                "subscribers", filter=Q(subscribers__status="confirmed"), distinct=True
            ),
            issue_count=Count("issues", distinct=True),
        )


class MailingList(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="mailing_lists", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=limits.SUMMARY_LENGTH,
        validators=[MaxLengthValidator(limits.SUMMARY_LENGTH)],
    )
    kind = models.CharField(
        _("recipients"), max_length=20, choices=ListKind.choices, default=ListKind.SUBSCRIBERS
    )
    is_public = models.BooleanField(
        _("anyone may subscribe"),
        default=True,
        help_text=_("Shown on the public subscription page, with its archive of sent issues."),
    )
    # The sender of its issues (empty: the agency's relay's `from`, else DEFAULT_FROM_EMAIL;
    # the agency's name). The relay must accept this address: ask its operator.
    from_email = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_(
            "The address the newsletter comes from, e.g. nyhetsbrev@your-agency.no. Leave empty "
            "to use the address set up for your mail server."
        ),
    )
    from_name = models.CharField(
        _("sender name"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty to use the agency's name."),
    )
    # A segment: the people of the agency's region in the directory with these roles, at
    # libraries of these kinds, in these counties and municipalities (empty: any).
    segment_roles = models.JSONField(_("roles"), default=list, blank=True)
    segment_library_kinds = models.JSONField(_("library types"), default=list, blank=True)
    segment_counties = models.ManyToManyField(
        County, blank=True, related_name="+", verbose_name=_("counties")
    )
    segment_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities")
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MailingListQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="newsletter_list_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_segment(self) -> bool:
        return self.kind == ListKind.SEGMENT

    def segment_labels(self) -> list[str]:
        roles = dict(LibraryRoleKind.choices)
        kinds = dict(LibraryKind.choices)
        return [str(roles.get(r, r)) for r in self.segment_roles] + [
            str(kinds.get(k, k)) for k in self.segment_library_kinds
        ]


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class ConsentSource(models.TextChoices):
    FORM = "form", _("Subscription form")
    PREFERENCES = "preferences", _("Preference page")
    IMPORT = "import", _("Imported by staff")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribe link")


class Subscriber(models.Model):
    """One address on one list. On a segment list only unsubscriptions are stored: they keep
    the address out of the segment's next issues."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    mailing_list = models.ForeignKey(
        MailingList,
        on_delete=models.CASCADE,
        related_name="subscribers",
        verbose_name=_("mailing list"),
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    # Proof of consent (double opt-in): when and from where it was confirmed, through which
    # form, and which version of the consent text the person was shown.
    source = models.CharField(
        _("source"), max_length=20, choices=ConsentSource.choices, default=ConsentSource.FORM
    )
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    requested_ip = models.GenericIPAddressField(_("signed up from"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(_("confirmed from"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    unsubscribed_issue = models.ForeignKey(
        "Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="unsubscribes"
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                "mailing_list", Lower("email"), name="newsletter_subscriber_unique_email"
            )
        ]

    def __str__(self) -> str:
        return self.email


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class IssueQuerySet(models.QuerySet["Issue"]):
    def of(self, agency: Agency | None) -> IssueQuerySet:
        return self.filter(agency=agency) if agency is not None else self.none()

    def archived(self) -> IssueQuerySet:
        """Sent issues of public lists: the public archive."""
        return self.filter(status=IssueStatus.SENT, mailing_list__is_public=True, is_archived=True)

    def for_list(self) -> IssueQuerySet:
        return self.select_related("mailing_list", "agency")


class Issue(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.PROTECT, related_name="issues", verbose_name=_("list")
    )
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=limits.SUMMARY_LENGTH,
        validators=[MaxLengthValidator(limits.SUMMARY_LENGTH)],
    )
    body = models.TextField(
        _("text"),
        blank=True,
        max_length=limits.DOCUMENT_LENGTH,
        validators=[MaxLengthValidator(limits.DOCUMENT_LENGTH)],
        help_text=_("Markdown: ## starts a section, **bold**, [link text](https://…)."),
    )
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="+", verbose_name=_("upcoming events")
    )
    is_archived = models.BooleanField(
        _("show in the public archive"),
        default=True,
        help_text=_("Only issues of lists anyone may subscribe to appear in the archive."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    scheduled_at = models.DateTimeField(
        _("send at"), null=True, blank=True, validators=limits.in_years()
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    recipients_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-sent_at", "-created_at"]
        constraints = [limits.within("newsletter_issue_in_range", scheduled_at=limits.MOMENTS)]
        indexes = [models.Index(fields=["status", "scheduled_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletter:issue", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in {IssueStatus.DRAFT, IssueStatus.SCHEDULED}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Delivered to the mail server")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One recipient of one issue. A worker claims rows (claimed_at, claimed_by), sends, and
    marks each row sent at once; a claim older than the timeout is taken over by another."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "issue", Lower("email"), name="newsletter_delivery_unique_email"
            )
        ]
        indexes = [
            models.Index(fields=["status", "issue"]),
            # A claim takes the first pending rows of an issue in order: without this index
            # it read every row already sent, again for each batch (docs/performance.md).
            models.Index(
                fields=["issue", "id"],
                condition=Q(status=DeliveryStatus.PENDING),
                name="newsletter_delivery_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.email}"


def image_upload_to(instance: IssueImage, filename: str) -> str:
    extension = filename.rpartition(".")[2].lower()[:5] or "img"
    return (
        f"newsletter/{instance.issue.agency_id}/{instance.issue_id}/{uuid.uuid4().hex}.{extension}"
    )


class IssueImage(models.Model):
    """A picture in an issue, shown after the text in the mail and on the archive page."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="images", verbose_name=_("issue")
    )
    file = models.ImageField(_("image"), upload_to=image_upload_to)
    alt = models.CharField(
        _("description for screen readers"),
        max_length=300,
        help_text=_("What the picture shows, for those who can't see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt
