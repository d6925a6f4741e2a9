"""Several instances on one PostgreSQL database (issue 15; docs/instances.md, docs/deploy.md).

- inbox.py: the one processing path — updates stored, claimed in order per user, handled;
- state.py: conversation state read from the database for each update (never stale);
- coordination.py, leader.py: advisory locks, LISTEN/NOTIFY; one leader runs the scheduler;
- receive.py, web.py: polling or webhooks into the inbox; /healthz and /metrics;
- background.py, jobs.py, pace.py: broadcasts once per cluster, jobs on the leader, one send rate;
- cluster.py: what bot/runner.py starts and stops.

On SQLite (the default) the same path runs in one process, which is the only one allowed.
"""
