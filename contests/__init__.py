"""Contests for urban regeneration (PSM action 5.3.5): a contest page under an action, entries
by a person or a team, a blind jury through the shared review engine (``reviewing``), an
optional public vote, results, and the winner's follow-up as an implementation record."""
