"""Thin views of the leadership programme, one module per role or flow: read through selectors,
write through services, and show every refusal (``core.errors.REFUSALS``) the same way.

- ``applications``: the candidate's applications, the form, documents, withdrawal, the seat;
- ``reviews``: the reviewer's area;
- ``coordination``: the coordinator's dashboard, assignments and the selection;
- ``public``: the published selection report;
- ``pathway``: the cohort's pathway, sessions, attendance and QR check-in;
- ``certificates``: the certificate PDF and its public verification.
"""
