"""SQS FIFO queues: the notification queue and its dead-letter queue."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from chalicelib.core import log
from chalicelib.integrations import aws

_BATCH = 10  # SendMessageBatch's limit


@dataclass(frozen=True)
class Entry:
    body: str
    group: str  # MessageGroupId: messages of one group are delivered in order
    dedup: str  # MessageDeduplicationId: the same id within 5 minutes is accepted once


@dataclass(frozen=True)
class Received:
    body: str
    receipt: str
    receive_count: int
    group: str


@functools.cache
def url(name: str) -> str:
    return aws.client("sqs").get_queue_url(QueueName=name)["QueueUrl"]


def send(name: str, entries: list[Entry]) -> list[bool]:
    """Send in batches; answer, per entry, whether the queue accepted it (a refused one is logged)."""
    accepted: list[bool] = []
    for start in range(0, len(entries), _BATCH):
        chunk = entries[start:start + _BATCH]
        answer = aws.client("sqs").send_message_batch(QueueUrl=url(name), Entries=[
            {"Id": str(i), "MessageBody": e.body, "MessageGroupId": e.group, "MessageDeduplicationId": e.dedup}
            for i, e in enumerate(chunk)])
        refused = {f["Id"]: f for f in answer.get("Failed", [])}
        for i in range(len(chunk)):
            if str(i) in refused:
                log.emit("queue.refused", queue=name, code=refused[str(i)].get("Code"))
        accepted.extend(str(i) not in refused for i in range(len(chunk)))
    return accepted


def receive(name: str, *, wait_s: int = 0, visibility_s: int = 30) -> list[Received]:
    """Up to 10 messages, hidden from other readers for ``visibility_s``."""
    answer: dict[str, Any] = aws.client("sqs").receive_message(
        QueueUrl=url(name), MaxNumberOfMessages=_BATCH, WaitTimeSeconds=wait_s, VisibilityTimeout=visibility_s,
        MessageSystemAttributeNames=["ApproximateReceiveCount", "MessageGroupId"])
    return [Received(m["Body"], m["ReceiptHandle"], int(m["Attributes"].get("ApproximateReceiveCount", 1)),
                     m["Attributes"].get("MessageGroupId", "")) for m in answer.get("Messages", [])]


def delete(name: str, receipt: str) -> None:
    aws.client("sqs").delete_message(QueueUrl=url(name), ReceiptHandle=receipt)
