"""The browser kiosk: `trialmatch serve` on localhost, a page that loads nothing from the internet,
and the app itself arriving over the websocket as a browser would receive it."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from matcher.verdicts import Matcher
from questionnaires.session import Session
from trials.loader import load_catalogue
from tui.cli import main
from tui.serve import ServeError, make_server, offline_page

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_page_drops_anything_fetched_from_the_internet() -> None:
    page = '<head>\n<link rel="stylesheet" href="/static/x.css" />\n<link\n rel="stylesheet"\n href="https://fonts.example/css?f=a"\n/>\n</head>'
    assert offline_page(page) == '<head>\n<link rel="stylesheet" href="/static/x.css" />\n</head>'


def test_serving_beyond_this_machine_is_refused() -> None:
    with pytest.raises(ServeError, match="only listens on this machine"):
        make_server(["--mode", "kiosk"], host="0.0.0.0")


def test_a_kiosk_in_the_browser_needs_the_staff_pin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TRIALMATCH_PIN", raising=False)
    assert main(["serve", "--port", "1"]) == 2
    assert "needs a staff PIN" in capsys.readouterr().err


def test_the_app_is_served_to_a_browser_on_localhost() -> None:
    aiohttp = pytest.importorskip("aiohttp")
    port = free_port()
    env = {**os.environ, "TRIALMATCH_PIN": "2468"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "--no-cache", "--idle-seconds", "60", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = ""
        for _ in range(200):
            try:
                page = urllib.request.urlopen(f"http://localhost:{port}/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert f"ws://localhost:{port}/ws" in page
        rebinding = urllib.request.Request(f"http://localhost:{port}/", headers={"Host": "rebind.evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(rebinding, timeout=5)
        assert refused.value.code == 403  # a DNS-rebinding page gets nothing

        async def foreign_origin() -> int:
            async with aiohttp.ClientSession() as client:
                try:
                    await client.ws_connect(f"ws://localhost:{port}/ws", origin="http://evil.example")
                except aiohttp.WSServerHandshakeError as exc:
                    return exc.status
            return 101

        assert asyncio.run(foreign_origin()) == 403  # another site's page cannot start a kiosk session
        remote = [u for u in re.findall(r"https?://[^\s\"')]+", page) if not u.startswith(f"http://localhost:{port}/")]
        assert all(u.startswith("http://www.w3.org/") for u in remote), remote  # SVG namespaces are not fetched

        question = Session(Matcher(load_catalogue()), "patient").question
        assert question is not None
        first = " ".join(question.patient.text.split()[:3])  # the start of the first question, before any wrap

        async def screen() -> str:
            received = b""
            async with aiohttp.ClientSession() as client:
                async with client.ws_connect(f"ws://localhost:{port}/ws?width=80&height=24") as socket_:

                    async def until(text: str) -> None:
                        nonlocal received
                        deadline = time.monotonic() + 30
                        while time.monotonic() < deadline and text.encode() not in received:
                            try:
                                message = await asyncio.wait_for(socket_.receive(), timeout=1)
                            except TimeoutError:
                                continue
                            if message.type == aiohttp.WSMsgType.BINARY:
                                received += message.data
                            elif message.type == aiohttp.WSMsgType.TEXT:
                                received += message.data.encode()
                            else:
                                return

                    await socket_.send_json(["resize", {"width": 80, "height": 24}])
                    await until("Choose your language")  # the first screen: the language step
                    received = b""
                    await socket_.send_json(["stdin", "1"])  # English
                    await until("Which country")  # then the country
                    received = b""
                    await socket_.send_json(["stdin", "2"])  # a key, as the browser's terminal sends it
                    await until(first)
            return received.decode(errors="ignore")

        drawn = asyncio.run(screen())
        assert first in drawn and "I don't know" in drawn  # the first question, and "I don't know" under it
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode(errors="ignore")
    assert "-m tui --mode kiosk" in " ".join(output.split())  # each browser connection runs the app in kiosk mode
    assert "2468" not in output  # the PIN travels in the environment, never on a command line
