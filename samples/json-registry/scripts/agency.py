#!/usr/bin/env python3
"""Post a message to an agent's inbox in .agency/, addressed by its content.

usage: agency.py post FROM TO BODY [--parent DIGEST]

The file name is the SHA-256 of the message's canonical JSON, so posting the
same message twice writes the same file, and a reply names its parent.
"""

import argparse
import hashlib
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

AGENCY = Path(__file__).resolve().parent.parent / ".agency"
REGISTRY = Path(__file__).resolve().parent.parent / "registry" / "agents"


def canonical(message: dict) -> bytes:
    return json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def write_once(path: Path, data: bytes, tries: int = 4) -> None:
    """Writes atomically; retries with backoff when the volume is busy."""
    delay = 0.25
    for n in range(tries):
        try:
            staged = path.with_suffix(".part")
            staged.write_bytes(data)
            os.replace(staged, path)
            return
        except OSError:
            if n == tries - 1:
                raise
            time.sleep(delay)
            delay *= 2


def post(sender: str, to: str, body: str, parent: str | None) -> str:
    if not (REGISTRY / f"{to}.json").exists():
        sys.exit(f"agency.py: {to} is not in registry/agents/")
    sent = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    message = {"from": sender, "to": to, "sent": sent, "parent": parent, "body": body}
    data = canonical(message)
    digest = hashlib.sha256(data).hexdigest()
    inbox = AGENCY / "inbox" / to
    inbox.mkdir(parents=True, exist_ok=True)
    write_once(inbox / f"{digest}.json", data)
    with open(AGENCY / "events.log", "a", encoding="utf-8") as log:
        log.write(f"{sent} post {sender} -> {to} {digest} parent={parent or '-'}\n")
    return digest


def main() -> None:
    parser = argparse.ArgumentParser(prog="agency.py")
    commands = parser.add_subparsers(dest="command", required=True)
    send = commands.add_parser("post")
    send.add_argument("sender")
    send.add_argument("to")
    send.add_argument("body")
    send.add_argument("--parent")
    args = parser.parse_args()
    print(post(args.sender, args.to, args.body, args.parent))


if __name__ == "__main__":
    main()
