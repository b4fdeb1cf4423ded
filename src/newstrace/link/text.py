"""Text keys for linking: normalised hashes, shingles, MinHash band keys, sentence alignment.

The lexical sentence similarity here is the fallback that needs no model:
mostly a cosine over stemmed content words, plus word-bigram overlap, and
less when the two sentences carry different numbers (`sentence_similarity`;
the weights were chosen on the MRPC training pairs, `eval/mrpc.py`). It is what the copy detector uses unless
an embedding model is installed (see `eval/copies.py` and `eval/mrpc.py`
for what each scores).
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Iterable

from anyascii import anyascii
from datasketch import MinHash

from newstrace import lexicons

WORD = re.compile(r"[a-z0-9]+")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n")
SHINGLE_SIZE = 5
NUM_PERM = 128
#: (bands, rows) of the two LSH indexes: word 5-shingles find near copies (Jaccard
#: about 0.42 and up), content words find rewrites and same-story candidates (about 0.31 and up).
SHINGLE_BANDS = (32, 4)
WORD_BANDS = (32, 3)
STEM_LENGTH = 6
#: Weights of `sentence_similarity`: content-stem cosine, word-bigram Jaccard; factor when numbers differ.
STEM_WEIGHT, BIGRAM_WEIGHT, NUMBER_MISMATCH = 0.7, 0.3, 0.85


@functools.cache
def stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | lexicons.words("link_stopwords.txt")


#: Whole texts whose keys are kept (`words`, `normalised_hash`, `shingles`, `content_stems`,
#: `sentence_keys`): a linker compares one document with up to a hundred candidates, and its
#: keys were otherwise rebuilt for every pair. With the early stop in `align_sentences`, this
#: took the Spark comparisons of `bench/spark.py --link-corpus zipf --link-docs 10000` from
#: 145 s to 102 s. The text is the key, so an edited text never gets stale keys; 256 texts
#: hold the current document many times over and bound the memory (about 80 MB for reports of
#: 750 words; 1,024 would be four times that, in every Spark worker).
TEXT_CACHE = 256


def words(text: str) -> list[str]:
    """Lower-cased ASCII word tokens."""
    return WORD.findall(anyascii(text).lower())


@functools.lru_cache(maxsize=TEXT_CACHE)
def _words(text: str) -> tuple[str, ...]:
    """`words` of a whole text, kept."""
    return tuple(words(text))


@functools.lru_cache(maxsize=TEXT_CACHE)
def normalised_hash(text: str) -> str:
    """A hash that ignores case, accents, punctuation and spacing: equal for exact copies."""
    return hashlib.sha1(" ".join(_words(text)).encode()).hexdigest()


@functools.lru_cache(maxsize=TEXT_CACHE)
def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[str]:
    tokens = _words(text)
    if len(tokens) < size:
        return frozenset({" ".join(tokens)} if tokens else ())
    return frozenset(" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


@functools.lru_cache(maxsize=TEXT_CACHE)
def content_stems(text: str) -> frozenset[str]:
    """Stemmed content words: what a paraphrase keeps when it changes the wording."""
    stops = stopwords()
    return frozenset(w[:STEM_LENGTH] for w in _words(text) if w not in stops and (len(w) > 2 or w.isdigit()))


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)  # the union's size, without building it


def containment(a: set, b: set) -> float:
    """How much of the smaller set the other holds: high when a copy drops a paragraph."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def cosine(a: set, b: set) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


class SentenceKey:
    """What `sentence_similarity` compares of one sentence, computed once."""

    __slots__ = ("stems", "bigrams", "numbers")

    def __init__(self, text: str):
        tokens = words(text)
        stops = stopwords()
        self.stems = {w[:STEM_LENGTH] for w in tokens if w not in stops and (len(w) > 2 or w.isdigit())}
        self.bigrams = set(zip(tokens, tokens[1:]))
        self.numbers = {w for w in tokens if w.isdigit()}


def key_similarity(a: SentenceKey, b: SentenceKey) -> float:
    score = STEM_WEIGHT * cosine(a.stems, b.stems) + BIGRAM_WEIGHT * jaccard(a.bigrams, b.bigrams)
    return score * NUMBER_MISMATCH if a.numbers != b.numbers else score


def sentence_similarity(a: str, b: str) -> float:
    """Lexical similarity of two sentences in [0, 1]: what a paraphrase keeps of the wording."""
    return key_similarity(SentenceKey(a), SentenceKey(b))


def band_keys(items: Iterable[str], prefix: str, bands: int, rows: int) -> list[str]:
    """LSH band keys of a set: two sets share a key with probability 1-(1-J^rows)^bands."""
    values = [item.encode() for item in items]
    if not values:
        return []
    minhash = MinHash(num_perm=bands * rows, seed=1)
    minhash.update_batch(values)
    hashes = minhash.hashvalues
    keys = []
    for band in range(bands):
        chunk = hashes[band * rows:(band + 1) * rows].tobytes()
        keys.append(f"{prefix}{band}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def sentence_spans(text: str, sentences: list[list[int]] | None = None) -> list[tuple[int, int]]:
    """Sentence spans: the parse's when the document has them, else a punctuation split."""
    if sentences:
        return [(s, e) for s, e in sentences if text[s:e].strip()]
    spans, start = [], 0
    for match in SENTENCE_SPLIT.finditer(text):
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@functools.lru_cache(maxsize=TEXT_CACHE)
def sentence_keys(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[list[SentenceKey], dict[str, list[int]]]:
    """Each sentence's `SentenceKey`, and which sentences hold each stem."""
    keys = [SentenceKey(text[start:end]) for start, end in spans]
    index: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        for stem in key.stems:
            index.setdefault(stem, []).append(j)
    return keys, index


def align_sentences(text_a: str, spans_a, text_b: str, spans_b, threshold: float, give_up_below: int = 0) -> list[dict]:
    """Pairs of sentences, one from each text, whose `sentence_similarity` reaches `threshold`.

    Each sentence of A is paired with its best match in B; a B sentence is used once.
    Returns evidence records `{a: [start, end], b: [start, end], score}` in A's order.
    With `give_up_below`, it stops as soon as fewer pairs than that can still be found
    and returns those found so far: most candidate pairs of a linker are unrelated reports.
    """
    spans_a, spans_b = tuple(map(tuple, spans_a)), tuple(map(tuple, spans_b))
    keys_a, _ = sentence_keys(text_a, spans_a)
    keys_b, index = sentence_keys(text_b, spans_b)
    used: set[int] = set()
    pairs = []
    for left, (span_a, key) in enumerate(zip(spans_a, keys_a)):
        if len(pairs) + len(spans_a) - left < give_up_below:
            break
        if len(key.stems) < 3:
            continue
        best, best_score = None, 0.0
        for j in {j for stem in key.stems for j in index.get(stem, ())} - used:
            score = key_similarity(key, keys_b[j])
            if score > best_score:
                best, best_score = j, score
        if best is not None and best_score >= threshold:
            used.add(best)
            pairs.append({"a": list(span_a), "b": list(spans_b[best]), "score": round(best_score, 3)})
    return pairs
