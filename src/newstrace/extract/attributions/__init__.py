"""The `attributions` layer: who says so, for every claim a report passes on.

Found from the one dependency parse, no extra model calls:

- a reporting verb (data/reporting_verbs.txt) with its subject as source
  (a participle "..., saying that" or a conjunct "and added" shares its
  head's subject; "who" gives its antecedent) and as content its clause
  complement, or, where the data file allows it for the verb, a
  to-infinitive, a noun object with what is said of it ("reported the
  meeting", "called him a liar") or a preposition's object ("called for a
  ceasefire"); with none of these, in order: what follows a colon ("X
  added: ..."), a quote right next to the clause ("“...,” X said."), or the
  sentence a set-off reporting clause hangs on ("..., X reported on
  Tuesday.", "The delegation, the article claims, did not respond");
- "according to X" (the pobj is the source, the rest of the sentence content);
- a contest verb used as a participle ("revelations, while contested by some
  media") attributes the contest to its agent, over the noun it modifies;
- a hedge adverb ("reportedly") or an agentless passive reporting verb
  ("were said to have remained silent") with no source in sight: the source
  is the document's outlet when known, else unknown, and `hedged` is true;
- a line that opens with a speaker label ("PENCE: Well, ...");
- a quote from the quotes layer whose speaker no reporting verb covered.
A content that covers part of a quote is widened over the whole quote.

`source` is always `{text, entity, start, end}`; when the report does not
name the source (hedge-only attributions) `start`/`end` are null and `text`
is the document's outlet or null. `source_kind` comes from the source's
words (data/source_kinds.tsv), else the entity type. `via` lists the
sources a source cites ("citing unnamed sources"), each with its
`source_kind`. `when` is the id of a Time in the reporting clause itself
("reported on Tuesday"), never one inside the content. `hedged`: a hedge
verb ("claims"), a hedge adverb in the reporting clause, or a passive hedge
("were said to"); `contested`: a contest cue (data/contest_cues.txt) as the
verb or in the reporting clause.
"""
from __future__ import annotations

from newstrace.extract import stage
from newstrace.extract.attributions.finder import Attributions
from newstrace.extract.attributions.lexicon import Lexicon
from newstrace.model import Document


@stage(assigns="attributions", requires=("entities", "times", "quotes"))
def add_attributions(doc: Document, parse) -> Document:
    """Return `doc` with its `attributions` layer set."""
    return Attributions.shared(Lexicon.load)(doc, parse)
