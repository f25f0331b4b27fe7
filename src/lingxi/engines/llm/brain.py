"""Which brain answers: the embedded model, a model by URL, or the offline companion.

`start_brain(settings)` runs once at start-up, before the app (and its workers) are built: it
starts the supervised embedded server when that is the choice and returns the settings with
`llm_base_url` pointing at it, so the responder is built exactly as for a model by URL.
`brain_warning(settings)` says, for /healthz, when callers get only the companion although
nobody chose that.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import metadata
from typing import Literal

import httpx

from lingxi.config import Settings
from lingxi.engines.llm import weights
from lingxi.engines.llm.embedded import (
    ALIAS,
    EmbeddedOptions,
    ModelServer,
    ModelServerError,
    free_port,
    thread_budget,
)
from lingxi.engines.llm.prompt import chat_messages
from lingxi.engines.llm.warm import Primer, Prompt, slot_folder
from lingxi.interfaces import ChatMessage, ReplyRequest

log = logging.getLogger(__name__)

Mode = Literal["embedded", "url", "off"]

# The first turn of a call reads the whole persona prefix (a few hundred tokens at 40–70/s on
# two busy cores) unless it is cached; a model by URL keeps the stricter default.
EMBEDDED_FIRST_TOKEN_S = 6.0
# A small model told "three short sentences" still writes a page now and then: stop it at about
# 120 Chinese characters / 90 English words, which no good spoken reply needs.
EMBEDDED_MAX_TOKENS = 120
# Three sentences is a spoken reply; "too long" was the commonest failure of bench_brain.
EMBEDDED_MAX_SENTENCES = 3


def llm_mode(settings: Settings) -> Mode:
    """The brain chosen: the URL wins; unset means embedded when the weights are installed."""
    if settings.llm_base_url:
        return "url"
    if settings.llm is not None:
        return settings.llm
    return "embedded" if weights.problem(settings.llm_model_file) is None else "off"


def _reason(settings: Settings) -> str:
    if settings.llm == "url":
        return "LINGXI_LLM=url but LINGXI_LLM_BASE_URL is not set"
    problem = weights.problem(settings.llm_model_file)
    if problem is not None:
        return problem
    return "the embedded model server did not start (see the log)"


def brain_warning(settings: Settings) -> str | None:
    """A loud notice when the companion answers alone although nobody set LINGXI_LLM=off."""
    if settings.engines != "local" or settings.llm_base_url or settings.llm == "off":
        return None
    return ("NO LANGUAGE MODEL: the offline companion (a phrase engine) answers every turn; "
            f"{_reason(settings)}")


def embedded_options(settings: Settings) -> EmbeddedOptions:
    threads, batch = thread_budget(requested=settings.llm_threads)
    model = settings.llm_model_file or weights.default_model_file()
    return EmbeddedOptions(
        model=model, threads=threads, batch_threads=batch, parallel=settings.llm_parallel,
        context_per_call=settings.llm_context, slot_dir=slot_folder(model.parent),
        no_copy=settings.llm_no_copy)


def start_brain(settings: Settings, *, warm: bool = True
                ) -> tuple[Settings, ModelServer | None]:
    """The settings to run with, and the model server to stop at exit (None if not started).

    `warm`: read the default persona's prompt into the server's cache in the background."""
    if settings.engines != "local" or llm_mode(settings) != "embedded":
        warning = brain_warning(settings)
        if warning:
            log.warning("%s", warning)
        return settings, None
    try:
        model = weights.check(settings.llm_model_file)
        import xllamacpp  # noqa: F401  # installed with Lingxi; checked before a child needs it
    except (weights.WeightsError, ImportError) as exc:
        log.warning("NO LANGUAGE MODEL: %s; the offline companion answers", exc)
        return settings, None
    options = embedded_options(settings)
    port = free_port()  # chosen here so the warm-up knows where the server will be
    url = f"http://127.0.0.1:{port}/v1"
    server = ModelServer(options, port=port,
                         on_ready=(lambda: warm_prompt_cache(settings, url)) if warm else None)
    try:
        server.start()
    except ModelServerError as exc:
        log.warning("NO LANGUAGE MODEL: %s; the offline companion answers", exc)
        server.stop()
        return settings, None
    log.info("embedded model %s serving at %s (%d generating / %d prompt threads, %d calls "
             "at once)", model.name, server.base_url, options.threads, options.batch_threads,
             options.parallel)
    update: dict[str, object] = {"llm_base_url": server.base_url}
    if "llm_model" not in settings.model_fields_set:
        update["llm_model"] = ALIAS
    if "llm_first_token_s" not in settings.model_fields_set:
        update["llm_first_token_s"] = EMBEDDED_FIRST_TOKEN_S
    if "llm_max_tokens" not in settings.model_fields_set:
        update["llm_max_tokens"] = EMBEDDED_MAX_TOKENS
    if "llm_max_sentences" not in settings.model_fields_set:
        update["llm_max_sentences"] = EMBEDDED_MAX_SENTENCES
    return settings.model_copy(update=update), server


def warm_prompt_cache(settings: Settings, base_url: str,
                      personas: Sequence[str] | None = None) -> None:
    """Every persona's fixed prompt into the model server's cache, the default persona's
    first and into every slot, restored from disk where an earlier start saved it (warm.py),
    so the first turn of a call (or after a persona switch) finds it there instead of
    waiting for hundreds of tokens to be read."""
    from lingxi.personas import load_book

    book = load_book(settings.personas_dir, settings.default_persona)
    ids = [book.get(None).id, *(i for i in book.ids() if i != book.get(None).id)]
    if personas is not None:
        ids = [i for i in ids if i in personas]
    # The default persona in both languages (a call's first turn finds its language's note
    # cached too), the others in Chinese.
    hello = {"zh": "你好", "en": "Hello"}
    asks = [(ids[0], "zh"), (ids[0], "en"), *((i, "zh") for i in ids[1:])] if ids else []
    prompts = [Prompt(persona, chat_messages(
        ReplyRequest("", (ChatMessage("user", hello[language]),), persona=persona), book))
        for persona, language in asks]
    model = settings.llm_model_file or weights.default_model_file()
    root = base_url.removesuffix("/v1")
    with httpx.Client(timeout=600.0) as http:
        # A saved cache fits only a server laid out the same way (measured: files saved with
        # two slots are refused by one with four).
        layout = f"{_runtime()}; {settings.llm_parallel} slots x {settings.llm_context}"
        primer = Primer(http, root, slots=settings.llm_parallel, folder=slot_folder(model.parent),
                        model=model, runtime=layout)
        try:
            primer.prime(prompts, pinned=2 if len(prompts) > 1 else 1)
        except (httpx.HTTPError, OSError) as exc:
            log.info("readying the model's prompt cache failed (%s)", type(exc).__name__)


def _runtime() -> str:
    try:
        return "xllamacpp " + metadata.version("xllamacpp")
    except metadata.PackageNotFoundError:
        return "xllamacpp"
