"""The shapes pages ask pictures in, and the ``srcset`` made from them.

A page names a spec ("lead", "inline", "list", "social"); each spec says which
widths to offer and whether to crop (around the picture's focal point). Every
width comes as WebP with a JPEG fallback, except "social", which is one JPEG
(what Open Graph, JSON-LD and feed readers expect).
"""

from dataclasses import dataclass

from django.conf import settings

from pictures.images import crop_box
from pictures.models import Picture, Rendition


@dataclass(frozen=True)
class Spec:
    crop: str  # "" keeps the original's shape, else "W:H"
    widths: tuple[int, ...]
    formats: tuple[str, ...] = (Rendition.Format.WEBP, Rendition.Format.JPEG)

    @property
    def ratio(self) -> tuple[int, int] | None:
        if not self.crop:
            return None
        w, h = self.crop.split(":")
        return int(w), int(h)


SPECS = {
    "lead": Spec("", (480, 800, 1200, 1600)),
    "inline": Spec("", (480, 800, 1200)),
    "list": Spec("3:2", (240, 480, 720)),
    "social": Spec("40:21", (1200,), (Rendition.Format.JPEG,)),
}


def focal_of(picture: Picture) -> str:
    """The focal point as crops record it: "0.500,0.400"."""
    return f"{picture.focal_x:.3f},{picture.focal_y:.3f}"


def focal_key(picture: Picture, spec: Spec) -> str:
    """The focal point as part of a crop's key; "" when nothing is cropped."""
    return focal_of(picture) if spec.crop else ""


def spec_widths(picture: Picture, spec: Spec) -> list[int]:
    """The spec's widths this picture can give without enlarging it."""
    source_width = picture.width
    if spec.ratio:
        focal = (picture.focal_x, picture.focal_y)
        left, _, right, _ = crop_box(picture.width, picture.height, spec.ratio, focal)
        source_width = right - left
    widths = [w for w in spec.widths if w < source_width]
    if len(widths) < len(spec.widths):
        widths.append(min(source_width, spec.widths[-1]))
    return widths


@dataclass(frozen=True)
class PictureSources:
    """What a ``<picture>`` element needs."""

    srcsets: list[tuple[str, str]]  # (MIME type, srcset), best format first
    src: str  # the fallback: the largest JPEG
    thumbnail_src: str  # the smallest JPEG
    width: int
    height: int

    @property
    def fallback_srcset(self) -> str:
        return self.srcsets[-1][1]


@dataclass(frozen=True)
class SocialImage:
    """One JPEG for link previews, JSON-LD and feeds, at an absolute address."""

    url: str
    width: int
    height: int
    size: int  # bytes
    alt: str


def absolute(url: str) -> str:
    """A storage URL as the world reaches it (local files are site-relative)."""
    return url if "://" in url else settings.SITE_URL + url
