"""Which of the vocabulary's topics a text mentions: by a synonym (in any case) or an acronym (as written).

Used by the extractor on a raw article, and by the digest on a curated meeting's outcomes.
"""

from __future__ import annotations

import re

from .model import Vocabulary
from .text import phrase_pattern


def topics_in(text: str, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(slug, the words around the first mention) of each topic `text` mentions, in the vocabulary's order."""
    found = []
    for topic in vocabulary.topics:
        hit = None
        for synonym in topic.synonyms:
            hit = re.search(phrase_pattern(synonym), text, re.I)
            if hit:
                break
        if hit is None:
            for acronym in topic.acronyms:
                hit = re.search(phrase_pattern(acronym), text)
                if hit:
                    break
        if hit:
            found.append((topic.slug, text[max(0, hit.start() - 40) : hit.end() + 40].strip()))
    return found
