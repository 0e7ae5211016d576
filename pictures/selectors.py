"""Reads of the media library."""

import datetime

from django.db.models import Prefetch

from pictures.models import Picture


def pictures_with_renditions(ids) -> dict[int, Picture]:
    """These pictures by id, with their renditions: two queries however many."""
    return Picture.objects.prefetch_related(Prefetch("renditions")).in_bulk(ids)


def pictures_rights_expired(ids, *, on: datetime.date) -> list[Picture]:
    """Of these pictures, those whose usage rights ended before ``on``."""
    return list(Picture.objects.filter(pk__in=ids, rights_expire_on__lt=on))
