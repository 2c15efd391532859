"""Every write of the leadership programme, with its permission check, one module per job.

- ``transitions``: the state machine (``TRANSITIONS``) and ``application_transition``, the one
  audited way an application changes state;
- ``access``: the checks shared by the services (coordinator only, own draft only);
- ``applications``: starting, saving, submitting and withdrawing an application, eligibility;
- ``documents``: the PDF documents of an application;
- ``reviews``: assigning reviewers, conflicts of interest, submitting a review;
- ``selection``: corrections, confirmation and publication of the selection;
- ``reports``: the anonymised selection report (one disclosure policy, ``core.disclosure``);
- ``offers``: accepting and declining seats, the waitlist, expired offers;
- ``pathway``: cohort, sessions, attendance, QR check-in, reminders, completion and certificates.

What the programme holds about a person is declared in ``leadership/personal_data.py``.

Services raise only ``PermissionDenied`` (who may act) or ``ValidationError`` (what was sent),
with an Italian message; side effects (e-mails) are queued with ``transaction.on_commit``.
"""
