"""`python -m lingxi.engines.llm.model_server`: llama.cpp's OpenAI-compatible server (xllamacpp)
in a process of its own, on a loopback port. Started and watched by `embedded.ModelServer`;
it ends with its parent (Linux: the kernel sends SIGTERM when the parent dies).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above ran
        sys.exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lingxi-model-server")
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--alias", default="lingxi-embedded")
    parser.add_argument("--threads", type=int, default=1)  # while generating
    parser.add_argument("--batch-threads", type=int, default=2)  # while reading the prompt
    parser.add_argument("--context", type=int, default=8192)  # tokens, all slots together
    parser.add_argument("--parallel", type=int, default=2)  # slots: requests served at once
    parser.add_argument("--repeat-penalty", type=float, default=1.1)
    parser.add_argument("--no-copy", type=float, default=0.8)  # DRY multiplier; 0: off
    parser.add_argument("--slot-dir", default="")  # prompt caches saved and restored here
    parser.add_argument("--parent", type=int, default=os.getppid())
    args = parser.parse_args(argv)
    _die_with_parent(args.parent)

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = args.alias
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_ctx = args.context
    params.n_parallel = args.parallel
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.batch_threads
    params.cache_prompt = True  # a turn reuses the KV cache of the prompt prefix it shares
    # Prompts moved out of a slot are kept in RAM for the next call with the same persona
    # (a persona's prefix is ~15 MB of KV cache); llama.cpp's default allows 8 GiB.
    params.cache_ram_mib = 512
    if args.slot_dir:
        params.slot_save_path = os.path.join(args.slot_dir, "")  # llama.cpp appends the name
    params.ui = False
    params.warmup = True
    # Defaults for requests that do not say otherwise (Qwen2.5's recommended sampling).
    params.sampling.penalty_repeat = args.repeat_penalty
    params.sampling.top_p = 0.8
    params.sampling.top_k = 20
    # "Don't repeat yourself" over the whole context: a small model's commonest faults were
    # saying the caller's sentence back and copying its prompt's examples into loops. Runs of
    # up to three tokens (a name, "俺老孙") stay free; longer ones cost more with each token.
    params.sampling.dry_multiplier = args.no_copy
    params.sampling.dry_allowed_length = 3
    params.sampling.dry_penalty_last_n = -1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server = xllamacpp.Server(params)  # loads the model, then serves on a background thread
    print(f"ready {server.listening_address}", flush=True)
    while not stop.wait(1.0):
        pass
    # Nothing to save, and llama.cpp's server can take seconds to shut its threads down (or
    # hang doing so): leave at once.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
