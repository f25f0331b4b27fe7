"""The `lingxi` command line."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lingxi import __version__

if TYPE_CHECKING:
    from lingxi.config import Settings


def _serve(args: argparse.Namespace) -> None:
    from lingxi.config import load_settings
    from lingxi.engines.llm.brain import start_brain

    settings = load_settings(args.config, host=args.host, port=args.port, workers=args.workers)
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The embedded model's server (if it is the brain) runs beside the workers, not in them.
    settings, model_server = start_brain(settings)
    try:
        _run(settings, args)
    finally:
        if model_server is not None:
            model_server.stop()


def _run(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from lingxi.config import settings_env
    from lingxi.transport.app import create_app, tune_gc

    tls = bool(args.ssl_certfile)
    if tls != bool(args.ssl_keyfile):
        raise SystemExit("TLS needs both --ssl-certfile and --ssl-keyfile")
    web, ws = ("https", "wss") if tls else ("http", "ws")
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not settings.api_keys:
        if not args.insecure_open:
            raise SystemExit(
                f"refusing to listen on {settings.host} with no API keys: anyone who can reach "
                "it could open calls and read callers' memory. Set LINGXI_API_KEYS (`lingxi "
                "keys new` makes one), or pass --insecure-open behind a proxy that "
                "authenticates.")
        logging.getLogger("lingxi").warning(
            "listening on %s with no API keys (--insecure-open): anyone who can reach this "
            "address can open calls", settings.host)
    print(f"Lingxi {__version__} listening on {web}://{settings.host}:{settings.port}/ "
          f"(realtime: {ws}://{settings.host}:{settings.port}/v1/realtime, "
          f"{settings.workers} worker(s))", flush=True)
    options: dict[str, Any] = {
        "host": settings.host, "port": settings.port, "log_level": "warning",
        "ws_max_size": settings.max_message_bytes * 2, "ws_ping_interval": 20.0,
        "ws_per_message_deflate": settings.ws_compression}
    if tls:  # the openai npm SDK only speaks wss:, and a phone's browser needs https
        options.update(ssl_certfile=str(args.ssl_certfile), ssl_keyfile=str(args.ssl_keyfile))
    if settings.workers == 1:
        app = create_app(settings)
        tune_gc()
        uvicorn.run(app, **options)
        return
    os.environ.update(settings_env(settings))
    metrics_dir = tempfile.mkdtemp(prefix="lingxi-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    try:
        uvicorn.run("lingxi.transport.app:app_from_env", factory=True,
                    workers=settings.workers, **options)
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def _new_key(_: argparse.Namespace) -> None:
    from lingxi.transport.keys import new_key

    key, hashed = new_key()
    print(f"API key (give it to the client; it is not stored): {key}")
    print(f"Configure the server with its hash: LINGXI_API_KEYS='[\"{hashed}\"]'")


def _nginx(args: argparse.Namespace) -> None:
    from lingxi.deploy import Site, nginx_site

    try:
        print(nginx_site(Site(workers=args.worker, listen=args.listen,
                              server_name=args.server_name, certificate=args.ssl_certificate,
                              certificate_key=args.ssl_certificate_key)), end="")
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc


def _add_deploy_commands(sub: Any) -> None:
    deploy = sub.add_parser("deploy", help="run several workers behind a proxy "
                            "(docs/deploy.md)").add_subparsers(dest="deploy", required=True)
    nginx = deploy.add_parser("nginx", help="print the nginx site for these workers")
    nginx.add_argument("--worker", action="append", required=True, metavar="HOST:PORT",
                       help="a `lingxi serve` address (repeat for each worker)")
    nginx.add_argument("--listen", default="443", help="nginx's listen address (default 443)")
    nginx.add_argument("--server-name", default="_", help="the public host name")
    nginx.add_argument("--ssl-certificate", type=Path, help="TLS certificate (PEM chain)")
    nginx.add_argument("--ssl-certificate-key", type=Path, help="its private key")
    nginx.set_defaults(func=_nginx)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lingxi", description="Lingxi voice companion")
    parser.add_argument("--version", action="version", version=f"lingxi {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the call server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8765)")
    serve.add_argument("--workers", type=int,
                       help="worker processes; calls spread over them (default 1)")
    serve.add_argument("--config", type=Path, help="TOML file of settings (keys as in LINGXI_*)")
    serve.add_argument("--ssl-certfile", type=Path, help="serve https/wss with this certificate")
    serve.add_argument("--ssl-keyfile", type=Path, help="the certificate's private key")
    serve.add_argument("--insecure-open", action="store_true",
                       help="listen beyond loopback with no API keys (behind an authenticating "
                            "proxy only)")
    serve.set_defaults(func=_serve)
    keys = sub.add_parser("keys", help="API keys").add_subparsers(dest="keys", required=True)
    keys.add_parser("new", help="make an API key; prints it and the line to configure").\
        set_defaults(func=_new_key)
    _add_deploy_commands(sub)
    from lingxi.memory.cli import add_data_commands, add_report_command
    from lingxi.safety.cli import add_safety_commands

    add_report_command(add_safety_commands(sub))
    from lingxi.engines.tts.cli import add_tts_commands

    add_tts_commands(sub)
    from lingxi.engines.asr.cli import add_asr_commands

    add_asr_commands(sub)
    add_data_commands(sub)
    from lingxi.personas.cli import add_persona_commands

    add_persona_commands(sub)
    from lingxi.skills.pronounce.cli import add_pronounce_commands

    add_pronounce_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
