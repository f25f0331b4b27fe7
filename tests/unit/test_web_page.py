"""The call page's files are served, and every module the page imports exists."""

from __future__ import annotations

import re

from lingxi.config import Settings
from lingxi.transport.app import create_app
from tests.harness import local_client

_IMPORT = re.compile(r"""(?:from\s+|import\s*\(\s*)["'](\./[^"']+)["']""")
_WORKLET = re.compile(r"""new URL\(["']([^"']+\.js)["']""")


def test_the_page_and_every_module_it_loads_are_served() -> None:
    with local_client(create_app(Settings(duties=False))) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert 'type="module" src="static/app.js"' in page.text
        assert client.get("/static/style.css").status_code == 200
        pending, seen = ["app.js"], set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            res = client.get(f"/static/{name}")
            assert res.status_code == 200, name
            # Browsers refuse ES modules and worklets served as anything but JavaScript.
            assert "javascript" in res.headers["content-type"], (name, res.headers)
            pending += [m.removeprefix("./") for m in _IMPORT.findall(res.text)]
            pending += _WORKLET.findall(res.text)
        assert {"worklets/capture.js", "worklets/playback.js", "call.js"} <= seen
        assert client.get("/static/nothing.js").status_code == 404
