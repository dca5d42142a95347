"""``catalog-tools serve``: the local web app for stewards who do not use a terminal."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click

from . import cli
from .common import CliError

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, kw_only=True)
class ServeArgs:
    host: str = "127.0.0.1"
    port: int = 8080
    max_upload_mb: float = 20
    allowed_hosts: tuple[str, ...] = ()
    workers: int = 1


def execute(args: ServeArgs) -> int:
    """Run the web app until it is stopped."""
    try:
        import uvicorn
    except ModuleNotFoundError:
        raise CliError("the web app needs uvicorn and starlette: pip install catalog-tools") from None
    import os

    host, port = args.host, args.port
    _check_free(host, port)
    os.environ["CATALOG_TOOLS_WEB_MAX_MB"] = str(args.max_upload_mb)
    hosts = list(args.allowed_hosts) or (["127.0.0.1", "localhost", "[::1]"] if host in _LOOPBACK
                                         else [host, "127.0.0.1", "localhost"])
    os.environ["CATALOG_TOOLS_WEB_HOSTS"] = ",".join(hosts)
    if host not in _LOOPBACK:
        click.echo(f"คำเตือน: เปิดให้เครื่องอื่นเข้าถึงได้ที่ {host} / warning: listening on {host}, reachable from other machines",
                   err=True)
    click.echo(f"เปิดเบราว์เซอร์ที่ / open http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/  (Ctrl+C หยุด / to stop)",
               err=True)
    try:
        uvicorn.run("catalog_tools.web:app_from_env", factory=True, host=host, port=port, workers=args.workers,
                    log_level="warning", access_log=False, server_header=False)
    except OSError as exc:
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc} / เปิดพอร์ตไม่ได้") from None
    return 0


@cli.command("serve", short_help="Open the web app: check, fix and score files in a browser (127.0.0.1 by default).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep 127.0.0.1 unless a reverse proxy in front handles access (docs/web.md).")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--max-upload-mb", type=click.FloatRange(0.1, 512), default=20, show_default=True,
              help="Largest upload accepted, in MiB.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Host name the app answers to behind a proxy (repeatable; default: this machine's loopback names).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (for a team; results are shared through CATALOG_TOOLS_WEB_STATE).")
def serve_cmd(**parsed: Any) -> None:
    """Run the web app: upload a workbook, see the report, download the annotated and fixed copies,
    a blank template, the KPI score, or audit a CKAN catalog (token from CKAN_API_TOKEN on this machine).

    Files are processed on this machine only; nothing is sent anywhere unless a CKAN audit is asked for.
    """
    raise SystemExit(execute(ServeArgs(**parsed)))


def _check_free(host: str, port: int) -> None:
    """A clear one-line error (exit 2) when the address is taken, before uvicorn starts."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc} / เปิดพอร์ต {port} ไม่ได้") from None
