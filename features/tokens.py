"""Chinese word segmentation: the one module that wraps jieba.

jieba's own dictionary plus a domain dictionary made of every surface form in the lexicon, so
that 电气焊, 叉车证 or 养老护理员 stay whole. The tokenizer is built on first use (about a second
and a half), once per process, and jieba's log lines are silenced. Segmentation runs without
jieba's HMM for unknown words: unknown characters come out one by one, which is what the near
spelling search in :mod:`features.skills` looks for, and it is faster.
"""

from __future__ import annotations

import logging
import threading
import unicodedata

import jieba

from features.lexicon import _PUNCTUATION, load_lexicon

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _build() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    lexicon = load_lexicon()
    # Longer forms first, so the frequency suggested for a short one accounts for the long ones.
    words = sorted(set(lexicon.surfaces), key=len, reverse=True)
    for word in words:
        if len(word) >= 2:
            tokenizer.add_word(word)
    return tokenizer


def tokenizer() -> jieba.Tokenizer:
    """The shared tokenizer with the domain dictionary (built on first call, thread-safe)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _build()
    return _tokenizer


def tokenize(text: str, *, keep_spaces: bool = False) -> list[str]:
    """The words of a text: NFKC, ASCII upper-cased, jieba with the domain dictionary.

    Punctuation is dropped, and whitespace too unless ``keep_spaces`` (then each run of
    whitespace is one " " token); runs of Latin letters and digits stay together ("C1", "CNC").
    """
    folded = unicodedata.normalize("NFKC", text).upper()
    words: list[str] = tokenizer().lcut(folded, HMM=False)
    kept: list[str] = []
    for word in words:
        if word.isspace():
            if keep_spaces and (not kept or kept[-1] != " "):
                kept.append(" ")
        elif len(word) > 1 or word not in _PUNCTUATION:
            kept.append(word)
    return kept
