"""Three-way merge of two edits made from the same revision.

Two people open revision *base*; one saves *theirs*, the other then saves
*mine*. Instead of refusing the second save, the two edits are merged against
*base*: the body paragraph by paragraph (paragraphs are separated by blank
lines), every other field as a whole value. Changes to different paragraphs
or different fields merge by themselves; a paragraph (or field) both changed
differently is a ``Conflict``, settled by a choice (``mine``, ``theirs`` or,
for paragraphs, ``both``) keyed by ``Conflict.key``. The key hashes the three
versions, so a choice only ever settles the very conflict it was made on.

Pure functions: no database, no Django. ``articles.services.article_update``
calls ``merge_contents`` under the article's row lock.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass, field, replace

from articles.content import ArticleContent

_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")
MINE, THEIRS, BOTH = "mine", "theirs", "both"
# Fields merged as one value each (the body is merged by paragraph).
_WHOLE_FIELDS = [name for name in ArticleContent.SCALAR_FIELDS if name != "body"] + [
    "author_ids",
    "tag_ids",
]


def choices_from(data) -> dict[str, str]:
    """The conflict choices posted by a conflict page (``merge-<key>`` fields)."""
    return {
        name.removeprefix("merge-"): data[name]
        for name in data
        if name.startswith("merge-c") and data[name] in (MINE, THEIRS, BOTH)
    }


def split_paragraphs(body: str) -> list[str]:
    """The body's paragraphs: text between blank lines, without the blanks."""
    text = body.replace("\r\n", "\n").strip("\n")
    return [p for p in _PARAGRAPH_BREAK.split(text) if p.strip()] if text else []


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


@dataclass(frozen=True)
class Conflict:
    """One place both edits changed differently.

    ``field`` is ``"body"`` for a run of paragraphs (then ``base``, ``mine``
    and ``theirs`` are lists of paragraphs and ``paragraph`` is where the run
    starts in the merged body, 1-based) or the name of another field.
    """

    field: str
    base: object
    mine: object
    theirs: object
    paragraph: int = 0

    @property
    def key(self) -> str:
        text = repr((self.field, self.base, self.mine, self.theirs))
        return "c" + hashlib.sha256(text.encode()).hexdigest()[:16]

    def resolved(self, choice: str):
        if choice == THEIRS:
            return self.theirs
        if choice == BOTH and self.field == "body":
            return self.mine + [p for p in self.theirs if p not in self.mine]
        return self.mine


@dataclass
class Merge:
    """The outcome: ``content`` when nothing is left to choose, else ``None``
    and the ``conflicts``; ``theirs_changed`` names what the other edit
    brought in ("paragraph 3", "headline") for the message to the user."""

    content: ArticleContent | None
    conflicts: list[Conflict] = field(default_factory=list)
    theirs_changed: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


@dataclass(frozen=True)
class _Hunk:
    start: int  # base paragraphs [start, end) become ``lines``
    end: int
    lines: tuple[str, ...]
    side: str


def _hunks(base: list[str], other: list[str], side: str) -> list[_Hunk]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [
        _Hunk(i1, i2, tuple(other[j1:j2]), side)
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _clusters(hunks: list[_Hunk]) -> list[list[_Hunk]]:
    """Group hunks that touch the same base paragraphs (or insert at the same
    place); hunks of different clusters change different paragraphs."""
    clusters: list[list[_Hunk]] = []
    start = end = -1
    for hunk in sorted(hunks, key=lambda h: (h.start, h.end)):
        same_insertion = hunk.start == hunk.end == start == end
        if clusters and (hunk.start < end or same_insertion):
            clusters[-1].append(hunk)
            end = max(end, hunk.end)
        else:
            clusters.append([hunk])
            start, end = hunk.start, hunk.end
    return clusters


def _apply(base: list[str], start: int, end: int, hunks: list[_Hunk]) -> list[str]:
    """``base[start:end]`` with one side's hunks (all inside it) applied."""
    out, at = [], start
    for hunk in sorted(hunks, key=lambda h: (h.start, h.end)):
        out += base[at : hunk.start] + list(hunk.lines)
        at = hunk.end
    return out + base[at:end]


def merge_bodies(
    base: str, mine: str, theirs: str, choices: dict[str, str] | None = None
) -> tuple[str, list[Conflict], list[int]]:
    """Merge three bodies by paragraph: ``(merged body, conflicts left,
    numbers of the merged paragraphs that came from theirs)``."""
    choices = choices or {}
    base_p, mine_p, theirs_p = (split_paragraphs(b) for b in (base, mine, theirs))
    hunks = _hunks(base_p, mine_p, MINE) + _hunks(base_p, theirs_p, THEIRS)
    merged: list[str] = []
    conflicts: list[Conflict] = []
    from_theirs: list[int] = []
    at = 0
    for cluster in _clusters(hunks):
        start = min(h.start for h in cluster)
        end = max(h.end for h in cluster)
        merged += base_p[at:start]
        at = end
        sides = {
            side: _apply(base_p, start, end, [h for h in cluster if h.side == side])
            for side in (MINE, THEIRS)
        }
        only = {h.side for h in cluster}
        if only == {THEIRS} or sides[MINE] == sides[THEIRS]:
            from_theirs += range(len(merged) + 1, len(merged) + len(sides[THEIRS]) + 1)
            if only == {THEIRS} and not sides[THEIRS]:
                from_theirs.append(-(start + 1))  # a removed paragraph
            merged += sides[THEIRS]
            continue
        if only == {MINE}:
            merged += sides[MINE]
            continue
        conflict = Conflict(
            field="body",
            base=base_p[start:end],
            mine=sides[MINE],
            theirs=sides[THEIRS],
            paragraph=len(merged) + 1,
        )
        if conflict.key in choices:
            merged += conflict.resolved(choices[conflict.key])
        else:
            conflicts.append(conflict)
            merged += sides[MINE]
    merged += base_p[at:]
    return join_paragraphs(merged), conflicts, from_theirs


def _describe(from_theirs: list[int], fields_from_theirs: list[str]) -> list[str]:
    changed = [f"paragraph {n}" for n in from_theirs if n > 0]
    removed = sum(1 for n in from_theirs if n < 0)
    if removed:
        changed.append(f"{removed} removed paragraph{'s' if removed > 1 else ''}")
    labels = {"dek": "standfirst", "section_id": "section", "author_ids": "bylines"}
    changed += [
        labels.get(n, n.replace("_ids", "s").replace("_", " "))
        for n in fields_from_theirs
    ]
    return changed


def merge_contents(
    base: ArticleContent,
    mine: ArticleContent,
    theirs: ArticleContent,
    choices: dict[str, str] | None = None,
) -> Merge:
    """Merge ``mine`` and ``theirs``, both edited from ``base``.

    ``choices`` settles conflicts by key. Nothing is dropped: an unsettled
    conflict leaves ``content`` empty for the caller to ask the person.
    """
    choices = choices or {}
    values: dict[str, object] = {}
    conflicts: list[Conflict] = []
    fields_from_theirs: list[str] = []
    for name in _WHOLE_FIELDS:
        was, ours, other = (getattr(c, name) for c in (base, mine, theirs))
        if ours == other or other == was:
            values[name] = ours
        elif ours == was:
            values[name] = other
            fields_from_theirs.append(name)
        else:
            conflict = Conflict(field=name, base=was, mine=ours, theirs=other)
            if conflict.key in choices:
                values[name] = conflict.resolved(choices[conflict.key])
            else:
                conflicts.append(conflict)
    if base.body in (mine.body, theirs.body):  # one side kept it: no re-flow
        body = theirs.body if mine.body == base.body else mine.body
        body_conflicts, from_theirs = [], []
        if theirs.body != base.body:
            from_theirs = merge_bodies(base.body, mine.body, theirs.body)[2]
    else:
        body, body_conflicts, from_theirs = merge_bodies(
            base.body, mine.body, theirs.body, choices
        )
    conflicts = body_conflicts + conflicts
    theirs_changed = _describe(from_theirs, fields_from_theirs)
    if conflicts:
        return Merge(content=None, conflicts=conflicts, theirs_changed=theirs_changed)
    merged = replace(mine, body=body, **values)
    return Merge(content=merged, theirs_changed=theirs_changed)
