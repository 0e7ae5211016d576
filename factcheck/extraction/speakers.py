"""Speakers across sentences: registry look-up, pronouns and "the agency".

Keeps the speakers met so far, most recent last, so that "It said" or "the
agency said" can be credited to the party they refer back to.
"""

from dataclasses import dataclass

from .lexicon import (
    DOCUMENT_NOUNS,
    GENERIC_ORGANISATION_NOUNS,
    GROUP_NOUNS,
    ORGANISATION_NAME_WORDS,
    ORGANISATION_NOUNS,
    PERSON_NOUNS,
    TITLES,
)
from .registry import RegistryEntry, SourceRegistry

PERSON, GROUP, THING, ANY = "person", "group", "thing", "any"
_THING_KINDS = frozenset(
    {
        "government",
        "military",
        "state_media",
        "news_agency",
        "intelligence",
        "organisation",
        "organization",
        "document",
    }
)
_PERSON_KINDS = frozenset({"person", "expert"})
_PRONOUNS = {
    "he": PERSON,
    "she": PERSON,
    "it": THING,
    "they": GROUP,
    "we": ANY,
    "i": ANY,
}
_FITS = {PERSON: {PERSON, ANY}, THING: {THING, ANY}, GROUP: {GROUP, THING, ANY}}


@dataclass(frozen=True, slots=True)
class Speaker:
    text: str
    start: int
    end: int
    source: RegistryEntry | None
    agreement: str


class SpeakerTracker:
    """Resolves speaker mentions in reading order."""

    def __init__(self, text: str, registry: SourceRegistry | None) -> None:
        self._text = text
        self._registry = registry
        self._history: list[Speaker] = []
        self._lower = text.lower().replace("\u2019", "'")

    def speaker(self, start: int, end: int, pronoun: bool) -> Speaker:
        """The speaker mentioned at ``text[start:end]``, its source resolved."""
        mention = self._text[start:end]
        if pronoun:
            wanted = _PRONOUNS.get(mention.lower(), ANY)
            antecedent = self._antecedent(wanted)
            source = antecedent.source if antecedent else None
            agreement = antecedent.agreement if antecedent else wanted
            return Speaker(mention, start, end, source, agreement)
        source = self.resolve(mention, start)
        return Speaker(mention, start, end, source, agreement_of(mention, source))

    def resolve(self, mention: str, start: int) -> RegistryEntry | None:
        """Registry entry for a non-pronoun mention at ``start``, anaphora included."""
        if self._registry is None:
            return None
        return self._registry.resolve(mention) or self._anaphor(mention, start)

    def remember(self, speaker: Speaker) -> None:
        self._history.append(speaker)

    def _antecedent(self, wanted: str) -> Speaker | None:
        fits = _FITS.get(wanted)
        for earlier in reversed(self._history):
            if fits is None or earlier.agreement in fits:
                return earlier
        return None

    def _anaphor(self, mention: str, start: int) -> RegistryEntry | None:
        """ "the agency" after KCNA spoke; "the company" after Corvane did.

        Looks for, in turn: an earlier speaker whose name holds the noun; the
        registry entry holding it that the text names last before ``start``; and
        for generic nouns ("the company", "the statement") the last organisation.
        """
        words = mention.lower().split()
        if not 2 <= len(words) <= 3 or words[0] != "the":
            return None
        noun = words[-1]
        if noun not in ORGANISATION_NOUNS | DOCUMENT_NOUNS | GENERIC_ORGANISATION_NOUNS:
            return None
        for earlier in reversed(self._history):
            if earlier.agreement == THING and _names_contain(earlier.source, noun):
                return earlier.source
        named = self._named_before(noun, start)
        if named is not None or noun in ORGANISATION_NOUNS - GENERIC_ORGANISATION_NOUNS:
            return named
        for earlier in reversed(self._history):
            if earlier.agreement == THING:
                return earlier.source
        return None

    def _named_before(self, noun: str, start: int) -> RegistryEntry | None:
        """The entry holding ``noun`` whose name the text gives last before start."""
        best, best_at = None, -1
        for entry in self._registry.named_with(noun) if self._registry else ():
            for name in (entry.name, *entry.aliases):
                at = self._lower.rfind(name.lower().replace("\u2019", "'"), 0, start)
                if at > best_at:
                    best, best_at = entry, at
        return best


def _names_contain(source: RegistryEntry | None, noun: str) -> bool:
    if source is None:
        return False
    return any(noun in name.lower().split() for name in (source.name, *source.aliases))


def _bare(word: str) -> str:
    word = word.lower().replace("\u2019", "'").strip(".,;:()")
    return word.removesuffix("'s")


def agreement_of(mention: str, source: RegistryEntry | None) -> str:
    """Whether "he/she", "it" or "they" can refer back to this speaker."""
    words = [_bare(word) for word in mention.split()]
    if source is not None and source.kind in _PERSON_KINDS:
        return PERSON
    if source is not None and source.kind in _THING_KINDS:
        return THING
    head = words[-1] if words else ""
    if head in GROUP_NOUNS:
        return GROUP
    if head in PERSON_NOUNS:
        return PERSON
    if head in ORGANISATION_NOUNS or head in DOCUMENT_NOUNS:
        return THING
    if any(word in TITLES for word in words[:-1]):
        return PERSON  # "Port Authority Chairman Gil Navarro"
    if any(word in ORGANISATION_NAME_WORDS for word in words):
        return THING
    return PERSON if mention[:1].isupper() else ANY
