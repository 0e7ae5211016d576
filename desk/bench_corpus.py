"""The made-up newsroom the reader benchmark is built from (``seed_bench``).

Word lists and a small sentence writer: varied wire-style copy in which every
sentence is attributed as the ``Attribution`` it returns says. People and
organisations are invented, so no real person is quoted saying invented things.
"""

import datetime
import random
from dataclasses import dataclass

from articles.models import Article
from factcheck.models import Source

SECTIONS = [
    ("World", "world"),
    ("Politics", "politics"),
    ("Business", "business"),
    ("Science", "science"),
    ("Health", "health"),
]
# (username, full name, role group)
STAFF = [
    ("bench-reporter-1", "Rosa Reyes", "reporter"),
    ("bench-reporter-2", "Mikko Laine", "reporter"),
    ("bench-reporter-3", "Aiko Tanaka", "reporter"),
    ("bench-reporter-4", "Omar Haddad", "reporter"),
    ("bench-editor", "Elin Strand", "editor"),
    ("bench-factchecker-1", "Farid Nasser", "fact-checker"),
    ("bench-factchecker-2", "Grace Mwangi", "fact-checker"),
    ("bench-publisher", "Paulo Costa", "publisher"),
]
TAGS = [
    "Missiles", "Diplomacy", "Elections", "Parliament", "Inflation", "Trade",
    "Jobs", "Climate", "Space", "Glaciers", "Vaccines", "Hospitals", "Budget",
    "Shipping", "Energy",
]  # fmt: skip
# Fictional people and bodies, so no real person is put on record for made-up
# words. (name, kind, how the copy refers to it, role title, sections)
SOURCES = [
    ("Joint Staff of Norland", "military", "Norland's Joint Staff", "", "world"),
    ("Hana Sorensen", "official", "Defence Minister Hana Sorensen",
     "Defence Minister of Norland", "world"),
    # Heard only through the state agency, never quoted directly: no sections.
    ("Ri Song Hwan", "official", "leader Ri Song Hwan",
     "Chairman of the Northern Republic", ""),
    ("Northern Central News Agency", "state_media",
     "the Northern Central News Agency", "", "world"),
    ("Institute for Strategic Studies", "organisation",
     "the Institute for Strategic Studies", "", "world"),
    ("Kenji Arai", "expert", "Kyushu Defence College missile expert Kenji Arai",
     "", "world"),
    ("Foreign Ministry of Norland", "government", "the Foreign Ministry", "",
     "world politics"),
    ("Marta Lindqvist", "official", "Prime Minister Marta Lindqvist",
     "Prime Minister of Norland", "politics"),
    ("Tomas Berg", "person", "opposition leader Tomas Berg",
     "Leader of the Opposition", "politics"),
    ("Electoral Commission", "government", "the Electoral Commission", "",
     "politics"),
    ("Amina Okafor", "expert",
     "Harbour University political scientist Amina Okafor", "", "politics"),
    ("Parliamentary Budget Office", "government",
     "the Parliamentary Budget Office", "", "politics business"),
    ("Ingrid Falk", "official", "Interior Minister Ingrid Falk",
     "Interior Minister of Norland", "politics"),
    ("Senior government official", "unnamed",
     "a senior official who spoke on condition of anonymity", "",
     "politics world"),
    ("Central Bank of Norland", "government", "the central bank", "", "business"),
    ("Erik Holm", "official", "central bank governor Erik Holm",
     "Governor of the Central Bank of Norland", "business"),
    ("National Statistics Office", "government", "the National Statistics Office",
     "", "business"),
    ("Priya Raman", "expert", "Fjord Capital chief economist Priya Raman", "",
     "business"),
    ("Norland Chamber of Commerce", "organisation", "the Chamber of Commerce", "",
     "business"),
    ("Harbour Shipping Group", "organisation", "Harbour Shipping Group", "",
     "business"),
    ("Annual Trade Report", "document", "the annual trade report", "",
     "business"),
    ("Meteorological Institute", "government", "the Meteorological Institute",
     "", "science"),
    ("Sofia Marquez", "expert",
     "Polar Research Centre glaciologist Sofia Marquez", "", "science"),
    ("Polar Research Centre", "organisation", "the Polar Research Centre", "",
     "science"),
    ("Daniel Osei", "expert", "Harbour University astrophysicist Daniel Osei",
     "", "science"),
    ("Space Agency of Norland", "government", "the space agency", "",
     "science world"),
    ("Health Ministry of Norland", "government", "the Health Ministry", "",
     "health"),
    ("Lena Novak", "official", "Health Minister Lena Novak",
     "Health Minister of Norland", "health"),
    ("Regional Health Authority", "organisation",
     "the Regional Health Authority", "", "health"),
    ("Yusuf Demir", "expert", "public health institute epidemiologist Yusuf Demir",
     "", "health"),
    ("Hospital Workers Union", "organisation", "the Hospital Workers Union", "",
     "health"),
    ("Clinical Trial Report", "document", "a clinical trial report", "",
     "health"),
]  # fmt: skip
STATE_MEDIA_SPEAKER = "Ri Song Hwan"

# Clauses read well after "X said", inside a quote and as a sentence of their own.
CLAUSES = {
    "world": [
        "the military detected {n2} ballistic missile launches from the {region}",
        "the missiles flew about {km} kilometers before falling into the sea",
        "the launch was the {ordinal} missile test in {n2} weeks",
        "joint air drills with {n2} dozen fighter jets would continue until {day}",
        "radar stations tracked the missile for about {n2} minutes",
        "the navy had moved {n2} destroyers closer to the maritime border",
        "the new solid-fuel missile could reach targets {km} kilometers away",
        "troops along the border had been on heightened alert since {day}",
        "satellite images showed fresh activity at the {region} launch site",
        "the talks in {city} had produced no agreement on missile testing",
        "envoys from {n2} countries would meet in {city} in {month}",
        "the sanctions had cut fuel imports by {pct} percent since {month}",
    ],
    "politics": [
        "the coalition had secured {seats} of the {total_seats} seats in parliament",
        "turnout reached {pct} percent in the {region}",
        "the bill would go to a final vote in {month}",
        "the government had spent {bn} billion crowns on the new border agency",
        "{n2} members of the ruling party had voted against the budget",
        "the inquiry into campaign financing would report by {month}",
        "the new electoral map added {n2} constituencies in the {region}",
        "support for the government fell {pct} points in a {month} poll",
        "the reform would cut the number of ministries from {total_seats} to {seats}",
        "postal votes had risen {pct} percent compared with the last election",
    ],
    "business": [
        "exports rose {pct} percent in {month} from a year earlier",
        "the benchmark interest rate would stay at {rate} percent",
        "consumer prices climbed {pct} percent, the fastest pace in {n2} months",
        "the government planned to spend {bn} billion crowns on railways",
        "factory output fell for the {ordinal} month in a row in {month}",
        "unemployment edged down to {rate} percent in {month}",
        "the crown had lost about {pct} percent against the dollar since {month}",
        "freight rates on the main routes to {city} had doubled since {month}",
        "the trade surplus narrowed to {bn} billion crowns in {month}",
        "energy imports made up {pct} percent of the import bill last year",
    ],
    "science": [
        "average temperatures in {month} were {rate} degrees above the long-term mean",
        "the glacier had retreated about {km} meters since records began",
        "the probe would reach lunar orbit {n2} days after launch",
        "sea ice in the {region} covered {pct} percent less area than a decade ago",
        "the telescope had found {n2} new comets near the orbit of Mars",
        "rainfall in {month} was {pct} percent below the seasonal average",
        "the satellite's instruments had been switched on in {month}",
        "the research station in the {region} recorded {n2} storms in {month}",
        "the rocket carried {n2} small satellites built by universities",
        "permafrost in the {region} had thawed {rate} meters deeper since {year}",
    ],
    "health": [
        "the vaccine prevented severe illness in {pct} percent of cases",
        "waiting times at emergency departments rose {pct} percent in {month}",
        "the hospital in {city} had opened {n2} new intensive care beds",
        "the ministry would hire {km} nurses by the end of {year}",
        "flu admissions in {month} were the highest in {n2} years",
        "the trial enrolled {km} patients across {n2} hospitals",
        "spending on medicines rose {bn} billion crowns last year",
        "measles cases in the {region} had doubled since {month}",
        "the screening programme would be extended to people over {seats}",
        "{n2} clinics in the {region} had closed since {year}",
    ],
}
HEADLINES = {
    "world": [
        "Northern Republic fires {n2} missiles toward sea ahead of {city} talks",
        "Missile test over the {region} puts Norland troops on alert",
        "Envoys meet in {city} as missile launches strain ceasefire",
    ],
    "politics": [
        "Coalition wins {seats} seats as turnout reaches {pct} percent",
        "Parliament sets {month} vote on electoral reform",
        "Budget fight splits ruling party in the {region}",
    ],
    "business": [
        "Exports rise {pct} percent in {month} as freight costs ease",
        "Central bank holds rates at {rate} percent",
        "Factory output falls for {ordinal} month as prices climb",
    ],
    "science": [
        "Glacier in the {region} retreats {km} meters",
        "Lunar probe launches with {n2} university satellites",
        "{month} was {rate} degrees warmer than the long-term mean",
    ],
    "health": [
        "Hospitals in {city} add {n2} intensive care beds",
        "Flu admissions in {month} highest in {n2} years",
        "Vaccine trial enrols {km} patients across {n2} hospitals",
    ],
}
SUBHEADS = ["What happened", "Why it matters", "The reaction", "What comes next"]
# (sentence template, claim kind, cue). {S} speaker, {M} relaying channel,
# {C} a clause, {Q} the clause capitalised.
FORMS = {
    "reported": [
        ("{S} said {C}.", "reported_speech", "said"),
        ("{S} said on {day} that {C}.", "reported_speech", "said"),
        ("According to {S}, {C}.", "reported_speech", "according to"),
        ("{S} told reporters in {city} that {C}.", "reported_speech", "told"),
    ],
    "quote": [
        ("“{Q},” {S} said.", "direct_quote", "said"),
        ("“{Q},” {S} told reporters on {day}.", "direct_quote", "told reporters"),
    ],
    "document": [
        ("{S}, published on {day}, found that {C}.", "document", "found"),
        ("{S} showed that {C}.", "document", "showed"),
    ],
    "state_media": [
        ("{M} reported that {S} said {C}.", "state_media", "reported"),
        ("{S} said {C}, according to {M}.", "state_media", "according to"),
    ],
    "plain": [
        ("{Q}.", "unattributed", ""),
        ("On {day}, {C}.", "unattributed", ""),
        ("Earlier this year, {C}.", "unattributed", ""),
    ],
}
EXPLANATIONS = [
    "The figure matches the official release we checked.",
    "We compared the statement with the published record.",
    "Independent data from two other sources agree.",
    "The number was rounded; the exact figure is slightly lower.",
    "No independent record of this exists yet.",
]
VERACITY_WEIGHTS = {
    "accurate": 50, "mostly_accurate": 20, "misleading": 8, "false": 5,
    "unverifiable": 12, "not_assessed": 5,
}  # fmt: skip
ATTRIBUTION_WEIGHTS = {"confirmed": 90, "not_confirmed": 7, "misattributed": 3}
MONTHS = [datetime.date(2025, m, 1).strftime("%B") for m in range(1, 13)]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
CITIES = ["Geneva", "Oslo", "Nairobi", "Lisbon", "Seoul", "Valparaiso", "Tromso"]
REGIONS = ["north", "east coast", "capital region", "western islands", "south"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]


class _Filler(dict):
    """Random values for template slots, drawn afresh for each template."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng
        draws = {
            "n2": lambda: str(r.randint(2, 12)),
            "km": lambda: str(r.randrange(120, 1500, 10)),
            "pct": lambda: f"{r.uniform(0.5, 40):.1f}",
            "rate": lambda: f"{r.uniform(0.5, 9):.1f}",
            "bn": lambda: str(r.randint(2, 90)),
            "seats": lambda: str(r.randint(40, 90)),
            "total_seats": lambda: str(r.randint(100, 180)),
            "year": lambda: str(r.randint(2005, 2024)),
            "month": lambda: r.choice(MONTHS),
            "day": lambda: r.choice(DAYS),
            "city": lambda: r.choice(CITIES),
            "region": lambda: r.choice(REGIONS),
            "ordinal": lambda: r.choice(ORDINALS),
        }
        return draws[key]()


def capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


@dataclass(frozen=True)
class Voice:
    """A source as the generated copy uses it."""

    source: Source
    called: str  # How the copy names it.
    sections: tuple[str, ...]  # Whose stories quote it.


@dataclass(frozen=True)
class Attribution:
    """Who a generated sentence is attributed to: what its claim records."""

    kind: str
    cue: str = ""
    speaker: Voice | None = None
    channel: Voice | None = None


@dataclass
class Story:
    article: Article
    sentences: dict[str, Attribution]


class Writer:
    """Generates headlines, deks and Markdown bodies for one section's topic."""

    def __init__(self, rng: random.Random, voices: dict[str, Voice]):
        self.rng = rng
        self.voices = voices
        self.agency = voices["Northern Central News Agency"]

    def fill(self, template: str, **slots: str) -> str:
        values = _Filler(self.rng)
        values.update(slots)
        return template.format_map(values)

    def clause(self, topic: str) -> str:
        return self.fill(self.rng.choice(CLAUSES[topic]))

    def sentence(self, topic: str) -> tuple[str, Attribution]:
        rng = self.rng
        speaker = rng.choice([v for v in self.voices.values() if topic in v.sections])
        roll = rng.random()
        if roll < 0.45:
            group, speaker = "plain", None
        elif speaker.source.kind == Source.Kind.DOCUMENT:
            group = "document"
        elif speaker.source.kind == Source.Kind.STATE_MEDIA:
            group, speaker = "state_media", self.voices[STATE_MEDIA_SPEAKER]
        else:
            group = "quote" if roll > 0.8 else "reported"
        template, kind, cue = rng.choice(FORMS[group])
        clause = self.clause(topic)
        text = self.fill(
            template,
            S=speaker.called if speaker else "",
            M=self.agency.called,
            C=clause,
            Q=capitalised(clause),
        )
        return capitalised(text), Attribution(
            kind=kind,
            cue=cue,
            speaker=speaker,
            channel=self.agency if group == "state_media" else None,
        )

    def body(self, topic: str, words: int) -> tuple[str, dict[str, Attribution]]:
        """Paragraphs of 1 to 4 sentences, a subhead or two, about ``words`` long."""
        blocks, sentences, count = [], {}, 0
        while count < words:
            if len(blocks) in (5, 11):
                blocks.append(f"## {self.rng.choice(SUBHEADS)}")
            paragraph = []
            for _ in range(1 if not blocks else self.rng.randint(1, 4)):
                if count >= words:
                    break
                text, attribution = self.sentence(topic)
                sentences[text] = attribution
                paragraph.append(text)
                count += len(text.split())
            blocks.append(" ".join(paragraph))
        return "\n\n".join(blocks), sentences
