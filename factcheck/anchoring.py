"""Re-anchoring claims after an edit of the body.

Pure functions, no database. For each claim, in order of preference:

1. its exact text still stands in the new body: it keeps its identity and
   data, moved to the occurrence nearest its old relative position;
2. a new sentence reads mostly like it (similarity >= ``CHANGED_SIMILARITY``):
   it is *changed*, anchored to that sentence, old text kept;
3. otherwise it is *detached*: kept, never silently deleted.

Each span of the new body is given to at most one claim.
"""

import bisect
import difflib
import itertools
from dataclasses import dataclass

CHANGED_SIMILARITY = 0.6


@dataclass(frozen=True)
class AnchoredSpan:
    start: int
    end: int


@dataclass(frozen=True)
class Reanchoring:
    claim_id: int
    outcome: str  # "same", "moved", "changed" or "detached"
    span: AnchoredSpan | None


def _occurrences(body: str, text: str) -> list[int]:
    found, index = [], body.find(text)
    while index != -1 and text:
        found.append(index)
        index = body.find(text, index + 1)
    return found


def _relative(position: int, length: int) -> float:
    return position / length if length else 0.0


def reanchor(
    claims: list[tuple[int, int, int, str]],
    old_length: int,
    new_body: str,
    sentences: list[tuple[int, int]],
) -> list[Reanchoring]:
    """Place ``(claim_id, start, end, text)`` claims in ``new_body``.

    ``sentences`` are the new body's sentence spans, candidates for changed
    claims. Returns one ``Reanchoring`` per claim, in the order given.
    """
    taken: set[tuple[int, int]] = set()
    results: dict[int, Reanchoring] = {}
    pending = []
    for claim_id, start, end, text in claims:
        old_rel = _relative(start, old_length)
        spots = [
            p for p in _occurrences(new_body, text) if (p, p + len(text)) not in taken
        ]
        if not spots:
            pending.append((claim_id, start, text))
            continue
        best = min(spots, key=lambda p: abs(_relative(p, len(new_body)) - old_rel))
        taken.add((best, best + len(text)))
        outcome = "same" if (best, best + len(text)) == (start, end) else "moved"
        results[claim_id] = Reanchoring(
            claim_id, outcome, AnchoredSpan(best, best + len(text))
        )
    if pending:
        free = _free_sentences(sentences, taken)
        for claim_id, start, text in pending:
            results[claim_id] = _closest_sentence(
                claim_id, _relative(start, old_length), text, new_body, free
            )
    return [results[claim[0]] for claim in claims]


class SpanIndex:
    """Answers "does this span overlap any of these spans?" in log time."""

    def __init__(self, spans):
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.max_end_before = [0, *itertools.accumulate((e for _, e in ordered), max)]

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self.starts, end)  # spans that start before our end
        return self.max_end_before[before] > start


def _free_sentences(
    sentences: list[tuple[int, int]], taken: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentences that overlap no span already given to a claim."""
    index = SpanIndex(taken)
    return [(start, end) for start, end in sentences if not index.overlaps(start, end)]


def _closest_sentence(claim_id, old_rel, text, new_body, free) -> Reanchoring:
    """The most similar free sentence (ties: the nearest), which is then taken."""
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(text)
    best, best_key = None, None
    for start, end in free:
        matcher.set_seq1(new_body[start:end])
        if (
            matcher.real_quick_ratio() < CHANGED_SIMILARITY
            or matcher.quick_ratio() < CHANGED_SIMILARITY
        ):
            continue
        ratio = matcher.ratio()
        if ratio < CHANGED_SIMILARITY:
            continue
        key = (ratio, -abs(_relative(start, len(new_body)) - old_rel))
        if best_key is None or key > best_key:
            best, best_key = (start, end), key
    if best is None:
        return Reanchoring(claim_id, "detached", None)
    free.remove(best)
    return Reanchoring(claim_id, "changed", AnchoredSpan(*best))
