"""Signals of conversations, for the layers above (which may import this app; it may not
import them).

``opinion_map_computed`` is sent after a new opinion map was stored
(``conversations.snapshots.snapshot_compute``, run by the debounced Celery task), with
``conversation`` and ``snapshot``: the live workshops push it to the projectors showing that
conversation (``workshops.live_conversations``).
"""

from django.dispatch import Signal

opinion_map_computed = Signal()
