"""A PostgreSQL server that completes the handshake and then never answers.

Listens on 127.0.0.1 (a free port, printed on the first line of stdout), records
every byte each connection sent into LOG, and stops by itself after LIFETIME
seconds. It declines SSL and GSSAPI encryption, asks for nothing, says the
connection is ready, and then reads whatever the client sends without replying.
With MODE "silent" it answers nothing at all, not even to the SSL request.
Usage: stalling-postgres.py LOG LIFETIME [MODE]
"""
import socket
import struct
import sys
import threading
import time

log_path, lifetime = sys.argv[1], float(sys.argv[2])
silent = len(sys.argv) > 3 and sys.argv[3] == "silent"
deadline = time.monotonic() + lifetime
lock = threading.Lock()


def record(data):
    with lock, open(log_path, "ab") as log:
        log.write(data)


def read_exactly(conn, count):
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            raise ConnectionError
        data += chunk
    return data


def serve(conn):
    conn.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        while silent and time.monotonic() < deadline:
            data = conn.recv(4096)
            if not data:
                return
            record(b"<connect>" + data)
        while True:
            length = struct.unpack("!I", read_exactly(conn, 4))[0]
            body = read_exactly(conn, length - 4)
            record(b"<connect>" + body)
            code = struct.unpack("!I", body[:4])[0]
            if code in (80877103, 80877104):  # SSLRequest, GSSENCRequest
                conn.sendall(b"N")
                continue
            break
        # AuthenticationOk, then ReadyForQuery (idle): libpq now sends its first query.
        conn.sendall(b"R" + struct.pack("!II", 8, 0) + b"Z" + struct.pack("!I", 5) + b"I")
        while time.monotonic() < deadline:
            data = conn.recv(4096)
            if not data:
                break
            record(data)
    except (OSError, ConnectionError):
        pass
    finally:
        conn.close()


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(8)
listener.settimeout(0.2)
print(listener.getsockname()[1], flush=True)
open(log_path, "wb").close()
while time.monotonic() < deadline:
    try:
        conn, _ = listener.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
listener.close()
