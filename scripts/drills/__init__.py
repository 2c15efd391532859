"""Reliability drills (``make drills``, entry point ``scripts/drills/run.py``): the harness, the
private servers, one module per drill. Imported with ``scripts/`` on ``sys.path``."""
