"""A stand-in for bot/exports/members_worker.py that never finishes (test_members_file.py)."""

import threading

if __name__ == "__main__":
    threading.Event().wait()
