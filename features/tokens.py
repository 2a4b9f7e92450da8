"""Chinese word segmentation: the one module that wraps jieba.

jieba's own dictionary plus a domain dictionary made of every surface form in the lexicon, so
that 电气焊, 叉车证 or 养老护理员 stay whole. The tokenizer is built on first use (about a second
and a half), once per process, and jieba's log lines are silenced. Segmentation runs without
jieba's HMM for unknown words: unknown characters come out one by one, which is what the near
spelling search in :mod:`features.skills` looks for, and it is faster.

``cut`` gives exactly what ``jieba.Tokenizer.lcut(text, HMM=False)`` gives, from the same
dictionary, but fuses jieba's two passes (the DAG of dictionary words, then the most probable
route through it) into one backward pass with no intermediate lists: about twice as fast, and
segmentation is most of the cost of reading 20,000 post titles.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata

import jieba

from features.lexicon import PUNCTUATION, load_lexicon

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
# jieba's own block and whitespace patterns (jieba/__init__.py: re_han_default, re_skip_default).
_HAN = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


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


def _cut_block(block: str, freq: dict[str, int], log_total: float) -> list[str]:
    """jieba's ``__cut_DAG_NO_HMM`` on one block, DAG and route computed in one pass."""
    n = len(block)
    value = [0.0] * (n + 1)
    end = [0] * (n + 1)
    log = math.log
    for start in range(n - 1, -1, -1):
        best = -math.inf
        best_end = -1
        i = start
        fragment = block[start]
        while i < n:
            count = freq.get(fragment)
            if count is None:
                break
            if count:
                v = log(count) - log_total + value[i + 1]
                if v >= best:  # jieba takes max over (value, end): ties go to the longer word
                    best, best_end = v, i
            i += 1
            fragment = block[start : i + 1]
        if best_end < 0:
            best = log(freq.get(block[start]) or 1) - log_total + value[start + 1]
            best_end = start
        value[start] = best
        end[start] = best_end
    words: list[str] = []
    buffer = ""
    x = 0
    while x < n:
        y = end[x] + 1
        word = block[x:y]
        if y - x == 1 and word in _ALNUM:
            buffer += word
        else:
            if buffer:
                words.append(buffer)
                buffer = ""
            words.append(word)
        x = y
    if buffer:
        words.append(buffer)
    return words


def cut(text: str) -> list[str]:
    """Exactly ``tokenizer().lcut(text, HMM=False)``, faster (see the module docstring)."""
    jieba_tokenizer = tokenizer()
    freq: dict[str, int] = jieba_tokenizer.FREQ
    log_total = math.log(jieba_tokenizer.total)
    words: list[str] = []
    for block in _HAN.split(text):
        if not block:
            continue
        if _HAN.match(block):
            words.extend(_cut_block(block, freq, log_total))
        else:
            for piece in _SKIP.split(block):
                if _SKIP.match(piece):
                    words.append(piece)
                else:
                    words.extend(piece)
    return words


def tokenize(text: str, *, keep_spaces: bool = False) -> list[str]:
    """The words of a text: NFKC, ASCII upper-cased, jieba with the domain dictionary.

    Punctuation is dropped, and whitespace too unless ``keep_spaces`` (then each run of
    whitespace is one " " token); runs of Latin letters and digits stay together ("C1", "CNC").
    """
    folded = unicodedata.normalize("NFKC", text).upper()
    words = cut(folded)
    kept: list[str] = []
    for word in words:
        if word.isspace():
            if keep_spaces and (not kept or kept[-1] != " "):
                kept.append(" ")
        elif len(word) > 1 or word not in PUNCTUATION:
            kept.append(word)
    return kept
