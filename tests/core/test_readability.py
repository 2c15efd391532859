"""Gulpease on known Italian texts, its usual reading, and the hardest sentences."""

import pytest

from core.readability import analyse, gulpease, level, plain_text, split_sentences

# 2 sentences, 12 words, 49 letters: 89 + (300 × 2 − 10 × 49) / 12 = 98.17.
EASY = "Il gatto dorme sul divano. La mamma prepara la cena in cucina."
# Action 5.2.2 of the PSM, official wording: one sentence of 41 words.
OFFICIAL_5_2_2 = (
    "Implementare un programma di costruzione di leadership civica rivolto alla popolazione "
    "giovanile (studenti/esse, lavoratori/trici, amministratori/trici), attraverso una selezione "
    "aperta ed un percorso a tappe di informazione e introduzione al sistema decisionale, "
    "politico, amministrativo, economico e di ricerca"
)


def test_a_short_plain_text_scores_as_the_formula_says():
    assert gulpease(EASY) == 98.2


def test_letters_not_punctuation_count():
    """textstat's own gulpease_index counts commas and full stops as letters: we do not."""
    assert gulpease("Il gatto, il cane, la volpe e il lupo dormono.") == gulpease(
        "Il gatto il cane la volpe e il lupo dormono."
    )


def test_the_official_wording_is_hard_even_with_a_diploma():
    score = gulpease(OFFICIAL_5_2_2)
    assert score < 40
    assert level(score) == "difficile anche con il diploma"


def test_shorter_sentences_score_higher():
    long = "La Città metropolitana, con i comuni e le associazioni del territorio, organizza corsi."
    short = "La Città metropolitana organizza corsi. Lo fa con i comuni. E con le associazioni."
    assert gulpease(short) > gulpease(long)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, "facile anche con la licenza elementare"),
        (80, "facile anche con la licenza elementare"),
        (79.9, "facile con la licenza media"),
        (60, "facile con la licenza media"),
        (59.9, "difficile con la licenza media, facile con il diploma"),
        (40, "difficile con la licenza media, facile con il diploma"),
        (39.9, "difficile anche con il diploma"),
        (0, "difficile anche con il diploma"),
    ],
)
def test_usual_reading_of_the_score(score, expected):
    assert level(score) == expected


def test_empty_text_has_no_score_and_passes():
    result = analyse("   ")
    assert result.score is None
    assert result.passes(80)
    assert gulpease("") is None


def test_the_hardest_sentences_come_first():
    result = analyse(f"{EASY} {OFFICIAL_5_2_2}. Vota la proposta che ti piace di più.", worst=2)
    assert result.worst[0].text.startswith("Implementare un programma")
    assert result.worst[0].score < result.worst[1].score
    assert len(result.worst) == 2


def test_score_is_kept_between_0_and_100():
    assert gulpease("Sì. No. Sì. Va. Fa.") <= 100
    assert gulpease("Precipitevolissimevolmente " * 30) >= 0


def test_html_is_read_as_text_with_blocks_apart():
    html = "<h2>Chi</h2><p>Le persone giovani&nbsp;del territorio.</p><ul><li>Uno</li><li>Due</li></ul>"
    text = plain_text(html)
    assert "<" not in text
    assert split_sentences(text) == ["Chi", "Le persone giovani del territorio.", "Uno", "Due"]


def test_as_dict_reports_threshold_and_verdict():
    data = analyse(OFFICIAL_5_2_2).as_dict(threshold=60)
    assert data["passes"] is False
    assert data["threshold"] == 60
    assert data["worst"][0]["score"] == data["score"]
