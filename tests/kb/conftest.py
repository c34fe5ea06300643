import pytest

from storyline.kb import open_store


@pytest.fixture
def store():
    with open_store(":memory:") as s:
        yield s
