"""The client address: X-Forwarded-For is believed only from the proxies listed in TRUSTED_PROXIES."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from config.clientip import client_ip

PROXY = "10.0.0.5"


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        # no proxy declared: the header is the client's own words
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        ([], "203.0.113.9", None, "203.0.113.9"),
        # from a trusted proxy: the address it appended
        ([PROXY], PROXY, "198.51.100.1", "198.51.100.1"),
        ([PROXY], PROXY, " 198.51.100.1 ", "198.51.100.1"),
        # a client's made-up entries stay to the left of what the proxy appended
        ([PROXY], PROXY, "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # a chain of trusted proxies (a network) is walked back to the first untrusted hop
        (["10.0.0.0/8"], PROXY, "198.51.100.1, 10.9.9.9", "198.51.100.1"),
        (["10.0.0.0/8", "2001:db8::/32"], "2001:db8::2", "198.51.100.1, 10.1.1.1", "198.51.100.1"),
        # the header from an untrusted address is ignored
        ([PROXY], "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # a trusted proxy without the header: itself
        ([PROXY], PROXY, None, PROXY),
        ([PROXY], PROXY, "", PROXY),
        # ports and brackets as some proxies write them; IPv4 seen through IPv6
        ([PROXY], PROXY, "198.51.100.1:5123", "198.51.100.1"),
        ([PROXY], PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        ([PROXY], "::ffff:10.0.0.5", "198.51.100.1", "198.51.100.1"),
        # garbage in the header: the last hop that could be believed
        ([PROXY], PROXY, "unknown", PROXY),
        (["10.0.0.0/8"], PROXY, "198.51.100.1, junk, 10.1.1.1", "10.1.1.1"),
    ],
)
def test_client_ip(settings, trusted, remote, forwarded, client):
    settings.TRUSTED_PROXIES = trusted

    assert client_ip(request(remote, forwarded)) == client


@pytest.mark.django_db
@override_settings(TRACKING_RATE_LIMIT="2/60", TRUSTED_PROXIES=[PROXY])
def test_clients_behind_the_proxy_are_rate_limited_one_by_one(client):
    def lookup(who: str) -> int:
        form = {"code": "X", "pin": "1"}
        answer = client.get("/tra-cuu/", form, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=who)
        return answer.status_code

    try:
        assert [lookup("198.51.100.1") for _ in range(3)][-1] == 429
        assert lookup("198.51.100.2") != 429
    finally:
        cache.delete_many([f"rate:track:198.51.100.{n}" for n in (1, 2)])
