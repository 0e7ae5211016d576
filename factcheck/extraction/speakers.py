"""Parties across sentences: registry look-up, pronouns, role nouns, "the agency".

Remembers every party the story names (people, organisations, documents, state
media), most recent last, with its number and, where the text shows it, its
gender, so that "she said", "the president said" or "the agency said" can be
credited to the party they refer back to. A reference that fits no earlier
party, or that would jump a paragraph break to one of several candidates,
stays unresolved.
"""

import re
from dataclasses import dataclass

from .lexicon import (
    DOCUMENT_NOUNS,
    FEMALE_WORDS,
    GENERIC_ORGANISATION_NOUNS,
    GROUP_NOUNS,
    MALE_WORDS,
    ORGANISATION_NAME_WORDS,
    ORGANISATION_NOUNS,
    PERSON_NOUNS,
    TITLES,
)
from .registry import RegistryEntry, SourceRegistry

PERSON, GROUP, THING, ANY = "person", "group", "thing", "any"
# How far a reference reached for its party: named in place, within the
# paragraph, or across a paragraph break; None when it found none.
HERE, NEAR, FAR = 0, 1, 2
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
_PRONOUN_GENDER = {"he": "m", "she": "f"}
_FITS = {PERSON: {PERSON, ANY}, THING: {THING, ANY}, GROUP: {GROUP, THING, ANY}}
_ROLE_WORD = re.compile(r"[a-z]+")
_LOOKAHEAD = 300  # characters after a mention read for the party it names
_WORDS = re.compile(r"[\w'-]+")
_APPOSITIVE_REACH = 60  # characters around a mention read for its role
_ROLE_NOUNS = PERSON_NOUNS | TITLES | GROUP_NOUNS
_ANAPHOR_NOUNS = ORGANISATION_NOUNS | DOCUMENT_NOUNS | GENERIC_ORGANISATION_NOUNS


@dataclass(frozen=True, slots=True)
class Speaker:
    """A mention as written (``text`` at ``start:end``) and the party it names:
    ``source`` in the registry, ``name`` as the story first gave it."""

    text: str
    start: int
    end: int
    source: RegistryEntry | None
    agreement: str
    name: str | None = None
    gender: str = ""
    distance: int | None = HERE
    paragraph: int = 0


class SpeakerTracker:
    """Resolves speaker mentions in reading order."""

    def __init__(self, text: str, registry: SourceRegistry | None) -> None:
        self._text = text
        self._registry = registry
        self._history: list[Speaker] = []
        self._genders: dict[str, str] = {}
        self._lower = text.lower().replace("\u2019", "'")

    def speaker(
        self, start: int, end: int, pronoun: bool, paragraph: int = 0
    ) -> Speaker:
        """The speaker mentioned at ``text[start:end]``, its party resolved."""
        mention = self._text[start:end]
        if pronoun:
            return self._pronoun(mention, start, end, paragraph)
        earlier = self._role_reference(mention, start, paragraph)
        if earlier is not None:
            return _refer(earlier, mention, start, end, paragraph)
        source = self.resolve(mention, start)
        agreement = agreement_of(mention, source)
        # "The New Mexico Democrat" describes someone named before; it is no name
        name = (
            mention
            if _is_name(mention)
            and not (agreement == PERSON and mention.lower().startswith("the "))
            else None
        )
        if source is None and name is None:
            name = self._anaphor_name(mention)
        return Speaker(
            mention,
            start,
            end,
            source,
            agreement,
            name=name,
            gender=_gender_of(mention)
            or self._genders.get(_party_key(source, name), ""),
            paragraph=paragraph,
        )

    def resolve(self, mention: str, start: int) -> RegistryEntry | None:
        """Registry entry for a non-pronoun mention at ``start``, anaphora included."""
        if self._registry is None:
            return None
        return (
            self._registry.resolve(mention)
            or self._anaphor(mention, start)
            or self._shortened(mention, start)
        )

    def remember(self, speaker: Speaker) -> None:
        self._history.append(speaker)

    def _pronoun(self, mention: str, start: int, end: int, paragraph: int) -> Speaker:
        low = mention.lower()
        wanted = _PRONOUNS.get(low, ANY)
        gender = _PRONOUN_GENDER.get(low, "")
        antecedent = self._antecedent(wanted, gender, paragraph)
        if antecedent is None:
            return Speaker(
                mention,
                start,
                end,
                None,
                wanted,
                gender=gender,
                distance=None,
                paragraph=paragraph,
            )
        if gender:
            self._genders.setdefault(
                _party_key(antecedent.source, antecedent.name), gender
            )
        return _refer(antecedent, mention, start, end, paragraph, gender)

    def _antecedent(self, wanted: str, gender: str, paragraph: int) -> Speaker | None:
        """The latest party fitting the pronoun's number and gender.

        Across a paragraph break only when nothing else in that paragraph fits
        as well: a pronoun opening a paragraph is not guessed between two people.
        """
        fits = _FITS.get(wanted)
        candidates = [
            earlier
            for earlier in reversed(self._history)
            if (fits is None or earlier.agreement in fits)
            and (not gender or self._gender(earlier) in ("", gender))
        ]
        if not candidates:
            return None
        best = candidates[0]
        if best.paragraph == paragraph or (gender and self._gender(best) == gender):
            return best
        rivals = {
            _party_key(other.source, other.name or other.text)
            for other in candidates
            if other.paragraph == best.paragraph
        }
        return best if len(rivals) == 1 else None

    def _gender(self, party: Speaker) -> str:
        return party.gender or self._genders.get(
            _party_key(party.source, party.name), ""
        )

    def _role_reference(
        self, mention: str, start: int, paragraph: int
    ) -> Speaker | None:
        """ "the president", "the spokeswoman", "the sources": the latest party
        whose mention or appositive holds the same role noun, or whom the text
        titled so before ("President Aldo Ferrante's ...", then "Ferrante")."""
        words = [_bare(word) for word in mention.split()]
        if (
            not 2 <= len(words) <= 3
            or words[0] != "the"
            or words[-1] not in _ROLE_NOUNS
        ):
            return None
        noun = words[-1]
        for earlier in reversed(self._history):
            if (
                self._holds_role(earlier, noun, start)
                and earlier.text.lower() != mention.lower()
                and (earlier.paragraph == paragraph or earlier.source or earlier.name)
            ):
                return earlier
        return None

    def _holds_role(self, party: Speaker, noun: str, start: int) -> bool:
        """Whether the party's mention, its appositive or an earlier title
        gives it the role noun."""
        if noun in {_bare(word) for word in party.text.split()}:
            return True
        if noun in _ROLE_WORD.findall(self._described(party).lower()):
            return True
        return self._titled(party, noun, start)

    def _titled(self, party: Speaker, noun: str, start: int) -> bool:
        """Whether "Noun [First] Surname" names the party before ``start``."""
        name = party.source.name if party.source is not None else party.name
        if not name or noun not in TITLES:
            return False
        surname = name.split()[-1].lower()
        title = re.compile(
            rf"\b{re.escape(noun)}\s+(?:[\w.'-]+\s+){{0,2}}{re.escape(surname)}\b"
        )
        return title.search(self._lower, 0, start) is not None

    def _described(self, party: Speaker) -> str:
        """A mention with its appositives: "Sorvik's spokesperson, Mika Lund",
        "Ana Brekke, who heads the association" (within its sentence)."""
        before = self._text[max(0, party.start - _APPOSITIVE_REACH) : party.start]
        after = self._text[party.end : party.end + _APPOSITIVE_REACH]
        before = re.split(r"[.!?;:\n\"\u201c\u201d]", before)[-1]
        after = re.split(r"[.!?;:\n\"\u201c\u201d]", after)[0]
        if not before.rstrip().endswith(","):
            before = ""
        if not after.startswith(","):
            after = ""
        return f"{before} {party.text} {after}"

    def _anaphor_name(self, mention: str) -> str | None:
        """ "the agency" after an unregistered agency spoke: its name."""
        words = [_bare(word) for word in mention.split()]
        if (
            not 2 <= len(words) <= 3
            or words[0] != "the"
            or words[-1] not in _ANAPHOR_NOUNS
        ):
            return None
        for earlier in reversed(self._history):
            if (
                earlier.agreement == THING
                and earlier.name
                and words[-1] in {_bare(word) for word in earlier.name.split()}
            ):
                return earlier.name
        return None

    def _anaphor(self, mention: str, start: int) -> RegistryEntry | None:
        """ "the agency" after KCNA spoke; "the company" after Corvane did.

        Looks for, in turn: an earlier speaker whose name holds the noun; the
        registry entry holding it that the text names last before ``start``; and
        for generic nouns ("the company", "the statement") the last organisation.
        """
        words = mention.lower().split()
        if not 2 <= len(words) <= 3 or words[0] not in ("the", "its", "their"):
            return None
        noun = words[-1]
        if noun not in _ANAPHOR_NOUNS:
            return None
        for earlier in reversed(self._history):
            if earlier.agreement == THING and _names_contain(earlier.source, noun):
                return earlier.source
        named = self._named_before(noun, start) or self._named_next(noun, start)
        if named is not None or noun in ORGANISATION_NOUNS - GENERIC_ORGANISATION_NOUNS:
            return named
        for earlier in reversed(self._history):
            if earlier.agreement == THING and earlier.source is not None:
                return earlier.source
        return None

    def _named_next(self, noun: str, start: int) -> RegistryEntry | None:
        """ "their union said", then "head of the Breska Port Workers' Union":
        the one entry holding ``noun`` the text names soon after ``start``."""
        found = {
            entry
            for entry in (self._registry.named_with(noun) if self._registry else ())
            if any(
                0 <= self._lower.find(_folded(name), start) < start + _LOOKAHEAD
                for name in (entry.name, *entry.aliases)
            )
        }
        return found.pop() if len(found) == 1 else None

    def _shortened(self, mention: str, start: int) -> RegistryEntry | None:
        """ "the port authority" for the Breska Port Authority: the one entry
        whose name ends with the mention and whose other words the story has
        already used ("BRESKA, May 11 ...")."""
        words = _folded(mention).split()
        if len(words) < 3 or words[0] != "the" or self._registry is None:
            return None
        before = set(_WORDS.findall(self._lower[:start]))
        found = {
            entry
            for entry in self._registry.named_with(words[-1])
            if entry.kind not in _PERSON_KINDS
            for name in (entry.name, *entry.aliases)
            if (held := _folded(name).split())[-len(words) + 1 :] == words[1:]
            and len(held) >= len(words)
            and set(held[: -len(words) + 1]) <= before
        }
        return found.pop() if len(found) == 1 else None

    def _named_before(self, noun: str, start: int) -> RegistryEntry | None:
        """The entry holding ``noun`` whose name the text gives last before start."""
        best, best_at = None, -1
        for entry in self._registry.named_with(noun) if self._registry else ():
            for name in (entry.name, *entry.aliases):
                name = name.lower().replace("\u2019", "'")
                # "the ministry" after "Finance Minister Paul Ferran" spoke
                for form in {name, name.replace("ministry", "minister")}:
                    at = self._lower.rfind(form, 0, start)
                    if at > best_at:
                        best, best_at = entry, at
        return best


def _refer(
    party: Speaker, mention: str, start: int, end: int, paragraph: int, gender: str = ""
) -> Speaker:
    """A reference to ``party`` written as ``mention``."""
    return Speaker(
        mention,
        start,
        end,
        party.source,
        party.agreement,
        name=party.name,
        gender=party.gender or gender,
        distance=NEAR if party.paragraph == paragraph else FAR,
        paragraph=paragraph,
    )


def _party_key(source: RegistryEntry | None, name: str | None) -> str:
    return f"#{source.key}" if source is not None else (name or "").lower()


def _names_contain(source: RegistryEntry | None, noun: str) -> bool:
    if source is None:
        return False
    return any(noun in name.lower().split() for name in (source.name, *source.aliases))


def _folded(text: str) -> str:
    return text.lower().replace("\u2019", "'")


def _bare(word: str) -> str:
    word = word.lower().replace("\u2019", "'").strip(".,;:()")
    return word.removesuffix("'s")


def _is_name(mention: str) -> bool:
    """A proper name: a capitalised word past the first, or one capitalised word
    that is not a pronoun or role noun ("Easley", "Leif-Eric Easley")."""
    words = mention.split()
    if not words:
        return False
    if len(words) == 1:
        return words[0][:1].isupper() and _bare(words[0]) not in _ROLE_NOUNS | {"it"}
    return any(word[:1].isupper() for word in words[1:])


def _gender_of(mention: str) -> str:
    words = {_bare(word) for word in mention.split()}
    if words & MALE_WORDS:
        return "m"
    if words & FEMALE_WORDS:
        return "f"
    return ""


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
