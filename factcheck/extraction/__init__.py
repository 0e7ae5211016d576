"""Claim and attribution extraction for news copy, in pure Python.

Splits a body into sentences and proposes, for each, who it is attributed to, how
(direct quote, reported speech, or the reporter's own assertion), the cue words
and any relaying channel. No Django here: the ``factcheck`` app calls in.
"""

from .claims import ProposedClaim
from .document import body_start
from .extractor import extract_claims
from .registry import RegistryEntry, SourceRegistry
from .sentences import split_sentences

__all__ = [
    "ProposedClaim",
    "RegistryEntry",
    "SourceRegistry",
    "body_start",
    "extract_claims",
    "split_sentences",
]
