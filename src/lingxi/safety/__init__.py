"""Emotional safety: recognising when a caller may be at risk.

```python
from lingxi.safety import Level, RiskTracker, default_assessor

default_assessor().assess("笑死我了").level          # Level.NONE
tracker = RiskTracker()                              # one per call
tracker.observe("我不想活了").call_level              # Level.PASSIVE
tracker.observe("药我都攒好了").turn.level            # Level.PLAN (read in context)
```

The phrase lists are data (`lingxi/safety/data/*.toml`), validated when loaded. The command
line `lingxi safety assess` reads JSON lines (see `lingxi.safety.cli`).
"""

from lingxi.safety.assess import CallContext, RiskAssessor, default_assessor
from lingxi.safety.data import SafetyDataError
from lingxi.safety.levels import LEVEL_NAMES, Assessment, Level, Reason
from lingxi.safety.tracker import RiskTracker, TurnReport


def preload() -> None:
    """Load and validate every safety data file and the risk model's encoder now (≈0.35 s),
    so that a malformed file fails at start-up with its name, and no call pays the load on
    the event loop."""
    from lingxi.safety.duties import default_duties
    from lingxi.safety.guard import default_guard
    from lingxi.safety.model import default_risk_model
    from lingxi.safety.policy import default_policy
    from lingxi.safety.profiles import default_profiles

    default_assessor()
    default_risk_model().score("warm up")  # the encoder's weights, once, before any call
    default_guard()
    default_policy()
    default_duties()
    default_profiles()


__all__ = [
    "LEVEL_NAMES",
    "Assessment",
    "CallContext",
    "Level",
    "Reason",
    "RiskAssessor",
    "RiskTracker",
    "SafetyDataError",
    "TurnReport",
    "default_assessor",
    "preload",
]
