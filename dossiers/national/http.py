"""JSON over HTTP to a national platform, with a timeout and the link's health recorded (national.links)."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings

from dossiers.national.links import LinkError, guard


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict


def call(
    link: str,
    method: str,
    url: str,
    *,
    json: dict | None = None,
    params: dict | None = None,
    headers: dict | None = None,
    timeout: float | None = None,
) -> Answer:
    """One request. A connection error, a timeout, a 5xx or a body that is not a JSON object is a LinkError
    (and a failure of the link); any other answer, 4xx included, is returned for the adapter to read."""
    timeout = float(settings.NATIONAL_TIMEOUT if timeout is None else timeout)
    with guard(link):
        try:
            response = requests.request(
                method, url, json=json, params=params, headers=headers, timeout=(min(timeout, 3.0), timeout)
            )
        except requests.RequestException as exc:
            raise LinkError(link, f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500:
            raise LinkError(link, f"HTTP {response.status_code}: {response.text[:300]}")
        try:
            body = response.json()
        except ValueError as exc:
            raise LinkError(link, f"HTTP {response.status_code}: not JSON") from exc
        if not isinstance(body, dict):
            raise LinkError(link, f"HTTP {response.status_code}: not a JSON object")
    return Answer(response.status_code, body)
