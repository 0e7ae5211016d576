"""The demo newsroom's pictures, drawn with Pillow when the demo loads: a
schematic map of the seed story's launches and a timeline of the week's
weapons displays. Made here, so they are free to use; PNG files of flat
colours, some 30 to 60 KB each.
"""

import io
from collections.abc import Iterable

from PIL import Image, ImageDraw, ImageFont

SEA = "#cfe3f0"
LAND = "#f3efe6"
COAST = "#8c9aa6"
INK = "#1d2b36"
TRACK = "#c0392b"

# The region drawn: longitude 120 to 146 E, latitude 30 to 46 N, on a plain
# equirectangular grid (schematic: good enough to see where the missiles flew).
WEST, EAST, SOUTH, NORTH = 120.0, 146.0, 30.0, 46.0
MAP_SIZE = (1600, 1000)

_MAINLAND = [
    (120, 46), (138.5, 46), (137.3, 45.2), (135.5, 43.9), (133.2, 42.8),
    (131.9, 43.0), (130.7, 42.3), (129.8, 41.5), (129.7, 40.8), (128.6, 40.0),
    (127.5, 39.3), (128.4, 38.6), (129.4, 37.1), (129.5, 36.0), (129.3, 35.3),
    (128.6, 34.9), (127.5, 34.6), (126.3, 34.6), (126.5, 35.5), (126.2, 36.8),
    (126.6, 37.5), (125.5, 37.7), (124.7, 38.1), (125.1, 39.6), (124.3, 40.0),
    (122.2, 40.5), (121.2, 38.8), (120.0, 39.6),
]  # fmt: skip
_SHANDONG = [
    (120, 37.7), (122.6, 37.3), (121.0, 36.5), (120.3, 36.0), (120.0, 35.2),
]  # fmt: skip
_CHINA_SOUTH = [(120, 34.4), (120.9, 32.6), (121.9, 31.0), (121.5, 30.0), (120, 30)]
_HONSHU = [
    (130.9, 34.0), (132.5, 35.4), (133.3, 35.6), (135.2, 35.7), (136.0, 36.0),
    (136.8, 37.3), (137.3, 37.5), (138.5, 37.8), (139.5, 38.5), (139.9, 40.0),
    (140.0, 40.8), (141.2, 41.3), (141.5, 40.5), (142.0, 39.5), (141.0, 38.3),
    (140.9, 37.0), (140.6, 36.3), (140.9, 35.7), (139.8, 35.0), (138.8, 34.6),
    (137.0, 34.6), (136.8, 34.3), (135.8, 33.5), (135.1, 34.3), (133.0, 34.3),
    (131.9, 33.9),
]  # fmt: skip
_KYUSHU = [
    (129.8, 33.3), (130.4, 33.9), (131.0, 33.9), (131.7, 33.2), (131.4, 31.4),
    (130.6, 31.1), (130.2, 31.9), (129.8, 32.7),
]  # fmt: skip
_SHIKOKU = [(132.5, 33.0), (133.0, 34.0), (134.6, 34.2), (134.7, 33.8), (133.0, 32.8)]
_HOKKAIDO = [
    (140.0, 41.5), (140.3, 42.7), (141.4, 43.2), (141.7, 45.4), (142.9, 44.7),
    (144.3, 44.0), (145.3, 43.3), (143.3, 42.0), (141.0, 41.8),
]  # fmt: skip
_CITIES = [
    ("Pyongyang", 125.75, 39.03),
    ("Seoul", 126.98, 37.57),
    ("Tokyo", 139.7, 35.7),
]
_LABELS = [
    ("CHINA", 122.0, 43.5), ("RUSSIA", 134.0, 45.3), ("NORTH KOREA", 127.0, 39.9),
    ("SOUTH KOREA", 127.4, 36.4), ("JAPAN", 137.6, 36.4),
    ("Sea of Japan (East Sea)", 131.8, 40.0), ("Yellow Sea", 122.3, 35.6),
]  # fmt: skip


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _xy(lon: float, lat: float) -> tuple[float, float]:
    width, height = MAP_SIZE
    return (
        (lon - WEST) / (EAST - WEST) * width,
        (NORTH - lat) / (NORTH - SOUTH) * height,
    )


def _bezier(points: list[tuple[float, float]], steps: int = 60) -> Iterable:
    (x0, y0), (x1, y1), (x2, y2) = points
    for i in range(steps + 1):
        t = i / steps
        yield (
            (1 - t) ** 2 * x0 + 2 * (1 - t) * t * x1 + t**2 * x2,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * y1 + t**2 * y2,
        )


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()


def launch_map() -> bytes:
    """Where the missiles of 4 January 2026 flew, schematically."""
    image = Image.new("RGB", MAP_SIZE, SEA)
    draw = ImageDraw.Draw(image)
    for shape in (_MAINLAND, _SHANDONG, _CHINA_SOUTH, _HONSHU, _KYUSHU, _SHIKOKU):
        draw.polygon([_xy(*p) for p in shape], fill=LAND, outline=COAST, width=3)
    draw.polygon([_xy(*p) for p in _HOKKAIDO], fill=LAND, outline=COAST, width=3)
    for name, lon, lat in _LABELS:
        draw.text(_xy(lon, lat), name, fill="#5b6b78", font=_font(30))
    for name, lon, lat in _CITIES:
        x, y = _xy(lon, lat)
        draw.ellipse((x - 8, y - 8, x + 8, y + 8), fill=INK)
        draw.text((x + 12, y + 4), name, fill=INK, font=_font(26))
    start, end = _xy(125.9, 39.2), _xy(136.3, 40.4)
    control = ((start[0] + end[0]) / 2, start[1] - 260)
    track = list(_bezier([start, control, end]))
    for i in range(0, len(track) - 1, 2):  # dashed
        draw.line([track[i], track[i + 1]], fill=TRACK, width=7)
    x, y = end
    draw.line((x - 16, y - 16, x + 16, y + 16), fill=TRACK, width=7)
    draw.line((x - 16, y + 16, x + 16, y - 16), fill=TRACK, width=7)
    draw.text(
        (control[0] - 120, control[1] + 60), "about 900 km", fill=TRACK, font=_font(36)
    )
    draw.rectangle((0, 0, MAP_SIZE[0], 84), fill="white")
    draw.text(
        (28, 20),
        "North Korean ballistic missile launches, 4 January 2026",
        fill=INK,
        font=_font(40),
    )
    draw.text(
        (28, MAP_SIZE[1] - 44),
        "Schematic, not to scale. Distance as stated by South Korea's Joint Chiefs "
        "of Staff.",
        fill=INK,
        font=_font(24),
    )
    return _png(image)


_EVENTS = [
    (0, "25 Dec", "Photos of a nuclear-powered", "submarine under construction"),
    (3, "28 Dec", "Long-range strategic cruise", "missiles test-fired"),
    (9, "3 Jan", "Kim visits a weapons factory", "(reported by KCNA)"),
    (10, "4 Jan", "Ballistic missiles launched", "toward the sea"),
]


def weapons_timeline() -> bytes:
    """The week of weapons displays the story recounts, on a time line."""
    size = (1600, 640)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 28), "A week of weapons displays", fill=INK, font=_font(44))
    left, right, axis = 120, 1480, 330
    draw.line((left, axis, right, axis), fill=INK, width=4)
    day_width = (right - left) / 10
    for day in range(11):
        x = left + day * day_width
        draw.line((x, axis - 10, x, axis + 10), fill=INK, width=2)
    for place, (day, date, first, second) in enumerate(_EVENTS):
        x = left + day * day_width
        up = place % 2 == 0
        y = axis - 120 if up else axis + 120
        draw.line((x, axis, x, y), fill=TRACK, width=4)
        draw.ellipse((x - 14, axis - 14, x + 14, axis + 14), fill=TRACK)
        anchor_x = min(max(x, left + 150), right - 150)
        top = y - 110 if up else y + 10
        draw.text((anchor_x, top), date, fill=TRACK, font=_font(34), anchor="ma")
        for line, text in enumerate((first, second)):
            draw.text(
                (anchor_x, top + 44 + line * 32),
                text,
                fill=INK,
                font=_font(26),
                anchor="ma",
            )
    draw.text(
        (40, size[1] - 48),
        "25 December 2025 to 4 January 2026, as reported in the story.",
        fill="#5b6b78",
        font=_font(24),
    )
    return _png(image)
