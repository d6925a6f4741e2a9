"""Files made outside the bot's process (issue 14, «Exports stream»; docs/scale.md).

A big center's members file costs about a CPU second per 50,000 rows. Written in the bot's own
process, even in a worker thread, it competes for the GIL with every database call, and
everyone's updates wait seconds. Here it is made by a separate OS process that reads the
database itself (members_worker.py, started by apart.py) and hands back the file's bytes.

- members_sheet.py: the rows formatted into CSV or XLSX; used by the bot for small files and by
  the worker for big ones, so both give the same bytes. Imports no catalog, telegram or ORM.
- members_worker.py: `python -m bot.exports.members_worker`, the job as JSON on stdin.
- apart.py: starts the worker, waits with a timeout, kills it on timeout or stop.
"""
