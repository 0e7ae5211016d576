"""Reads of the media library."""

import datetime

from django.db.models import Prefetch

from pictures.models import Picture, Rendition
from pictures.renditions import SPECS


def pictures_with_renditions(ids) -> dict[int, Picture]:
    """These pictures by id, with their renditions: two queries however many."""
    return Picture.objects.prefetch_related(Prefetch("renditions")).in_bulk(ids)


def pictures_rights_expired(ids, *, on: datetime.date) -> list[Picture]:
    """Of these pictures, those whose usage rights ended before ``on``."""
    return list(Picture.objects.filter(pk__in=ids, rights_expire_on__lt=on))


def renditions_prefetch(lookup: str, spec_name: str) -> Prefetch:
    """Prefetch, at ``lookup`` (e.g. "lead_image__renditions"), only the
    renditions of one spec: a list of stories needs a few per picture, not
    every size and shape ever made."""
    spec = SPECS[spec_name]
    renditions = Rendition.objects.filter(crop=spec.crop, format__in=spec.formats)
    return Prefetch(lookup, queryset=renditions)
