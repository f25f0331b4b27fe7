"""The memory tests' databases (SQLite per test, PostgreSQL per session), for mood tests."""

from tests.memory.conftest import (  # noqa: F401 - fixtures, found by pytest by name
    db_url,
    memory,
    sqlite_memory,
)
