"""Sentences of an article: pysbd's, paragraph by paragraph, in windows of bounded size.

A headline without a full stop stays its own sentence, and no text, however long and however
few its line breaks, makes pysbd's quadratic work grow without bound (`_paragraph_sentences`).
"""

from __future__ import annotations

from functools import lru_cache

import pysbd

SENTENCE_WINDOW = 3_000  # characters pysbd sees at once; see `_paragraph_sentences`


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, paragraph by paragraph: a headline without a full stop stays its own."""
    spans = []
    offset = 0
    for paragraph in text.split("\n"):
        if paragraph.strip():
            spans += [(offset + start, offset + end) for start, end in _paragraph_sentences(paragraph)]
        offset += len(paragraph) + 1
    return spans


def _paragraph_sentences(paragraph: str) -> list[tuple[int, int]]:
    """pysbd's sentences of one paragraph, as stripped spans, found window by window.

    pysbd's time grows with the square of the text it is given: for every word that begins like
    one of its abbreviations ("co", "al", "art"...) it rewrites the whole text, so a 2 MB file
    with no line break ran for more than ten minutes. pysbd therefore never sees more than
    `SENTENCE_WINDOW` characters: the sentences it ends in a window are kept, and the next
    window starts after the last of them, where pysbd would have put the boundary anyway. A
    window in which no sentence ends is one sentence, cut at its last space; nothing that long
    is a sentence of an article.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(paragraph):
        end = min(len(paragraph), start + SENTENCE_WINDOW)
        found = [(start + a, start + b) for a, b in _window_sentences(paragraph[start:end])]
        if end == len(paragraph) or not found:
            spans += found
            start = end
        elif len(found) > 1:
            # The last sentence may run on past the window. Of the others, stop after the last
            # one outside quotation marks: pysbd pairs quotes, and a window that opened inside a
            # quotation would pair them the wrong way round and split quoted speech.
            complete = len(found) - 1
            keep = next(
                (n for n in range(complete, 0, -1) if _outside_quotes(paragraph, start, found[n - 1][1])), complete
            )
            spans += found[:keep]
            start = found[keep - 1][1]
        else:
            cut = paragraph.rfind(" ", start + SENTENCE_WINDOW // 2, end)
            cut = cut if cut > 0 else end
            piece = paragraph[found[0][0] : cut].rstrip()
            if piece:
                spans.append((found[0][0], found[0][0] + len(piece)))
            start = cut
    return spans


def _outside_quotes(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` closes every quotation it opens."""
    quotes = text.count('"', start, end)
    return quotes % 2 == 0 and text.count("“", start, end) == text.count("”", start, end)


def _window_sentences(window: str) -> list[tuple[int, int]]:
    """pysbd's sentences of `window`, as stripped spans.

    `Segmenter.segment` locates every sentence in the text with a regular expression compiled
    for that sentence, whether spans are asked for or not: 40% of extraction time, and it
    pushed pysbd's own patterns out of Python's regex cache. Its processor's sentences are the
    window's own text, in order (pysbd's spans rely on that too), so `str.find` from the
    previous end locates them instead.
    """
    spans = []
    position = 0
    for piece in _segmenter().processor(window).process():
        stripped = piece.strip()
        if not stripped:
            continue
        start = window.find(stripped, position)
        if start < 0:  # never seen; should pysbd alter a sentence, keep the rest as one
            rest = window[position:]
            if rest.strip():
                start = position + len(rest) - len(rest.lstrip())
                spans.append((start, position + len(rest.rstrip())))
            return spans
        spans.append((start, start + len(stripped)))
        position = start + len(stripped)
    return spans
