"""The notifications queue (SQS FIFO) between the outbox and ``notification_worker``, and its DLQ.

Its two numbers come from the worker's own code, ``chalicelib.events.outbox``, never from here: the
visibility timeout (six times the worker's Lambda timeout, which the App stack takes from the same
module) and the receives before a message is dead (``MAX_ATTEMPTS``, the local stage's retries).
Content-based deduplication is off: the app sends the outbox row's id as ``MessageDeduplicationId``, so a
sweep's resend of a row within five minutes is dropped by SQS even though its body was built again.
The names are literal (``booking-<stage>-notifications.fifo``): ``@app.on_sqs_message`` takes the queue
name when the app is packaged.
"""
from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from booking_infra.stage import Stage
from chalicelib.events import outbox


class MessagingStack(cdk.Stack):
    """``.queue`` and ``.dlq``; their names as plain strings, ``.queue_name`` and ``.dlq_name`` (for the
    app's settings and the alarms' dimensions, which need no cross-stack reference for a literal)."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.queue_name = f"{stage.name_of('notifications')}.fifo"
        self.dlq_name = f"{stage.name_of('notifications-dlq')}.fifo"
        self.dlq = sqs.Queue(
            self, "NotificationsDlq",
            queue_name=self.dlq_name,
            fifo=True,
            content_based_deduplication=False,
            # The longest SQS keeps a message: time for someone to look and redrive (the DLQ alarm fires
            # on the first one).
            retention_period=cdk.Duration.days(14),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        self.queue = sqs.Queue(
            self, "Notifications",
            queue_name=self.queue_name,
            fifo=True,
            content_based_deduplication=False,
            visibility_timeout=cdk.Duration.seconds(outbox.VISIBILITY_TIMEOUT_S),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dlq, max_receive_count=outbox.MAX_ATTEMPTS),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
