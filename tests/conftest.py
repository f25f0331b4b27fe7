"""Keep test runs out of the user's real data folder (the memory database, audit logs), and
use the fake engine set unless a test asks for the real models (they take seconds to load)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_data_home = tempfile.mkdtemp(prefix="lingxi-test-data-")
os.environ["XDG_DATA_HOME"] = _data_home
atexit.register(shutil.rmtree, _data_home, ignore_errors=True)
os.environ.setdefault("LINGXI_ENGINES", "fake")

# One throwaway PostgreSQL server for the whole session, for any test that asks for it.
from tests.postgres import postgres_server  # noqa: E402, F401
