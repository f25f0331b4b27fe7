"""The wire contract: OpenAI Realtime (GA) events, the beta dialect, and `lingxi.*` extensions."""
