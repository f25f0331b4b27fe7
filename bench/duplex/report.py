"""The duplex bench's table: per language and split, next to Full-Duplex-Bench v1's figures."""

from __future__ import annotations

from collections.abc import Iterable

from duplex.scenes import Result

# Full-Duplex-Bench v1 (Lin et al., 2025), as quoted in issue 16: pause takeover rate,
# turn latency (s), user-interruption latency (s: end of the interruption → the response).
PUBLISHED = (("Moshi", 0.985, 0.265, 0.257), ("GPT-Realtime", 0.010, 1.47, 1.50),
             ("Gemini Live", 0.255, 1.30, 1.18))


def pct(values: Iterable[float], q: float) -> float:
    data = sorted(values)
    if not data:
        return float("nan")
    return data[min(len(data) - 1, round(q * (len(data) - 1)))]


def _rate(flags: list[bool]) -> str:
    return f"{sum(flags) / len(flags):.2f} ({sum(flags)}/{len(flags)})" if flags else "—"


def _ms(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{pct(values, 0.5):5.0f} / {pct(values, 0.95):5.0f} ms (n={len(values)})"


def rows(results: list[Result]) -> list[tuple[str, str]]:
    def of(*kinds: str) -> list[Result]:
        return [r for r in results if r.clip.kind in kinds]

    pause = [r.took_over for r in of("pause") if r.took_over is not None]
    backchannel = [r.took_over for r in of("backchannel") if r.took_over is not None]
    noise = [r.took_over for r in of("noise") if r.took_over is not None]
    turns = [r.latency_ms for r in of("turn") if r.latency_ms is not None]
    missing = sum(r.latency_ms is None and not r.cut_in for r in of("turn"))
    cut_in = sum(r.cut_in for r in of("turn"))
    interrupts = [r for r in of("interrupt") if not r.echo_cut]  # cut before it: not a test
    echo = [r.echo_cut for r in results if r.echo_cut is not None]
    return [
        ("pause takeover (lower is better)", _rate(pause)),
        ("backchannel takeover", _rate(backchannel)),
        ("noise/cough takeover", _rate(noise)),
        ("turn: end of speech → first audio p50/p95", _ms(turns) + (
            f", {missing} unanswered" if missing else "") + (
            f", {cut_in} cut in before the end" if cut_in else "")),
        ("interrupt: stopped", _rate([bool(r.stopped) for r in interrupts])),
        ("interrupt: onset → stop p50/p95",
         _ms([r.stop_ms for r in interrupts if r.stop_ms is not None])),
        ("interrupt: end → new answer p50/p95",
         _ms([r.answer_ms for r in interrupts if r.answer_ms is not None])),
        *([("speaker: reply cut by its own echo", _rate(echo))] if echo else []),
    ]


def print_report(results: list[Result], title: str) -> None:
    print(f"\n== {title}")
    for lang in sorted({r.clip.lang for r in results}):
        for split in ("dev", "held"):
            got = [r for r in results if r.clip.lang == lang and r.clip.split == split]
            if not got:
                continue
            print(f"-- {lang} {split}")
            for name, value in rows(got):
                print(f"   {name:44} {value}")
    print("-- published (FDB v1): pause TOR / turn latency / interrupt latency (end → answer)")
    for name, tor, turn, interrupt in PUBLISHED:
        print(f"   {name:14} {tor:.3f} / {turn:.2f} s / {interrupt:.2f} s")


def print_details(results: list[Result]) -> None:
    for r in results:
        figures = [f"{k}={v:.0f}" for k, v in (("latency", r.latency_ms), ("stop", r.stop_ms),
                                                ("answer", r.answer_ms)) if v is not None]
        flag = "" if r.took_over is None else ("TAKEOVER" if r.took_over else "ok")
        flag = "ECHO-CUT" if r.echo_cut else flag
        print(f"   {r.clip.id:18} {r.clip.split:4} {flag:8} {' '.join(figures):28} {r.note}")
