"""Business metrics in CloudWatch's Embedded Metric Format (EMF): which log lines count, and the
``_aws`` block that turns such a line into a data point.

A line of an event named in ``METRICS`` (``log.emit`` asks ``embedded``) also carries its metric's
value (1: a line is one occurrence), its dimensions and the ``_aws`` block naming them, so one JSON
line is both the log entry and the data point: no PutMetricData call, no client, nothing to flush at
the end of an invocation. CloudWatch Logs extracts the metric from Lambda's log groups; anywhere else
the block is inert JSON.

Dimensions stay few and bounded (the stage, a channel, a webhook's sender): each distinct set of
values is one metric, billed per month, so a business's id is never one (it stays a plain field of
the line, for Logs Insights). A metric with a breakdown is published twice, by Stage alone (what the
alarms read) and by Stage and its breakdown (what the dashboard shows).

Powertools' Metrics would do this too, at an import cost the cold-start budget has no room for:
``bench/metrics_import.py``.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from chalicelib.core.settings import settings

NAMESPACE = "Booking"

# The webhook routes (as the request line names them) and who sends to each.
WEBHOOKS: Mapping[str, str] = MappingProxyType({
    "/billing/webhook": "stripe",
    "/notifications/whatsapp/webhook": "whatsapp",
})

# A line's dimensions beside Stage; None: this line is not a data point.
Dimensions = Callable[[Mapping[str, Any]], Mapping[str, str] | None]


@dataclass(frozen=True)
class Metric:
    name: str
    dimensions: Dimensions
    unit: str = "Count"


def _fixed(**dimensions: str) -> Dimensions:
    return lambda line: dimensions


def _channel(line: Mapping[str, Any]) -> Mapping[str, str]:
    return {"Channel": str(line["channel"])}


def _webhook_refused(line: Mapping[str, Any]) -> Mapping[str, str] | None:
    """A request line counts when a webhook's sender got an error back (a bad signature, a body we
    could not read, our own failure): the provider retries or gives up, and either way a payment or a
    delivery status may be missing."""
    sender, status = WEBHOOKS.get(line.get("route") or ""), line.get("status")
    return {"Webhook": sender} if sender and isinstance(status, int) and status >= 400 else None


METRICS: Mapping[str, Metric] = MappingProxyType({
    # Committed bookings: online, by staff, each occurrence of a series (chalicelib/appointments/service.py).
    "appointment.booked": Metric("BookingsMade", _fixed()),
    # Messages a provider took (the local twins' ``*.written`` lines are not sends).
    "mail.sent": Metric("MessagesSent", _fixed(Channel="email")),
    "whatsapp.sent": Metric("MessagesSent", _fixed(Channel="whatsapp")),
    # A message that did not go, or may not have, for good: a send SQS retries logs message.retrying
    # instead (chalicelib/notifications/worker.py).
    "message.failed": Metric("MessagesFailed", _channel),
    # An event the pipeline gave up on after the queue's retries. The DLQ itself is emptied into the
    # dead_letters table every minute, so its depth alone would rarely show one.
    "notification.dead": Metric("NotificationsDead", _fixed()),
    "request": Metric("WebhookFailures", _webhook_refused),
})


def embedded(line: Mapping[str, Any]) -> dict[str, Any]:
    """What the log line ``line`` (its ``event`` and fields) adds to be an EMF data point: the
    metric's value, the dimensions' values and the ``_aws`` block; empty for any other line."""
    metric = METRICS.get(line.get("event") or "")
    extra = metric.dimensions(line) if metric is not None else None
    if metric is None or extra is None:
        return {}
    dimensions = {"Stage": settings().stage, **extra}
    sets = [["Stage"], ["Stage", *extra]] if extra else [["Stage"]]
    return {
        **dimensions,
        metric.name: 1,
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [{"Namespace": NAMESPACE, "Dimensions": sets,
                                   "Metrics": [{"Name": metric.name, "Unit": metric.unit}]}],
        },
    }
