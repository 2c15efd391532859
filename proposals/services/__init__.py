"""Every write about proposals, one module per job: ``proposals`` (submit, edit, withdraw),
``votes`` (supports and budget ballots), ``comments``, ``reports`` and ``transitions`` (the
status and visibility state machine). What the app holds about a person, and what export and
account deletion do with it, is declared in ``proposals/personal_data.py``.

Each service checks permission, validates, saves inside one transaction and queues side
effects for after the commit. Refusals raise ``PermissionDenied`` (who may act) or
``ValidationError`` (what was sent), with a plain-Italian reason (``core.errors``).
"""
