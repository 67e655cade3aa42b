#!/usr/bin/env python3
"""Builds data/workflow.db, the sample's SQLite database.

Two weeks of traffic between the fifteen agents of config.yaml, ending just
before 2026-11-25T08:00:00Z, the time the golden reports are made with
(`--now 2026-11-25T08:00:00Z`): 84 messages in the older week, 168 in the
last seven days (24 a day), and an event row for every message sent and read.
The output is the same on every run (a fixed seed, no clock).

    python3 make-fixture.py          # writes data/workflow.db next to this file
"""
import json
import os
import random
import sqlite3
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "data", "workflow.db")
NOW = datetime(2026, 11, 25, 8, 0, 0, tzinfo=timezone.utc)
DAYS = 14
PER_DAY_OLDER = 12
PER_DAY_RECENT = 24

AGENTS = [
    ("intake", "takes requests in", ["requests"]),
    ("triage", "routes requests", ["routing"]),
    ("planner", "plans the work", ["planning"]),
    ("estimator", "sizes the work", ["estimates"]),
    ("coder", "writes the change", ["implementation"]),
    ("tester", "tests the change", ["testing"]),
    ("reviewer", "reviews the code", ["code-review"]),
    ("security", "reviews for security", ["security-review"]),
    ("docs", "writes the docs", ["documentation"]),
    ("release", "cuts releases", ["releases"]),
    ("deployer", "deploys releases", ["deployment"]),
    ("monitor", "watches production", ["monitoring"]),
    ("support", "answers customers", ["customer-support"]),
    ("billing", "sends invoices", ["invoicing"]),
    ("supervisor", "escalations and priorities", ["escalation", "priorities"]),
]
# Who hands work to whom: each request travels down this chain.
CHAIN = ["intake", "triage", "planner", "estimator", "coder", "tester", "reviewer",
         "security", "docs", "release", "deployer", "monitor", "support", "billing"]
SUBJECTS = ["request", "plan", "estimate", "change ready", "test report", "review notes",
            "security notes", "docs updated", "release candidate", "deployed", "alert",
            "customer question", "invoice", "escalation"]

SCHEMA = """
CREATE TABLE agents (
    name              TEXT PRIMARY KEY,
    role              TEXT NOT NULL,
    authority_domains TEXT NOT NULL
);
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    sender      TEXT NOT NULL REFERENCES agents(name),
    recipient   TEXT NOT NULL REFERENCES agents(name),
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX messages_by_recipient ON messages (recipient, created_at);
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    agent       TEXT NOT NULL REFERENCES agents(name),
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL
);
"""


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(path):
    rng = random.Random(2026)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO agents VALUES (?, ?, ?)",
                   [(name, role, json.dumps(domains)) for name, role, domains in AGENTS])
    messages = []
    for day in range(DAYS):
        start = NOW - timedelta(days=DAYS - day)
        count = PER_DAY_RECENT if day >= DAYS - 7 else PER_DAY_OLDER
        # Whole seconds inside the day, strictly before NOW.
        for offset in sorted(rng.randrange(1, 86400) for _ in range(count)):
            messages.append(start + timedelta(seconds=offset))
    events = []
    for number, sent in enumerate(messages, start=1):
        if number % 9 == 0:
            sender, recipient = "supervisor", rng.choice(CHAIN)
        else:
            step = rng.randrange(len(CHAIN) - 1)
            sender, recipient = CHAIN[step], CHAIN[step + 1]
        subject = SUBJECTS[CHAIN.index(sender) if sender in CHAIN else -1]
        body = f"{subject.capitalize()} for request R-{1000 + number // 3}: see the shared notes, step {number % 7 + 1}."
        read = sent + timedelta(minutes=rng.randrange(2, 240))
        read_at = stamp(read) if read < NOW else None
        db.execute(
            "INSERT INTO messages (id, sender, recipient, subject, body, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (number, sender, recipient, subject, body, stamp(sent), read_at))
        events.append((sent, sender, "message.sent", {"message": number, "to": recipient}))
        if read_at:
            events.append((read, recipient, "message.read", {"message": number}))
    events.sort(key=lambda event: (event[0], event[2]))
    db.executemany(
        "INSERT INTO events (occurred_at, agent, kind, payload) VALUES (?, ?, ?, ?)",
        [(stamp(moment), agent, kind, json.dumps(payload, sort_keys=True)) for moment, agent, kind, payload in events])
    db.commit()
    db.execute("VACUUM")
    db.close()
    return len(messages), len(events)


def main():
    os.makedirs(os.path.dirname(TARGET), exist_ok=True)
    scratch = TARGET + ".new"
    if os.path.exists(scratch):
        os.remove(scratch)
    counts = build(scratch)
    os.replace(scratch, TARGET)
    print(f"{TARGET}: {counts[0]} messages, {counts[1]} events, {os.path.getsize(TARGET)} bytes")


if __name__ == "__main__":
    main()
