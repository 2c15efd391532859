"""Amendments to a plan action's official text: written against a published revision,
accepted into a change set, merged three-way, published as a new revision.

``text`` (paragraphs and the three-way merge, pure functions), ``services`` (every write),
``selectors`` (diffs and what pages show), ``forms`` and ``views`` (the review screen in the
moderation area and the public page of a published change). See ``docs/amendments.md``.
"""
