"""Networks: a group of library people the agency runs (children's librarians, the library
managers' forum), its members from the directory, its members-only documents, and its meetings,
which are events of kind "network meeting" with notes published to the members afterwards."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.directory.models import Agency, Person


class Joining(models.TextChoices):
    OPEN = "open", _("Open: anyone in the directory joins at once")
    APPLICATION = "application", _("By application: a coordinator approves each member")


class NetworkQuerySet(models.QuerySet["Network"]):
    def of_agency(self, agency: Agency | None) -> NetworkQuerySet:
        """The agency's own networks and those other agencies share with it."""
        if agency is None:
            return self.none()
        shared = Network.partner_agencies.through.objects.filter(agency=agency)
        return self.filter(Q(agency=agency) | Q(pk__in=shared.values("network_id")))

    def with_counts(self) -> NetworkQuerySet:
        return self.annotate(
            member_count=models.Count(
                "memberships", filter=Q(memberships__status=MembershipStatus.MEMBER)
            )
        )


class Network(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="networks")
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(
        _("purpose"), max_length=5000, help_text=_("Markdown: **bold**, lists, links.")
    )
    joining = models.CharField(
        _("joining"), max_length=12, choices=Joining.choices, default=Joining.OPEN
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Shown on the public page.")
    )
    partner_agencies = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="shared_networks",
        verbose_name=_("shared with"),
        help_text=_(
            "Other agencies on this site whose libraries take part: the network is on their "
            "sites too, and their teams manage it with yours."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="network_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:detail", args=[self.pk])


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    MEMBER = "member", _("Member")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(status=MembershipStatus.MEMBER)

    def for_list(self) -> MembershipQuerySet:
        return self.select_related("person").prefetch_related("person__library_roles__library")


class Membership(models.Model):
    """One person in one network: a member (perhaps a coordinator) or someone asking to join."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_memberships")
    status = models.CharField(max_length=10, choices=MembershipStatus.choices)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "person"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(is_coordinator=False) | Q(status="member"),
                name="membership_coordinator_is_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.network}"

    @property
    def libraries(self) -> list[str]:
        """The names of the member's libraries (from the prefetched roles)."""
        return sorted({role.library.name for role in self.person.library_roles.all()})


def document_path(instance: Document, filename: str) -> str:
    """A path no one can guess: the files are served only by the members' view, but where a
    proxy serves the media folder, a guessable name would reach a non-member."""
    return f"networks/{instance.network_id}/{secrets.token_urlsafe(12)}/{filename}"


class Document(models.Model):
    """Members-only material: never shown or served to anyone outside the network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-added_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]


class Meeting(models.Model):
    """A network meeting: the event (kind "network meeting", the network's agency) and its notes,
    which the members read once a coordinator publishes them after the meeting."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="network_meeting"
    )
    notes = models.TextField(
        _("meeting notes"), blank=True, max_length=20000, help_text=_("Markdown.")
    )
    notes_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-event__starts_at", "pk"]

    def __str__(self) -> str:
        return str(self.event)

    @property
    def is_over(self) -> bool:
        return self.event.starts_at <= timezone.now()
