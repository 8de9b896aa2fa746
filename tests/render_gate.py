"""Test aid for a live worker: rendering an e-result holds, after the render and with the row lock taken,
until the file named by RENDER_GATE exists, so a test can kill the worker mid-issuance at a known point.

Loaded by tests/settings_render_gate.py (the worker's DJANGO_SETTINGS_MODULE); the product has no such hook.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from celery.signals import task_prerun

logger = logging.getLogger(__name__)


@task_prerun.connect
def _gate_rendering(sender=None, **kwargs):
    from dossiers.documents import issuing

    if getattr(issuing.render_signed_result, "gated", False):
        return
    render, gate = issuing.render_signed_result, Path(os.environ["RENDER_GATE"])

    def gated(dossier, *args):
        rendered = render(dossier, *args)
        logger.warning("render gate: holding the result of %s", dossier.code)
        while not gate.exists():
            time.sleep(0.05)
        return rendered

    gated.gated = True
    issuing.render_signed_result = gated
