"""Delivery backends: email through Django's email backend, SMS/Zalo through a pluggable adapter."""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend:
    """The adapter interface: a gateway (SMS, Zalo OA) implements send() and raises on failure."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsBackend(SmsBackend):
    """Development default: writes the message to the log instead of a gateway."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


@lru_cache(maxsize=4)
def _sms_backend(path: str) -> SmsBackend:
    return import_string(path)()


def sms_backend() -> SmsBackend:
    """The configured adapter (settings.SMS_BACKEND, read at call time)."""
    return _sms_backend(settings.SMS_BACKEND)


def send_email(recipient: str, subject: str, body: str, connection=None) -> None:
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], connection=connection).send()


def send_sms(recipient: str, body: str) -> None:
    sms_backend().send(recipient, body)
