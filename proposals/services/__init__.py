"""Every write about proposals, one module per job: ``proposals`` (submit, edit, withdraw),
``votes`` (supports and budget ballots), ``comments``, ``reports``, ``transitions`` (the status
and visibility state machine) and ``personal_data``.

Each service checks permission, validates, saves inside one transaction and queues side
effects for after the commit. Refusals raise ``PermissionDenied`` (who may act) or
``ValidationError`` (what was sent), with a plain-Italian reason (``core.errors``).
"""
