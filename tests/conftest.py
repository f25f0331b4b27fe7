"""Keep test runs out of the user's real data folder (the memory database, audit logs)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_data_home = tempfile.mkdtemp(prefix="lingxi-test-data-")
os.environ["XDG_DATA_HOME"] = _data_home
atexit.register(shutil.rmtree, _data_home, ignore_errors=True)
