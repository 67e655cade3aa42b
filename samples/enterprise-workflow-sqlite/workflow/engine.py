"""Routes requests between the workflow's agents through an SQLite file."""
import json
import os
import sqlite3

DATABASE = os.path.join(os.path.dirname(__file__), "..", "data", "workflow.db")


def connect():
    return sqlite3.connect(DATABASE, timeout=10)


def send(sender: str, recipient: str, subject: str, body: str) -> None:
    with connect() as db:
        db.execute(
            "INSERT INTO messages (sender, recipient, subject, body) VALUES (?, ?, ?, ?)",
            (sender, recipient, subject, body),
        )
        db.execute(
            "INSERT INTO events (agent, kind, payload) VALUES (?, 'message.sent', ?)",
            (sender, json.dumps({"to": recipient})),
        )
