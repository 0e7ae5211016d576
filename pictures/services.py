"""Writes to the media library: uploads, edits and renditions."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from outbox.services import outbox_enqueue
from pictures.images import CleanImage, make_rendition
from pictures.models import Picture, Rendition
from pictures.renditions import (
    SPECS,
    PictureSources,
    SocialImage,
    Spec,
    absolute,
    focal_key,
    focal_of,
    spec_widths,
)

_MIME = {Rendition.Format.WEBP: "image/webp", Rendition.Format.JPEG: "image/jpeg"}
# The fields an editor may change after the upload (not the pixels).
EDITABLE_FIELDS = (
    "alt_text",
    "caption",
    "photographer",
    "agency",
    "tags",
    "rights_note",
    "rights_expire_on",
    "focal_x",
    "focal_y",
)


def picture_upload(*, actor, image: CleanImage, name: str = "", **fields) -> Picture:
    """Store ``image`` (from ``images.clean_upload``, which refuses what is
    not an accepted picture) with its ``fields`` (see ``EDITABLE_FIELDS``).

    Raises ``ValidationError`` for bad fields, before anything is stored.
    Standard renditions are made in the background after commit.
    """
    picture = Picture(
        format=image.format,
        width=image.width,
        height=image.height,
        uploaded_by=actor,
        **fields,
    )
    picture.full_clean(exclude=["file"])
    stem = slugify(name.rsplit(".", 1)[0])[:60] or "picture"
    picture.file.save(f"{stem}.{image.format}", ContentFile(image.content), save=False)
    try:
        with transaction.atomic():
            picture.save()
            _renditions_enqueue(picture.pk)
    except BaseException:
        picture.file.delete(save=False)
        raise
    return picture


def picture_update(*, picture_id: int, actor, **changes) -> Picture:
    """Change what is said about a picture (alt text, caption, credit, rights,
    focal point). Crops made around an old focal point are deleted."""
    with transaction.atomic():
        picture = Picture.objects.select_for_update().get(pk=picture_id)
        for name, value in changes.items():
            if name not in EDITABLE_FIELDS:
                raise ValueError(f"{name} is not an editable picture field")
            setattr(picture, name, value)
        picture.full_clean()
        picture.save(update_fields=[*changes, "updated_at"])
        stale = picture.renditions.exclude(crop="").exclude(focal=focal_of(picture))
        names = list(stale.values_list("file", flat=True))
        stale.delete()
        transaction.on_commit(lambda: _delete_files(names))
        _renditions_enqueue(picture.pk)
    return picture


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _renditions_enqueue(picture_id: int) -> None:
    outbox_enqueue(
        task="pictures.tasks.make_renditions_task",
        kwargs={"picture_id": picture_id},
        key=f"picture-renditions:{picture_id}",
    )


def renditions_make(*, picture_id: int) -> int:
    """Make every standard rendition the picture lacks; returns how many."""
    picture = Picture.objects.filter(pk=picture_id).first()
    if picture is None:  # deleted since: nothing to make
        return 0
    before = len(_rendition_index(picture))
    for spec in SPECS.values():
        for width in spec_widths(picture, spec):
            for fmt in spec.formats:
                rendition_get_or_make(picture, spec=spec, width=width, fmt=fmt)
    return len(_rendition_index(picture)) - before


def _rendition_index(picture: Picture) -> dict[tuple, Rendition]:
    """The picture's renditions by key: prefetched ones (perhaps of one spec
    only, ``selectors.renditions_prefetch``), else one query."""
    index = getattr(picture, "_renditions_by_key", None)
    if index is None:
        index = picture._renditions_by_key = {
            (r.width, r.format, r.crop, r.focal): r for r in picture.renditions.all()
        }
    return index


def rendition_get_or_make(
    picture: Picture, *, spec: Spec, width: int, fmt: str
) -> Rendition:
    """The rendition of ``picture`` at this spec, width and format: known (from
    the prefetched renditions, or one query), else made now and kept.

    Safe when two processes make it at once: the unique constraint keeps one
    row, and the loser deletes its file and uses the winner's.
    """
    focal = focal_key(picture, spec)
    index = _rendition_index(picture)
    known = index.get((width, fmt, spec.crop, focal))
    if known is not None:
        return known
    with picture.file.open("rb") as original:
        content, _, height = make_rendition(
            original.read(),
            width=width,
            fmt=fmt,
            ratio=spec.ratio,
            focal=(picture.focal_x, picture.focal_y),
        )
    key = {"width": width, "format": fmt, "crop": spec.crop, "focal": focal}
    rendition = Rendition(picture=picture, height=height, size=len(content), **key)
    shape = spec.crop.replace(":", "x") or "full"
    extension = "jpg" if fmt == Rendition.Format.JPEG else fmt
    rendition.file.save(
        f"{picture.pk}/{shape}-{width}.{extension}", ContentFile(content), save=False
    )
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        rendition.file.delete(save=False)
        rendition = picture.renditions.get(**key)
    index[(width, fmt, spec.crop, focal)] = rendition
    return rendition


def picture_sources(picture: Picture, spec_name: str) -> PictureSources:
    """The srcsets and fallback of ``picture`` at a spec, making what is missing."""
    spec = SPECS[spec_name]
    widths = spec_widths(picture, spec)
    by_format: dict[str, list[Rendition]] = {fmt: [] for fmt in spec.formats}
    for width in widths:
        for fmt in spec.formats:
            by_format[fmt].append(
                rendition_get_or_make(picture, spec=spec, width=width, fmt=fmt)
            )
    largest = by_format[spec.formats[-1]][-1]
    return PictureSources(
        srcsets=[
            (_MIME[fmt], ", ".join(f"{r.file.url} {r.width}w" for r in renditions))
            for fmt, renditions in by_format.items()
        ],
        src=largest.file.url,
        thumbnail_src=by_format[spec.formats[-1]][0].file.url,
        width=largest.width,
        height=largest.height,
    )


def picture_social(picture: Picture) -> SocialImage:
    """The picture's link-preview JPEG (1200 wide, 1.91:1 around the focal point)."""
    spec = SPECS["social"]
    width = spec_widths(picture, spec)[-1]
    rendition = rendition_get_or_make(
        picture, spec=spec, width=width, fmt=Rendition.Format.JPEG
    )
    return SocialImage(
        url=absolute(rendition.file.url),
        width=rendition.width,
        height=rendition.height,
        size=rendition.size,
        alt=picture.alt_text,
    )
