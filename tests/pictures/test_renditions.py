"""Renditions: made once, kept, found again without asking the database."""

import threading

import pytest
from django.db import connection

from pictures.images import crop_box
from pictures.models import Picture, Rendition
from pictures.renditions import SPECS
from pictures.services import picture_sources, picture_update, rendition_get_or_make
from tests.pictures.conftest import make_picture
from tests.pictures.images import jpeg

pytestmark = pytest.mark.django_db


def test_renditions_are_made_once_and_reused(picture, django_assert_num_queries):
    Rendition.objects.all().delete()
    first = picture_sources(picture, "lead")
    made = Rendition.objects.count()
    assert made == 8  # 480, 800, 1200, 1600 wide, each WebP and JPEG
    again = Picture.objects.prefetch_related("renditions").get(pk=picture.pk)
    with django_assert_num_queries(0):
        assert picture_sources(again, "lead") == first
    assert Rendition.objects.count() == made
    webp, jpeg = first.srcsets
    assert webp[0] == "image/webp" and webp[1].count("w, ") == 3
    assert jpeg[1].endswith(" 1600w") and first.src.endswith("full-1600.jpg")
    assert (first.width, first.height) == (1600, 960)


def test_a_picture_is_never_enlarged(admin_user):
    small = make_picture(admin_user, data=jpeg((600, 360)))
    sources = picture_sources(small, "lead")
    assert (
        sources.srcsets[1][1]
        == f"{sources.src} 480w".replace("full-600", "full-480")
        + f", {sources.src} 600w"
    )
    assert (sources.width, sources.height) == (600, 360)


def test_crops_keep_the_focal_point_in_view():
    # A 3:2 crop of a 2000 x 1000 picture is 1500 x 1000: it slides to keep x.
    assert crop_box(2000, 1000, (3, 2), (0.0, 0.5)) == (0, 0, 1500, 1000)
    assert crop_box(2000, 1000, (3, 2), (1.0, 0.5)) == (500, 0, 2000, 1000)
    assert crop_box(2000, 1000, (3, 2), (0.5, 0.5)) == (250, 0, 1750, 1000)
    # Too tall for 40:21: cut top and bottom around the point.
    assert crop_box(1000, 1000, (40, 21), (0.5, 0.1)) == (0, 0, 1000, 525)


def test_moving_the_focal_point_makes_new_crops(picture, admin_user):
    before = picture_sources(picture, "list")
    picture_update(picture_id=picture.pk, actor=admin_user, focal_x=0.1)
    moved = Picture.objects.get(pk=picture.pk)
    after = picture_sources(moved, "list")
    assert after.src != before.src
    assert set(moved.renditions.exclude(crop="").values_list("focal", flat=True)) == {
        "0.100,0.500"
    }


def test_two_makers_of_one_rendition_keep_one_row_and_one_file(picture, settings):
    spec = SPECS["inline"]
    Rendition.objects.all().delete()
    # Both loaded the picture before either made the rendition.
    late = Picture.objects.prefetch_related("renditions").get(pk=picture.pk)
    early = Picture.objects.prefetch_related("renditions").get(pk=picture.pk)
    won = rendition_get_or_make(early, spec=spec, width=480, fmt="webp")
    lost = rendition_get_or_make(late, spec=spec, width=480, fmt="webp")
    assert lost.pk == won.pk and Rendition.objects.count() == 1
    files = list((settings.MEDIA_ROOT / "pictures" / "renditions").rglob("*"))
    assert [f.name for f in files if f.is_file()] == [won.file.name.split("/")[-1]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_makers_on_postgresql_make_one_rendition(admin_user):
    picture = make_picture(admin_user)
    Rendition.objects.all().delete()
    spec, results, errors = SPECS["lead"], [], []

    def make():
        try:
            fresh = Picture.objects.prefetch_related("renditions").get(pk=picture.pk)
            results.append(
                rendition_get_or_make(fresh, spec=spec, width=800, fmt="jpeg").pk
            )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1 and Rendition.objects.count() == 1
