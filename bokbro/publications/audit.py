"""What staff read in the history for each action code the publication services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "publications.publication.created": _("Publication added"),
    "publications.publication.updated": _("Publication changed"),
    "publications.publication.published": _("Publication published"),
    "publications.publication.unpublished": _("Publication made a draft again"),
    "publications.publication.deleted": _("Publication deleted"),
    "publications.scan.created": _("Horizon-scanning item added"),
    "publications.scan.updated": _("Horizon-scanning item changed"),
    "publications.scan.deleted": _("Horizon-scanning item deleted"),
    "publications.issue.created": _("Magazine issue created"),
    "publications.issue.updated": _("Magazine issue changed"),
    "publications.article.created": _("Magazine article added"),
    "publications.article.updated": _("Magazine article changed"),
    "publications.article.deleted": _("Magazine article deleted"),
    "publications.picture.updated": _("Magazine picture changed"),
    "publications.picture.deleted": _("Magazine picture removed"),
}
