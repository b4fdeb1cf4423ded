"""The `quotes` layer: direct quotes, their speakers and speech verbs.

Finding (`find_quote_spans`) reads the quotation marks of the text alone:

- straight and curly double marks; a straight mark opens or closes by the
  characters around it (`“`-like after a space, `”`-like before one);
- single marks (‘...’ or '...') only inside a double quote, as nested quotes,
  or a curly ‘...’ of two words or more at the top level (British style);
- an apostrophe never opens or closes a quote: "won’t", "Turkey’s",
  "Hamas ' political" (spaces on both sides), and a plural possessive
  "Hamas’ strategy" is not taken as a closing mark when a later one can be;
- a quote whose paragraph ends before its closing mark continues when the
  next paragraph opens with a quotation mark (the typographic convention for
  quotes that run over paragraphs); otherwise it ends with its paragraph.

Speakers (`Speakers`) come from the one shared parse, in the sentence
around the quote (limited to the enclosing quote for a nested one):

1. the nearest speech verb in the frame ("X said", "said X", "he wrote",
   "the report read", "X shouted "..."") and its subject; a speech verb
   before the quote is passed over when a clause of another subject stands
   between them ("she said, but as Trump went on about “...”");
2. else a frame that ends with a colon, in the sentence or as the paragraph
   before ("The official persisted: “...”"): its main verb, when its subject
   can speak; "X’s message was: “...”" gives X, "The message was:" nobody;
3. else "according to X", or a name after a dash ("“...” ― Jane Doe");
4. else, for a quote with no frame of its own, the speaker of the quote just
   before it when only that quote's frame or a joining word stands between
   them ("“A,” he said. “B.”", "“A” and “B”"), or the subject of the
   sentence before it when that sentence's verb is a speech verb.

A pronoun resolves to the nearest compatible subject before it, outside
quotes, that names a person, group or document ("the author", "the Turkish
official", "the report"); the speaker is then that description, with the
pronoun's span in an extra `pronoun` field. "I" or "we" inside a nested
quote is the enclosing quote's speaker; "you" resolves to nobody. When the
text does not tell, the speaker is null.
"""
from __future__ import annotations

from newstrace.extract import stage
from newstrace.extract.quotes.marks import (  # noqa: F401 (public names of the quotes layer)
    CLOSE, OPEN, QuoteSpan, SENTENCE_END, find_marks, find_quote_spans, quote_text_words,
)
from newstrace.extract.quotes.speakers import PRONOUNS, Speakers  # noqa: F401
from newstrace.model import Document


#: Two quotes this few words apart in one sentence ("“...” but “...”") are parts of one statement.
JOINING_WORDS = 3


def find_quotes(doc: Document, parse) -> list[dict]:
    """Quote records for `doc`, speakers resolved from `parse`."""
    spans = find_quote_spans(doc.text)
    speakers = Speakers(doc, parse, spans)
    records: list[dict] = []
    for index, quote in enumerate(spans):
        speaker, cue = speakers.speaker(index)
        if speaker is None and cue is None and quote.parent is None:
            speaker, cue = _continued_speaker(speakers, spans, records, index)
            if speaker is None:
                speaker, cue = speakers.previous_sentence_speaker(index)
        speakers.found[index] = speaker
        records.append({
            "id": f"q{index + 1}",
            **doc.span(quote.start, quote.end),
            "speaker": speaker,
            "cue": cue,
            "nested_in": f"q{quote.parent + 1}" if quote.parent is not None else None,
        })
    return records


def _continued_speaker(speakers: Speakers, spans: list[QuoteSpan], records: list[dict], index: int) -> tuple[dict | None, None]:
    """A frameless quote right after another in its paragraph keeps that quote's speaker:
    '“A,” he said. “B.”', '“A” and “B”'."""
    text = speakers.text
    quote = spans[index]
    for k in range(index - 1, -1, -1):
        previous = spans[k]
        if previous.parent is not None:
            continue
        if previous.close_mark is None or "\n" in text[previous.close_mark:quote.open_mark]:
            return None, None
        gap = text[previous.close_mark + 1:quote.open_mark]
        cue = records[k]["cue"]
        frame_in_gap = (cue is not None and previous.close_mark < cue["start"] < quote.open_mark
                        and speakers.only_frame_between(cue, quote.open_mark))
        if records[k]["speaker"] is not None and (not gap.strip() or frame_in_gap or _joins_quotes(gap)):
            return dict(records[k]["speaker"]), None
        return None, None
    return None, None


def _joins_quotes(gap: str) -> bool:
    """'“...” but “...”', '“...” and “...”': two parts of one quoted statement, joined by a word or two."""
    return not any(c in SENTENCE_END for c in gap) and len(gap.split()) <= JOINING_WORDS


@stage(assigns="quotes", requires=("entities",))
def add_quotes(doc: Document, parse) -> Document:
    """Return `doc` with its `quotes` layer set."""
    doc.quotes = find_quotes(doc, parse)
    return doc
