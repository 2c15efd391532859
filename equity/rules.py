"""Who may enter the counts of the territorial dashboard (django-rules).

``equity.count_workshop`` on a live session: whoever may run it (``live.facilitate_session``:
its facilitator, or staff who may moderate its page; on a consultation only while they may
moderate it). ``equity.count_paper`` on a consultation: its moderators
(``consultations.moderate``). Checked by the services and by every view that reaches a session's
or a consultation's counts.
"""

import rules


@rules.predicate
def may_facilitate_session(user, session) -> bool:
    return session is not None and user.has_perm("live.facilitate_session", session)


@rules.predicate
def may_moderate_consultation(user, consultation) -> bool:
    return consultation is not None and user.has_perm("consultations.moderate", consultation)


rules.add_perm("equity.count_workshop", may_facilitate_session)
rules.add_perm("equity.count_paper", may_moderate_consultation)
