"""`lingxi deploy nginx`: the site it prints names every worker and refuses half a TLS setup
(the site itself is run by Debian's nginx in tests/deploy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.cli import main


def test_the_site_names_every_worker_and_serves_tls(capsys: pytest.CaptureFixture[str]) -> None:
    main(["deploy", "nginx", "--worker", "10.0.0.5:8765", "--worker", "10.0.0.6:8765",
          "--server-name", "lingxi.example.com", "--ssl-certificate", "/etc/ssl/l.pem",
          "--ssl-certificate-key", "/etc/ssl/l.key"])
    site = capsys.readouterr().out
    assert "server 10.0.0.5:8765 " in site and "server 10.0.0.6:8765 " in site
    assert "listen 443 ssl;" in site and "ssl_certificate /etc/ssl/l.pem;" in site
    assert "ip_hash" not in site and "hash $" not in site  # any worker takes any call


@pytest.mark.parametrize("extra", [["--ssl-certificate", str(Path("/etc/ssl/l.pem"))],
                                   ["--ssl-certificate-key", "/etc/ssl/l.key"]])
def test_half_a_tls_setup_is_refused(extra: list[str]) -> None:
    with pytest.raises(SystemExit, match="both a certificate and its key"):
        main(["deploy", "nginx", "--worker", "127.0.0.1:8765", *extra])
