"""The desk's agency feeds page: what each feed brought and what went wrong."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from ingest.selectors import feeds_overview


@staff_member_required
def feeds(request):
    return render(request, "ingest/feeds.html", {"feeds": feeds_overview()})
