"""The app in a browser on this machine, for kiosks that run a browser rather than a terminal.

``trialmatch serve`` runs textual-serve (the optional ``serve`` extra): every browser tab that
opens the page gets its own app process, in kiosk mode unless told otherwise. Two things differ
from plain textual-serve:

- it only listens on this machine (loopback): textual-serve has no login, so anyone who could
  reach the port could use the app;
- the page loads nothing from the internet: textual-serve's page asks Google Fonts for a font,
  which is dropped here, so the kiosk works offline and tells no one it is in use;
- every request (the page, the websocket that starts an app) must name this machine in its
  ``Host`` header and, when a browser sends one, in its ``Origin``: a web page from elsewhere open
  in a browser on the kiosk (or a DNS-rebinding page) cannot start or drive sessions (403).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Any

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
# Any stylesheet, script or font the page would fetch from another host.
_REMOTE_LINK = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*/?>\s*", re.IGNORECASE)


class ServeError(Exception):
    """Serving cannot start (missing extra, a host other than this machine)."""


def offline_page(template: str) -> str:
    """textual-serve's page without anything fetched from the internet."""
    return _REMOTE_LINK.sub("", template)


def foreign_request(host: str | None, origin: str | None, port: int) -> str | None:
    """Why a request does not come from a page of this server on this machine, if it does not."""
    if not host or not _is_here(host, port):
        return f"Host {host!r} is not this machine"
    if origin is not None:
        scheme, _, rest = origin.partition("://")
        if scheme not in ("http", "https") or not _is_here(rest.rstrip("/"), port):
            return f"Origin {origin!r} is not a page of this server"
    return None


def _is_here(authority: str, port: int) -> bool:
    """'localhost:8000', '127.0.0.1:8000' or '[::1]:8000' for this port."""
    if authority.startswith("["):
        name, _, rest = authority[1:].partition("]")
        given = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, given = authority.partition(":")
    return name.lower() in LOOPBACK and given in ("", str(port)) and (given != "" or port == 80)


def app_command(args: list[str]) -> str:
    """The shell command each browser connection runs: this Python, the app, the given options."""
    return shlex.join([sys.executable, "-m", "tui", *args])


def make_server(app_args: list[str], host: str = "localhost", port: int = 8000) -> Any:
    """A textual-serve server for the app, serving an offline page, on this machine only."""
    if host not in LOOPBACK:
        raise ServeError(
            f"--host {host!r}: the browser app only listens on this machine ({', '.join(sorted(LOOPBACK))}); "
            "textual-serve has no login, so it must not be reachable from the network"
        )
    try:
        import aiohttp_jinja2
        import jinja2
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError as exc:
        raise ServeError(
            f"serving in a browser needs the optional 'serve' extra: pip install -e '.[serve]' (missing: {exc.name})"
        ) from exc

    class OfflineServer(Server):
        async def _make_app(self) -> Any:
            app = await super()._make_app()
            templates = Path(self.templates_path)

            def load(name: str) -> str | None:
                path = templates / name
                return offline_page(path.read_text(encoding="utf-8")) if path.is_file() else None

            aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(load))

            @web.middleware
            async def this_machine_only(request: Any, handler: Any) -> Any:
                problem = foreign_request(request.headers.get("Host"), request.headers.get("Origin"), port)
                if problem:
                    return web.Response(status=403, text=f"Refused: {problem}.")
                return await handler(request)

            app.middlewares.append(this_machine_only)
            return app

    return OfflineServer(app_command(app_args), host=host, port=port, title="Trial Matcher")
