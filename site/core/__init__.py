"""Small rules every app shares, written once: id parsing, safe redirects, small-cell
suppression, spreadsheet cell escaping and the view helper that turns a service's refusal into a
message. The lowest layer: it imports Django only, never an app of the platform.
"""
