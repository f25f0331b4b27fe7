"""Memory: what the companion remembers about a caller, kept in a real database.

SQLite by default (a file under the user's data folder), PostgreSQL by URL. Writes go through
one per-process writer task, so the audio path only ever enqueues; reads happen at call start.
"""
