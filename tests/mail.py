"""Reads what the e-mail twin wrote (``.eml`` files), as a developer would in ``.local/mail``."""
from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default
from pathlib import Path


class Mailbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def sent_to(self, address: str) -> list[EmailMessage]:
        """Messages to ``address``, oldest first (files whose bytes cannot be to it stay unparsed)."""
        if not self.folder.exists():
            return []
        needle = address.encode()
        raws = (p.read_bytes() for p in sorted(self.folder.glob("*.eml")))
        messages = [email.message_from_bytes(raw, policy=default) for raw in raws if needle in raw]
        return [m for m in messages if m["To"] == address]

    def last_link(self, address: str) -> str:
        messages = self.sent_to(address)
        assert messages, f"no mail to {address}"
        body = messages[-1].get_body(preferencelist=("plain",)).get_content()
        return re.search(r"https?://\S+", body).group(0)

    def last_token(self, address: str) -> str:
        return self.last_link(address).split("token=", 1)[1]
