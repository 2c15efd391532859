"""Live workshop pages, one module per audience: ``phones`` (participants), ``console``
(facilitator and projector), ``exports`` (results after the session)."""
