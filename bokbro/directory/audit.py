"""What staff read in histories and the audit log for this module's action codes."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "directory.agency.updated": _("Agency details changed"),
    "directory.colleague.added": _("Colleague added by the library"),
    "directory.colleague.removed": _("Colleague removed by the library"),
    "directory.colleague.dismissed": _("Request to be listed turned down"),
    "directory.import.completed": _("Directory imported"),
    "directory.library.created": _("Library added"),
    "directory.library.updated": _("Library changed"),
    "directory.library_role.added": _("Role added"),
    "directory.library_role.removed": _("Role removed"),
    "directory.organisation.created": _("Organisation added"),
    "directory.organisation.updated": _("Organisation changed"),
    "directory.person.created": _("Person added"),
    "directory.person.updated": _("Person changed"),
    "directory.person.deleted": _("Person deleted"),
    "directory.team_member.created": _("Team member added"),
    "directory.team_member.updated": _("Team member changed"),
    "directory.team_member.deleted": _("Team member removed"),
}
