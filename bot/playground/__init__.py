"""The playground: the real bot against the built-in Bot API emulator, with a web page of phones.

`python main.py playground` — see server.py. Every word the page shows is in
locales/fa/playground.ftl; scenarios are the JSON files in scripts/.
"""
