"""The `events` layer: who did what to whom, typed with PLOVER v2.0.

Found from the one dependency parse, no extra model calls:

- A **trigger** is a verb or an event noun whose lemma is in
  `data/plover.tsv` (lemma, POS, type, mode, requirement). A two-word entry
  is a head plus a particle, preposition, object or modifier ("call for",
  "step down", "open fire", "air strike"). The requirement column keeps
  look-alikes out: "pursue Hamas leaders" is an event, "pursue a policy" is
  not (`actor-obj`); "asked the delegates: ..." is no request (`xcomp`).
- A negated trigger ("did not respond", "no attack") is no event. A subject
  that is a force of nature (`data/events_non_agents.txt`) is no actor, and
  its event is dropped ("the storm hit the city").
- **Verb on verb**: a trigger with a trigger in its xcomp (or an event noun
  as its object) keeps the outer type ("refused to withdraw" is REJECT,
  "urged Israel to withdraw" is REQUEST, with the mode the inner act gives).
  PLOVER v2.0 reads announced acts by what is announced: a vow, a future
  modal or an intent word (`data/events_intent_words.txt`: "plans to",
  "is ready to") on a conflict act makes THREATEN ("vowed to attack",
  "Israel would pursue Hamas leaders", as PETRARCH2's "A said A will attack
  B"); on a withdrawal or release it makes CONCEDE (a promised
  concession); on other cooperation, AGREE ("will support"). Halting one's
  own attacks is RETREAT. A reported obligation ("X said Iraq must
  cooperate") is a REQUEST by the speaker of the one obliged. An event noun
  that a request, refusal, promise or threat governs is not reported as
  happening, so it is folded into that event.
- **Event nouns** take their actor from a support verb
  (`data/events_light_verbs.txt`: "Hamas launched an attack on Israel"),
  from a possessive or a group-name modifier ("Israeli airstrike"), or from
  "by"/"of" ("a gathering of Hamas leaders"). A noun with no argument is an
  event only as the subject of an occurrence verb
  (`data/events_occur_verbs.txt`: "fighting erupted").
- **Actors** are subjects (inherited through xcomp, advcl, conj and "by
  doing"; "who" resolves to its noun) and passive agents; **targets** are
  objects, passive subjects and objects of with/against/on/at/to/toward.
  Each is `{text, entity, start, end}`: the phrase without relative clauses
  or appositions, and the id of the entity mentioned closest to its head
  ("a reassessment of US policy toward Israel" -> US), or null.
- **Place**: a GPE/LOC/FAC in a locative phrase on the trigger (or on the
  verb governing an event noun). **Date**: the dated Time of the same
  sentence nearest the trigger in the parse tree, skipping times outside
  the attribution content that carries the event (those date the report,
  not the event); "the same day" with no value of its own takes the last
  date before it.
- **attributed_to**: the innermost attribution whose content covers the
  trigger. **hedged**: that attribution is hedged, or a hedge
  (`data/events_hedges.txt`: "reportedly", "may", "appears to", "were said
  to") bears on the trigger.
- **Quotes**: an event inside a direct quote is kept, with its type, but
  `quote` names the innermost quote, and `attributed_to` falls back to the
  attribution around that quote. A consumer that wants only what the report
  itself asserts drops events with a `quote` or an `attributed_to`.

- **Title lines**: the stage reads the repaired parse
  (`newstrace.nlp.repaired`): a heading line in title case re-parsed in
  sentence case, arcs across blank lines cut. No event's sentence runs
  across a blank line (the document index's sentences).
- **Headline grammar** the parser misreads even in sentence case: a
  participle or an event noun heading a sentence with no verb is its
  predicate ("Curfew imposed after clashes", "Deadly clashes in Gaza");
  a word tagged noun that takes a direct object, or an -s word tagged
  plural noun between two nouns of a verbless line, is a verb
  ("Activists decry Beirut bombings", "Militia massacres villagers");
  a verb inside a name span the tagger drew across the line still counts.

`mode` is the PLOVER mode the lexicon gives for the trigger (ASSAULT
"aerial", COERCE "arrest", ...), else null.

The package, by concern: `lexicon` (PLOVER rows and word lists, checked
as they load), `grammar` (word classes and headline grammar from the
parse), `triggers` (a lexicon sense and its requirement), `slots` (actors,
targets, place, date), `modality` (negation, announced acts, hedges),
`frames` (verb on verb, light verbs, obligations: one draft per event),
`layers` (the other layers, indexed by offset). No within-document
merging of events exists: `cluster` is left to the linker.
"""
from __future__ import annotations

from newstrace.extract import stage
from newstrace.extract.events.frames import _drafts
from newstrace.extract.events.layers import Mentions, Sentences, _innermost, _overlapping
from newstrace.extract.events.lexicon import Lexicon, Sense, load_lexicon
from newstrace.extract.events.modality import _hedged_by_words
from newstrace.extract.events.grammar import _with_conjuncts
from newstrace.extract.events.slots import _argument, _date, _is_argument, _place, _time_tokens
from newstrace.extract.events.triggers import find_triggers
from newstrace.model import Document
from newstrace.nlp import document_index, repaired

__all__ = ["Lexicon", "Mentions", "Sense", "add_events", "find_events", "find_triggers", "load_lexicon"]


def find_events(doc: Document, parse, lex: Lexicon | None = None) -> list[dict]:
    """Every event in `doc`, as CONTRACT.md Event records, in text order."""
    lex = lex or load_lexicon()
    index = document_index(parse)
    parse = repaired(parse)
    mentions = Mentions(doc, parse)
    triggers = find_triggers(parse, mentions, lex)
    not_arguments = _time_tokens(doc, parse)
    sentences = Sentences(doc, index)
    events = []
    for draft in _drafts(parse, triggers, mentions, lex):
        token = draft.token
        draft.actor_tokens = [t for t in draft.actor_tokens if _is_argument(t, not_arguments)]
        draft.target_tokens = [t for t in draft.target_tokens if _is_argument(t, not_arguments)]
        start, end = token.idx, token.idx + len(token)
        k = sentences.index(start)
        sentence = sentences.bounds[k]
        attribution = _innermost(doc.attributions, "content", start, end)
        quote = _innermost(doc.quotes, None, start, end)
        if attribution is None and quote is not None:
            attribution = _overlapping(doc.attributions, "content", quote["start"], quote["end"])
        date, time_id = _date(doc, parse, token, sentences.times.get(k, []), attribution)
        heads = draft.place_heads
        events.append({
            "id": f"v{len(events) + 1}",
            "type": draft.type,
            "mode": draft.mode,
            "trigger": doc.span(start, end),
            "sentence": doc.span(*sentence),
            "actors": [_argument(doc, t, mentions) for a in draft.actor_tokens for t in _with_conjuncts(a)],
            "targets": [_argument(doc, t, mentions) for a in draft.target_tokens for t in _with_conjuncts(a)],
            "place": _place(doc, heads, mentions),
            "date": date,
            "time": time_id,
            "attributed_to": attribution.get("id") if attribution else None,
            "hedged": bool(attribution and attribution.get("hedged")) or _hedged_by_words(heads, lex),
            "quote": quote.get("id") if quote else None,
            "cluster": None,
        })
    return events


@stage(assigns="events", requires=("entities", "times", "attributions"))
def add_events(doc: Document, parse) -> Document:
    """Return `doc` with its `events` layer set."""
    doc.events = find_events(doc, parse)
    return doc
