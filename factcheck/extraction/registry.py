"""Source registry: resolves a speaker mention to a known source."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .lexicon import (
    GENERIC_NAME_WORDS,
    NP_LINKS,
    NP_PREPOSITIONS,
    ORGANISATION_NAME_WORDS,
    TITLES,
)

_TOKEN = re.compile(r"\w+(?:['.&-]\w+)*(?:'s?)?")
_PERSON_KINDS = frozenset({"person", "official", "expert"})
_POST_MODIFIERS = NP_PREPOSITIONS | NP_LINKS | {"who", "which", "that"}
_AMBIGUOUS = object()
_GENERIC_FIRST_WORDS = GENERIC_NAME_WORDS | ORGANISATION_NAME_WORDS
_CORPORATE_SUFFIXES = frozenset({"inc", "corp", "co", "ltd", "llc", "plc", "ag", "sa"})
_LINK_WORDS = NP_PREPOSITIONS | {"the", "a", "an"}


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """A known source; ``key`` is an opaque id chosen by the caller."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""


class SourceRegistry:
    """Known sources, looked up by the ways stories refer to them."""

    def __init__(self, entries: Iterable[RegistryEntry]) -> None:
        self.entries = tuple(entries)
        self._aliases: dict[str, object] = {}
        self._short_names: dict[str, object] = {}
        self._name_words: dict[str, list[RegistryEntry]] = {}
        for entry in self.entries:
            for alias in (entry.name, *entry.aliases):
                tokens = _tokens(alias)
                _index(self._aliases, " ".join(tokens), entry)
                for token in set(tokens):
                    holders = self._name_words.setdefault(token, [])
                    if entry not in holders:
                        holders.append(entry)
            for short in _short_names(entry):
                _index(self._short_names, short, entry)
        self._longest = max((key.count(" ") + 1 for key in self._aliases), default=0)
        self._cache: dict[str, RegistryEntry | None] = {}

    def resolve(self, mention: str) -> RegistryEntry | None:
        """Best entry for a speaker mention as written, or None.

        Tries, in order: the whole mention as a name or alias (case, straight or
        curly apostrophes and a leading "the" do not matter); the best name or
        alias contained in it, preferring named sources over unnamed ones, then
        the one holding the mention's head word, then the longest (a possessor
        alone never counts: "Koizumi's office" is not Koizumi, and an unnamed
        source must hold the head word); a short name alone or after a title
        ("Koizumi", "Defense Minister Koizumi", "Corvane") when exactly one entry
        carries it. Ambiguous aliases resolve to nothing.
        """
        if mention not in self._cache:
            self._cache[mention] = self._lookup(mention)
        return self._cache[mention]

    def _lookup(self, mention: str) -> RegistryEntry | None:
        tokens = _tokens(mention)
        if not tokens:
            return None
        exact = self._aliases.get(" ".join(tokens))
        if isinstance(exact, RegistryEntry):
            return exact
        owner_end = _possessor_end(tokens)
        head = _head_index(tokens, owner_end)
        return self._contained(tokens, owner_end, head) or self._short_name(
            tokens, head
        )

    def _contained(self, tokens: list[str], owner_end: int, head: int):
        best, best_score = None, None
        for i in range(len(tokens)):
            last = min(len(tokens), i + self._longest)
            for j in range(max(i + 1, owner_end + 2), last + 1):
                entry = self._aliases.get(" ".join(tokens[i:j]))
                if not isinstance(entry, RegistryEntry):
                    continue
                holds_head = i <= head < j
                if not holds_head and not _stands_apart(tokens, i, j, entry):
                    continue
                score = (entry.kind != "unnamed", holds_head, j - i)
                if best_score is None or score > best_score:
                    best, best_score = entry, score
        return best

    def _short_name(self, tokens: list[str], head: int) -> RegistryEntry | None:
        if head > 0 and tokens[head - 1] not in TITLES:
            return None
        entry = self._short_names.get(tokens[head])
        return entry if isinstance(entry, RegistryEntry) else None

    def same_party(self, name: str) -> RegistryEntry | None:
        """The one entry a newly met name surely denotes, or None.

        Sure means another spelling of its name or an alias, or a surname alone
        (after any title) that only one person's name holds. A full name is
        never folded into an entry that merely shares its surname.
        """
        exact, partial = self._matches(name)
        if exact:
            return exact[0] if len(exact) == 1 else None
        if len(_spelling(name)) == 1 and len(partial) == 1:
            return partial[0]
        return None

    def likely_matches(self, name: str) -> list[RegistryEntry]:
        """Entries a newly met name probably denotes, best first.

        Compares spellings with case, accents, hyphens and apostrophes ignored
        ("Kim Jong-un" is "Kim Jong Un"), then a surname alone or after a title
        ("Koizumi", "Minister Koizumi") against people's first or last name
        words, then a full name whose last word and first initial agree
        ("S. Koizumi"). Unnamed sources never match. The duplicate check for
        proposed sources and the desk's duplicate list both use this.
        """
        exact, partial = self._matches(name)
        return exact + partial

    def _matches(self, name: str) -> tuple[list[RegistryEntry], list[RegistryEntry]]:
        wanted = _spelling(name)
        if not wanted:
            return [], []
        exact, partial = [], []
        for entry in self.entries:
            if entry.kind == "unnamed":
                continue
            spellings = [_spelling(alias) for alias in (entry.name, *entry.aliases)]
            if any(_same_spelling(wanted, spelling) for spelling in spellings):
                exact.append(entry)
            elif entry.kind in _PERSON_KINDS and any(
                _same_person(wanted, spelling) for spelling in spellings
            ):
                partial.append(entry)
        return exact, partial

    def named_with(self, word: str) -> list[RegistryEntry]:
        """Entries whose name or an alias holds ``word`` ("agency")."""
        return self._name_words.get(word.lower(), [])


def _tokens(text: str) -> list[str]:
    """Lower-case word tokens for matching: periods dropped so "U.S." equals
    "US", and a leading "the" and a trailing corporate suffix ("Inc.") too."""
    text = text.lower().replace("\u2019", "'")
    tokens = [token.replace(".", "") for token in _TOKEN.findall(text)]
    while len(tokens) > 1 and tokens[-1] in _CORPORATE_SUFFIXES:
        tokens.pop()
    return tokens[1:] if tokens[:1] == ["the"] else tokens


def _spelling(text: str) -> list[str]:
    """Words of a name for comparing spellings: accents, case, hyphens,
    apostrophes, periods and titles dropped."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[^\W_]+", plain.replace("'", "").replace("\u2019", ""))
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return words


def _same_spelling(a: list[str], b: list[str]) -> bool:
    return a == b or (len(a) + len(b) > 2 and "".join(a) == "".join(b))


def _same_person(new: list[str], known: list[str]) -> bool:
    """ "Koizumi" or "S. Koizumi" for "Shinjiro Koizumi" (or the other way)."""
    if len(known) < 2 and len(new) < 2:
        return False
    short, full = (new, known) if len(new) <= len(known) else (known, new)
    if len(short) == 1:
        return len(short[0]) > 2 and short[0] in (full[0], full[-1])
    return short[-1] == full[-1] and short[0][0] == full[0][0]


def _index(table: dict[str, object], key: str, entry: RegistryEntry) -> None:
    if not key:
        return
    known = table.get(key)
    table[key] = entry if known is None or known == entry else _AMBIGUOUS


def _short_names(entry: RegistryEntry) -> list[str]:
    """Names a story may shorten an entry to after first mention.

    A person's first and last name tokens (family names come first in Korean,
    Chinese and Japanese order, last in Western order); an organisation's
    distinctive first word ("Corvane" for "Corvane Therapeutics").
    """
    words = entry.name.split()
    if not 2 <= len(words) <= 4 or entry.kind == "unnamed":
        return []
    tokens = _tokens(entry.name)
    is_organisation = any(token in ORGANISATION_NAME_WORDS for token in tokens)
    if entry.kind in _PERSON_KINDS and not is_organisation:
        if any(not word[0].isupper() for word in words):
            return []
        return [token for token in {tokens[0], tokens[-1]} if len(token) > 2]
    first = tokens[0]
    if not words[0][0].isupper() or len(first) <= 3 or first in _GENERIC_FIRST_WORDS:
        return []
    return [first]


def _stands_apart(tokens: list[str], i: int, j: int, entry: RegistryEntry) -> bool:
    """Whether a match off the head word may still name the speaker.

    "a spokesperson for the Joint Chiefs of Staff" may; "Kim" inside "Kim Yo
    Jong" may not (a fragment of another name), nor "official" inside "ministry
    official Jane Doe" (an unnamed source must hold the head word).
    """
    if entry.kind == "unnamed":
        return False
    return j == len(tokens) and i > 0 and tokens[i - 1] in _LINK_WORDS


def _possessor_end(tokens: list[str]) -> int:
    """Index of the last possessive token ("korea's"), or -1."""
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index].endswith(("'s", "s'")):
            return index
    return -1


def _head_index(tokens: list[str], owner_end: int) -> int:
    """The head word: the last one before a post-modifier ("experts at X")."""
    for index in range(owner_end + 1, len(tokens)):
        if tokens[index] in _POST_MODIFIERS and index > owner_end + 1:
            return index - 1
    return len(tokens) - 1
