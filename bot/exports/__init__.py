"""Files made outside the bot's process (issue 14, «Exports stream»; docs/scale.md).

A big center's members file costs about a CPU second per 50,000 rows, the admins' every-center
file a few CPU seconds for 100,000 centers. Written in the bot's own process, even in a worker
thread, they compete for the GIL with every database call, and everyone's updates wait seconds.
Here each is made by a separate OS process that reads the database itself and hands back the
file's bytes.

- members_sheet.py, centers_sheet.py: the rows formatted into CSV or XLSX; used by the bot (small
  files, SQLite in memory) and by the workers, so both give the same bytes. Import no catalog,
  telegram or ORM.
- members_worker.py, centers_worker.py: `python -m bot.exports.…_worker`, the job as JSON on stdin;
  worker.py: what they share (the bare driver's reading, the answer on stdout).
- apart.py: starts a worker, waits with a timeout, kills it on timeout or stop.
- xlsx.py: the streaming workbook writer.
"""
