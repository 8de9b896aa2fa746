"""The local VNeID provider (seeds/simulators/vneid, node's oidc-provider) run for the tests, and a citizen
signing in at it over real HTTP: the Django test client starts the sign-in, `requests` plays the browser at
the provider (its login form, its redirects), and the test client follows the callback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

SIMULATOR = Path(__file__).resolve().parent.parent / "seeds" / "simulators" / "vneid"
CLIENT_ID, CLIENT_SECRET = "motcua-test", "motcua-test-secret"
TEST_CALLBACK = "http://testserver/accounts/vneid/callback/"
DEMO_PASSWORD = "motcua2026"
# The demo citizens of seeds/simulators/vneid/citizens.js
AN = ("001090012345", "Nguyễn Văn An")
BINH = ("001185067890", "Trần Thị Bình")


@dataclass
class Provider:
    url: str
    process: subprocess.Popen

    def settings(self) -> dict:
        """The relying party's settings that point at this instance (config/settings.py's VNeID block)."""
        return {
            "VNEID_URL": self.url,
            "OIDC_OP_ISSUER": self.url,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.url}/session/end",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def installed() -> None:
    if not (SIMULATOR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=SIMULATOR, check=True)


@contextmanager
def running_provider(*, fault: str = "", redirect_uris: list[str] | None = None, post_logout=None):
    installed()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "VNEID_PORT": str(port),
        "VNEID_CLIENT_ID": CLIENT_ID,
        "VNEID_CLIENT_SECRET": CLIENT_SECRET,
        "VNEID_REDIRECT_URIS": ",".join(redirect_uris or [TEST_CALLBACK]),
        "VNEID_POST_LOGOUT_URIS": ",".join(post_logout or ["http://testserver/accounts/login/"]),
        "VNEID_FAULT": fault,
    }
    process = subprocess.Popen(
        ["node", "server.js"], cwd=SIMULATOR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"VNeID simulator exited: {process.stderr.read().decode()}")
            try:
                if requests.get(f"{url}/jwks", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("VNeID simulator did not start")
            time.sleep(0.1)
        yield Provider(url=url, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def provider_redirect(client) -> str:
    """Start the sign-in on our side; the Location of VNeID's authorization endpoint."""
    response = client.get("/accounts/vneid/")
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def log_in_at_provider(authorize_url: str, national_id: str, password: str = DEMO_PASSWORD) -> str:
    """What a browser does at VNeID: the login form, then redirects until one leaves the provider.
    Returns that last Location (our callback with code and state)."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    action = re.search(r'<form method="post" action="([^"]+/login)"', page.text)
    assert action, page.text[:1000]
    base = f"{urlsplit(authorize_url).scheme}://{urlsplit(authorize_url).netloc}"
    response = browser.post(
        base + action.group(1),
        data={"so_dinh_danh": national_id, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    return leave_provider(browser, response, base)


def leave_provider(browser: requests.Session, response: requests.Response, base: str) -> str:
    """Follow the provider's redirects until one leaves it; that Location."""
    for _ in range(10):
        if response.status_code not in (302, 303):
            raise AssertionError(f"provider answered {response.status_code}: {response.text[:500]}")
        location = response.headers["Location"]
        if location.startswith("/"):
            location = base + location
        if not location.startswith(base):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("too many redirects at the provider")


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def sign_in(client, national_id: str = AN[0]):
    """The whole sign-in over real HTTP; the response of our callback."""
    return client.get(callback_path(log_in_at_provider(provider_redirect(client), national_id)))
