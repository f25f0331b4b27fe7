"""API keys and the short-lived client secrets minted from them.

- API keys are configured as `sha256:<hex>` of the key (or the key itself, hashed on load):
  the server never needs to hold a key in the clear. `lingxi keys new` makes one.
- A client secret (`ek_…`, the shape of OpenAI's ephemeral keys) is minted with an API key
  for a browser or a device: valid for minutes, only for calls and the user it names. It is
  signed, not stored, so any worker sharing the same key list accepts it.
- With no keys configured the server is open (a local user on loopback); binding beyond
  loopback then needs an explicit choice (see `lingxi serve`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

SECRET_PREFIX = "ek_"
KEY_PREFIX = "lx-"
SUBPROTOCOL_KEY = "openai-insecure-api-key."
MAX_TTL_S = 7200  # OpenAI allows client secrets of up to two hours


@dataclass(frozen=True, slots=True)
class Grant:
    """What a request's credential allows: everything (an API key, or an open server), or one
    user's calls and data (a client secret)."""

    kind: Literal["open", "key", "secret"]
    user: str | None = None  # the one user a client secret is bound to (always set for one)

    @property
    def full(self) -> bool:
        return self.kind != "secret"

    def may_act_for(self, user: str | None) -> bool:
        return self.full or (user is not None and user == self.user)


def new_key() -> tuple[str, str]:
    """A new API key and the line to configure for it (`sha256:<hex>`)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, "sha256:" + _digest(key)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Keys:
    def __init__(self, configured: Iterable[str]) -> None:
        self._hashes = frozenset(
            k.removeprefix("sha256:").lower() if k.startswith("sha256:") else _digest(k)
            for k in (c.strip() for c in configured) if k)
        # Every worker with the same key list derives the same signing key.
        self._signing = hashlib.sha256(
            b"lingxi client secrets\0" + "\0".join(sorted(self._hashes)).encode()).digest()

    @property
    def enabled(self) -> bool:
        return bool(self._hashes)

    def check(self, credential: str | None, now: float) -> Grant | None:
        """The grant a credential carries, or None when it carries none."""
        if not self.enabled:
            return Grant("open")
        if not credential:
            return None
        if credential.startswith(SECRET_PREFIX):
            return self._secret(credential, now)
        # A set lookup of the key's hash: timing reveals nothing about a key itself.
        return Grant("key") if _digest(credential) in self._hashes else None

    def mint(self, user: str | None, ttl_s: float, now: float) -> tuple[str, str, int]:
        """A client secret for `user` (None: a new anonymous one), the user, and when it
        expires. A secret always names its user, so it can never reach anyone else's data."""
        user = user or "anon-" + secrets.token_hex(8)
        expires = int(now + min(max(ttl_s, 10.0), MAX_TTL_S))
        body = json.dumps({"u": user, "e": expires, "n": secrets.token_hex(4)},
                          separators=(",", ":")).encode()
        return SECRET_PREFIX + _b64(body) + "." + _b64(self._sign(body)), user, expires

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self._signing, body, hashlib.sha256).digest()[:18]

    def _secret(self, credential: str, now: float) -> Grant | None:
        try:
            body_text, signature = credential[len(SECRET_PREFIX):].split(".", 1)
            body = _unb64(body_text)
            if not hmac.compare_digest(_unb64(signature), self._sign(body)):
                return None
            claims = json.loads(body)
        except (ValueError, json.JSONDecodeError):
            return None
        user = claims.get("u")
        if not isinstance(user, str) or not isinstance(claims.get("e"), int) or \
                claims["e"] <= now:
            return None
        return Grant("secret", user)


def credential(headers: dict[str, str], subprotocols: Iterable[str]) -> str | None:
    """The key a client presents: `Authorization: Bearer …` (SDKs, curl) or an offered
    `openai-insecure-api-key.…` subprotocol (browsers, which cannot set headers)."""
    auth = headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    for protocol in subprotocols:
        if protocol.startswith(SUBPROTOCOL_KEY):
            return protocol[len(SUBPROTOCOL_KEY):]
    return None
