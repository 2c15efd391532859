"""The public read-only API (/api/): serializers, views, URLs and the documentation page."""
