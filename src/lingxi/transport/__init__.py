"""HTTP and WebSocket edge: /v1/realtime, /healthz, /metrics and the web page."""
