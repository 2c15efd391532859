"""The one stat-card include used by the results page and the territory dashboard."""

from django.template.loader import render_to_string


def test_figure_label_unit_and_missing_figure():
    html = render_to_string(
        "includes/stat_card.html", {"figure": 1200, "unit": "€", "label": "finanziati"}
    )
    assert '<p class="results-figure mb-1">1200 €</p>' in html
    assert '<p class="mb-0">finanziati</p>' in html
    assert "<h4" not in html

    html = render_to_string(
        "includes/stat_card.html",
        {"figure": None, "unit": "€", "label": "ogni 1.000", "heading": "Montagna", "note": "3"},
    )
    assert '<p class="results-figure mb-1">—</p>' in html
    assert '<h4 class="h6">Montagna</h4>' in html
    assert '<p class="small mb-0">3</p>' in html
