"""Copying a term: the next term's timetable made from this one as a draft. Each visit keeps its
route, stop, times and rule; its dates move by whole weeks (so every visit keeps its weekday)
to the new term and are cut to it. A visit that would give no date in the new term, or that the
usual rules refuse (the bus elsewhere at the time, a rule whose UNTIL or COUNT has run out), is
not copied but reported, so staff fix it in the draft before publishing it. One-off
cancellations and counts stay with the old term."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.mobile import recurrence, services
from bokbro.mobile.models import Term, Visit


@dataclass
class TermCopy:
    """What a copy made: the new draft term, how many visits it has, and a sentence for each
    visit left out."""

    term: Term
    copied: int = 0
    problems: list[str] = field(default_factory=list)


def shifted(visit: Visit, source: Term, term: Term, shift: timedelta) -> Visit | None:
    """The visit moved to `term` (not saved), or None when its rule gives no date there."""
    last = term.ends_on
    if visit.ends_on is not None and visit.ends_on < source.ends_on:
        last = min(visit.ends_on + shift, term.ends_on)  # it ended before the term did
    start = visit.starts_on + shift
    try:
        dates = recurrence.rule_dates(visit.rule, start, last, term.starts_on, last)
    except recurrence.RuleError:
        dates = []
    if not dates:
        return None
    return Visit(
        route=visit.route,
        stop=visit.stop,
        term=term,
        arrival=visit.arrival,
        departure=visit.departure,
        rule=visit.rule,
        starts_on=dates[0],
        ends_on=last,
        timetable_url=visit.timetable_url,
    )


def _label(visit: Visit) -> str:
    return _("%(route)s, %(stop)s at %(arrival)s") % {
        "route": visit.route.name,
        "stop": visit.stop,
        "arrival": _hhmm(visit.arrival),
    }


def _hhmm(moment: time) -> str:
    return f"{moment:%H:%M}"


@transaction.atomic
def term_copy(*, actor: Actor | None, agency: Agency, source: Term, term: Term) -> TermCopy:
    """Make `term` (unsaved: its name, first and last day) a draft with the visits of `source`
    moved to it. The draft and every visit that can be copied are saved together; each visit
    left out is reported."""
    if source.agency_id != agency.pk:
        raise ValidationError({"name": _("Choose one of your own terms.")})
    term.publish_on = None
    services.term_save(actor=actor, agency=agency, term=term)
    # Whole weeks, so a visit keeps its weekday (and a fortnightly rule stays fortnightly).
    shift = timedelta(days=7 * round((term.starts_on - source.starts_on).days / 7))
    result = TermCopy(term=term)
    visits = source.visits.select_related("route__vehicle", "stop").order_by(
        "route__vehicle__name", "route__name", "arrival", "pk"
    )
    for visit in visits:
        moved = shifted(visit, source, term, shift)
        if moved is None:
            result.problems.append(
                _("%(visit)s: the rule gives no date in %(term)s.")
                % {"visit": _label(visit), "term": term.name}
            )
            continue
        try:
            services.visit_save(actor=actor, agency=agency, visit=moved)
        except ValidationError as error:
            reasons = " ".join(m for messages in error.message_dict.values() for m in messages)
            result.problems.append(
                _("%(visit)s: %(reasons)s") % {"visit": _label(visit), "reasons": reasons}
            )
        else:
            result.copied += 1
    audit_log(
        action="mobile.term.copied",
        actor=actor,
        agency=agency,
        target=term,
        data={"from": source.pk, "visits": result.copied, "left_out": len(result.problems)},
    )
    return result
