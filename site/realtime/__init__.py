"""Real-time plumbing shared by every app: broadcast after commit, relay consumers, event shapes.

A shell package below the domain apps: it knows channel-layer groups and JSON events, nothing of
consultations, proposals or workshops.
"""
