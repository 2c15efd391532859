"""The facilitators' side of proposals, served inside the Wagtail admin (/admin/moderazione/):
``services`` (hide, restore, block, answer, merge; amendments: ``proposals.amendments``), ``in_person``
(meetings), ``selectors`` (queues and logs), ``forms``, ``views`` and ``urls``."""
