"""Views of proposals, by flow: ``participation`` (list, detail, submit, edit, support,
comment), ``results`` (the public results page and its exports), ``totals`` (the live totals
re-sync after a WebSocket reconnection)."""
