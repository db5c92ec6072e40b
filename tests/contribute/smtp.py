"""A real SMTP server (aiosmtpd) on a free port of 127.0.0.1, keeping what it receives."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import time
from email.message import EmailMessage


class Inbox:
    """Messages received by the test server, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def wait_for(self, address: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.to(address)) >= count:
                return self.to(address)
            time.sleep(0.05)
        raise AssertionError(f"{count} message(s) to {address} expected, got {len(self.to(address))}")


def body(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links(message: EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", body(message))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
