"""Deliver messages between agents through per-agent Maildirs.

A delivery is written to mailboxes/<agent>/tmp/ and renamed into new/, so a
reader never sees a half-written message; the reader moves it to cur/.
"""

import json
import os
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAILBOXES = ROOT / "mailboxes"
EVENTS = ROOT / "events.ndjson"

# Who hears about what. The desk is small enough that this stays in code.
ROUTES = {
    "request": ["intake"],
    "analysis": ["analyst"],
    "draft": ["writer"],
    "review": ["human"],
}

TRIES = 5
FIRST_DELAY = 0.2


class DeliveryError(Exception):
    pass


def _write(agent: str, name: str, payload: bytes) -> Path:
    box = MAILBOXES / agent
    if not (box / "new").is_dir():
        raise DeliveryError(f"no mailbox for {agent}")
    staged = box / "tmp" / name
    with open(staged, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    final = box / "new" / name
    os.rename(staged, final)
    return final


def deliver_with_retry(agent: str, name: str, payload: bytes) -> Path:
    delay = FIRST_DELAY
    for attempt in range(1, TRIES + 1):
        try:
            return _write(agent, name, payload)
        except OSError:
            if attempt == TRIES:
                raise
            time.sleep(delay)
            delay *= 2
    raise DeliveryError(f"could not deliver {name} to {agent}")


def _log(event: dict) -> None:
    with open(EVENTS, "a", encoding="utf-8") as log:
        log.write(json.dumps(event, sort_keys=True) + "\n")


def dispatch(kind: str, sender: str, subject: str, body: str) -> list[Path]:
    delivered = []
    for agent in ROUTES.get(kind, ["human"]):
        message = EmailMessage()
        message["From"] = f"{sender}@desk.local"
        message["To"] = f"{agent}@desk.local"
        message["Subject"] = subject
        message["X-Desk-Kind"] = kind
        message.set_content(body)
        name = f"{int(time.time())}.{uuid.uuid4()}.eml"
        path = deliver_with_retry(agent, name, message.as_bytes())
        _log({"ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "event": "delivered",
              "to": agent, "from": sender, "kind": kind, "name": name})
        delivered.append(path)
    return delivered
