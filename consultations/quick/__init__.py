"""The quick path: the busiest requests of a live consultation answered in front of Django.

A vote through Django's full request cycle costs about ten cache and database round trips and
twenty middleware; on a two-core host that held the platform to about a hundred votes a second
(docs/performance.md). A WSGI wrapper (:class:`consultations.quick.app.QuickPath`, in front of
the Django application in ``config.wsgi``) answers a few requests (votes sent by htmx; a vote on
a statement from a plain form too) when they can be **accepted as they are**, and hands every other request, and every doubt, to Django unchanged.
Each such request has a handler in its own app (``proposals.quick_support`` for supports,
``conversations.quick_vote`` for votes on statements); this package holds what they share:

- ``app``: the request's checks by Django's own code (CSRF, security), the person read from the
  session as Django reads them (``accounts.session_user``) together with the cache versions in
  one round trip, and the headers the middleware would add to the answer;
- ``writer``: a batch writer per process, with its own PostgreSQL connection, that stores what
  the requests hand it with one statement per batch and answers each once it is committed.

Only on PostgreSQL (``settings.QUICK_SUPPORT``): the embedded SQLite default keeps the views.
"""
