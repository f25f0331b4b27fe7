"""The `lingxi` command line."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from lingxi import __version__


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from lingxi.config import load_settings
    from lingxi.transport.app import create_app

    settings = load_settings(args.config, host=args.host, port=args.port)
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    print(f"Lingxi {__version__} listening on http://{settings.host}:{settings.port}/ "
          f"(realtime: ws://{settings.host}:{settings.port}/v1/realtime)", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                ws_max_size=settings.max_message_bytes * 2, ws_ping_interval=20.0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lingxi", description="Lingxi voice companion")
    parser.add_argument("--version", action="version", version=f"lingxi {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the call server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8765)")
    serve.add_argument("--config", type=Path, help="TOML file of settings (keys as in LINGXI_*)")
    serve.set_defaults(func=_serve)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
