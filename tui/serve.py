"""The app in a browser on this machine, for kiosks that run a browser rather than a terminal.

``trialmatch serve`` runs textual-serve (the optional ``serve`` extra): every browser tab that
opens the page gets its own app process, in kiosk mode unless told otherwise. Two things differ
from plain textual-serve:

- it only listens on this machine (loopback): textual-serve has no login, so anyone who could
  reach the port could use the app;
- the page loads nothing from the internet: textual-serve's page asks Google Fonts for a font,
  which is dropped here, so the kiosk works offline and tells no one it is in use.
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
            return app

    return OfflineServer(app_command(app_args), host=host, port=port, title="Trial Matcher")
