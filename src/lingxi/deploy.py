"""Several `lingxi serve` workers behind nginx: the site configuration, written by
`lingxi deploy nginx` (docs/deploy.md explains each choice).

What the configuration holds to:
- No sticky sessions: a call lives on its one WebSocket, so the proxy may send each new
  connection anywhere; everything that outlives a call is in the shared database.
- WebSocket upgrades pass through, with hour-long read timeouts (a call can be quiet a while;
  the server pings every 20 s) and no buffering (audio must not wait in the proxy).
- A worker that refuses connections is skipped (`proxy_next_upstream`) and left alone a
  while: new calls go to the others. Calls live on a worker that dies end with it.
- Host is passed as the client sent it (the workers check it against LINGXI_ALLOWED_HOSTS,
  and the page's Origin against it); X-Forwarded-For is set, never appended, so a client
  cannot claim an address (the workers' uvicorn trusts it from the proxy's address only).
- `/metrics` is not served through the proxy: scrape each worker directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Site:
    workers: Sequence[str]  # host:port of each `lingxi serve`
    listen: str = "443"  # nginx's listen argument: a port, or address:port
    server_name: str = "_"
    certificate: Path | None = None  # TLS; None: plain HTTP (only behind another TLS proxy)
    certificate_key: Path | None = None
    max_body: str = "1m"  # the JSON routes' requests; calls are WebSocket frames


def nginx_site(site: Site) -> str:
    """The `http {}`-level blocks: put them in /etc/nginx/conf.d/lingxi.conf."""
    if not site.workers:
        raise ValueError("at least one worker address is needed")
    if (site.certificate is None) != (site.certificate_key is None):
        raise ValueError("TLS needs both a certificate and its key")
    servers = "\n".join(f"    server {w} max_fails=1 fail_timeout=10s;" for w in site.workers)
    tls = ""
    listen = f"listen {site.listen};"
    if site.certificate is not None:
        listen = f"listen {site.listen} ssl;"
        tls = (f"    ssl_certificate {site.certificate};\n"
               f"    ssl_certificate_key {site.certificate_key};\n"
               "    ssl_protocols TLSv1.2 TLSv1.3;\n")
    return f"""\
# Lingxi call workers (written by `lingxi deploy nginx`). No sticky sessions: any worker
# takes any new call; callers' memory lives in the shared database.
upstream lingxi_workers {{
    least_conn;  # calls last minutes: balance the live ones, not the requests
{servers}
}}

map $http_upgrade $lingxi_connection {{
    default upgrade;
    ''      close;
}}

server {{
    {listen}
    server_name {site.server_name};
{tls}    client_max_body_size {site.max_body};

    location / {{
        proxy_pass http://lingxi_workers;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $lingxi_connection;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_connect_timeout 2s;
        proxy_read_timeout 1h;
        proxy_send_timeout 1h;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 3;
    }}

    # Risk counts are not for the internet: scrape each worker's /metrics directly.
    location = /metrics {{
        return 404;
    }}
}}
"""
