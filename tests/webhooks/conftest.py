# The reader's demo newsroom and its published seed story, page cache off.
from tests.reader.conftest import _no_page_cache, demo, published  # noqa: F401
