"""Routes requests between the workflow's agents through PostgreSQL."""
import os

import psycopg


def connect():
    return psycopg.connect(os.environ["WORKFLOW_DATABASE_URL"])


def send(sender: str, recipient: str, subject: str, body: str) -> None:
    with connect() as db:
        db.execute(
            "INSERT INTO messages (sender, recipient, subject, body) VALUES (%s, %s, %s, %s)",
            (sender, recipient, subject, body),
        )
        db.execute(
            "INSERT INTO events (agent, kind, payload) VALUES (%s, 'message.sent', %s)",
            (sender, f'{{"to": "{recipient}"}}'),
        )
