"""How easy an Italian text is to read: the Gulpease index, for the whole text and per sentence.

Gulpease (Lucisano and Piemontese, 1988) = 89 + (300 × sentences − 10 × letters) / words, from 0
(very hard) to 100 (very easy). textstat counts the words, letters and sentences (its Italian
settings); the formula is applied here with *letters*, as the index defines it: textstat's own
``gulpease_index`` counts punctuation marks as letters too, which lowers every score by a point
or two and penalises a comma more than a long word.

Pure computation on plain text: no Django models, no settings (``core`` is the lowest layer).
"""

import html
import re
from dataclasses import dataclass, field
from statistics import median

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

# The usual reading of the index (Lucisano and Piemontese): below 80 a text is hard for someone
# with primary schooling, below 60 for someone with middle school, below 40 for a diploma holder.
LEVELS = (
    (80, _("facile anche con la licenza elementare")),
    (60, _("facile con la licenza media")),
    (40, _("difficile con la licenza media, facile con il diploma")),
    (0, _("difficile anche con il diploma")),
)
WORST_SENTENCES = 3
# A sentence ends at . ! ? … or at a line break (a list item, a heading, a paragraph).
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[^\s])|\n\s*")
BLOCK_TAGS = re.compile(r"</?(p|li|h[1-6]|br|div|tr|blockquote)\b[^>]*>", re.IGNORECASE)


def plain_text(markup: str) -> str:
    """Text as read: tags removed, entities decoded, block elements kept apart as lines."""
    text = html.unescape(strip_tags(BLOCK_TAGS.sub("\n", markup or "")))
    return text.replace("\xa0", " ").strip()


def _counts(text: str) -> tuple[int, int, int]:
    """Sentences, letters and words. A line break ends a sentence too (list items, headings),
    which textstat, reading running prose, does not know.

    textstat is imported here, not at the top: it loads nltk, which loads numpy, scipy and
    scikit-learn (about 100 MiB), and only the readability check ever counts."""
    import textstat

    textstat.set_lang("it")
    sentences = sum(textstat.sentence_count(part) for part in split_sentences(text))
    return sentences, textstat.letter_count(text), textstat.lexicon_count(text)


def gulpease(text: str) -> float | None:
    """The index of a plain text, rounded to one decimal and kept within 0–100; None if empty."""
    text = (text or "").strip()
    if not text:
        return None
    sentences, letters, words = _counts(text)
    if not words:
        return None
    score = 89 + (300 * sentences - 10 * letters) / words
    return round(min(100.0, max(0.0, score)), 1)


def level(score: float | None) -> str:
    """The usual reading of a score, in words."""
    if score is None:
        return ""
    return next(str(label) for bound, label in LEVELS if score >= bound)


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text or "") if part and part.strip()]


@dataclass(frozen=True)
class SentenceScore:
    text: str
    score: float


@dataclass(frozen=True)
class Readability:
    score: float | None
    words: int
    worst: list[SentenceScore] = field(default_factory=list)

    @property
    def level(self) -> str:
        return level(self.score)

    def passes(self, threshold: float) -> bool:
        """An empty text passes: there is nothing hard to read in it."""
        return self.score is None or self.score >= threshold

    def as_dict(self, *, threshold: float | None = None) -> dict:
        data = {
            "score": self.score,
            "level": self.level,
            "words": self.words,
            "worst": [{"text": item.text, "score": item.score} for item in self.worst],
        }
        if threshold is not None:
            data["threshold"] = threshold
            data["passes"] = self.passes(threshold)
        return data


def analyse(text: str, *, worst: int = WORST_SENTENCES) -> Readability:
    """The score of the whole text and its hardest sentences (lowest first)."""
    text = (text or "").strip()
    score = gulpease(text)
    if score is None:
        return Readability(score=None, words=0)
    scored = [
        SentenceScore(text=sentence, score=sentence_score)
        for sentence in split_sentences(text)
        if (sentence_score := gulpease(sentence)) is not None
    ]
    scored.sort(key=lambda item: item.score)
    return Readability(score=score, words=_counts(text)[2], worst=scored[:worst])


def median_score(scores: list[float]) -> float | None:
    return round(median(scores), 1) if scores else None
