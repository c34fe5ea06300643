import pytest

from storyline.kb import open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request):
    """An empty store on each backend: the same suite runs against SQLite and PostgreSQL."""
    if request.param == "sqlite":
        with open_store(":memory:") as s:
            yield s
        return
    url = request.getfixturevalue("pg_url")
    with open_store(url) as s:
        yield s
