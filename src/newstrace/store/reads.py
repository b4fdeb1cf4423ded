"""The reads behind the query layer's pages and API, written once over the dialect.

`SQLStore` mixes this in; only newstrace/query.py calls these. Layer records
are read out of each document's JSON through the dialect's JSON access.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from newstrace.store.links import story_from_row

#: The layers `layer_rows` reads across documents.
ROW_LAYERS = ("events", "figures", "attributions", "quotes", "times")
SUMMARY_COLUMNS = "id, title, published, outlet, url, path, position"


class QueryReads:
    """Needs `db` (the connection) and `d` (its dialect), from SQLStore."""

    def _rows(self, sql: str, params: tuple = ()) -> list[dict]:
        return [dict(row) for row in self.db.execute(sql, params)]

    def document_rows(self, limit: int, offset: int = 0) -> list[dict]:
        """Summary rows in ingest order, with the text's length, one page."""
        return self._rows(f"SELECT {SUMMARY_COLUMNS}, length(text) AS chars FROM documents"
                          f" ORDER BY seq LIMIT {self.d.p} OFFSET {self.d.p}", (limit, offset))

    def document_summaries(self, ids: list[str]) -> dict[str, dict]:
        """Summary rows (id, title, published, outlet, url, path, position, seq) of these documents, by id."""
        rows = self._rows(f"SELECT {SUMMARY_COLUMNS}, seq FROM documents WHERE id IN (SELECT k.value FROM {self.d.each()})",
                          (self.d.array(ids),))
        return {row["id"]: row for row in rows}

    def story_record(self, story_id: str) -> dict | None:
        row = self.db.execute(f"SELECT * FROM stories WHERE id = {self.d.p}", (story_id,)).fetchone()
        return story_from_row(row) if row else None

    def story_rows(self, limit: int, offset: int = 0, min_documents: int = 1) -> list[dict]:
        """Stories, the most reported first, with their size and the independent origins among their reports."""
        p, size = self.d.p, self.d.json_length("s.documents")
        return self._rows(
            f"SELECT s.id, s.label, s.first_reported, {size} AS size, {self.d.json_length('s.origins')} AS independent, d.published"
            " FROM stories s LEFT JOIN documents d ON d.id = s.first_reported"
            f" WHERE {size} >= {p} ORDER BY size DESC, s.id LIMIT {p} OFFSET {p}", (min_documents, limit, offset))

    def global_entity(self, global_id: str) -> dict | None:
        row = self.db.execute(f"SELECT * FROM global_entities WHERE global_id = {self.d.p}", (global_id,)).fetchone()
        if row is None:
            return None
        return {"global_id": row["global_id"], "name": row["name"], "type": row["type"], "aliases": json.loads(row["aliases"])}

    def entity_rows(self, limit: int, offset: int = 0, type: str | None = None) -> list[dict]:
        """Global entities, those in most documents first."""
        p = self.d.p
        where, params = (f"WHERE g.type = {p}", (type,)) if type is not None else ("", ())
        rows = self._rows(
            "SELECT g.global_id, g.name, g.type, g.aliases, count(DISTINCT e.doc_id) AS documents"
            f" FROM global_entities g JOIN entity_globals e ON e.global_id = g.global_id {where}"
            f" GROUP BY g.global_id ORDER BY documents DESC, g.name, g.global_id LIMIT {p} OFFSET {p}", (*params, limit, offset))
        return [{**row, "aliases": json.loads(row["aliases"])} for row in rows]

    def entity_occurrences(self, global_id: str, limit: int, offset: int = 0) -> list[tuple[str, str]]:
        """(document id, entity id) pairs of one global entity, in ingest order."""
        p = self.d.p
        rows = self.db.execute(
            "SELECT e.doc_id, e.entity_id FROM entity_globals e JOIN documents d ON d.id = e.doc_id"
            f" WHERE e.global_id = {p} ORDER BY d.seq, e.entity_id LIMIT {p} OFFSET {p}", (global_id, limit, offset))
        return [(row["doc_id"], row["entity_id"]) for row in rows]

    def global_names(self, global_ids: list[str]) -> dict[str, str]:
        rows = self.db.execute(
            f"SELECT global_id, name FROM global_entities WHERE global_id IN (SELECT k.value FROM {self.d.each()})",
            (self.d.array(global_ids),))
        return {row["global_id"]: row["name"] for row in rows}

    def link_rows(self, limit: int, offset: int = 0, kind: str | None = None) -> list[dict]:
        """Links between documents, strongest first, without their evidence."""
        p = self.d.p
        where, params = (f"WHERE kind = {p}", (kind,)) if kind is not None else ("", ())
        return self._rows(
            f"SELECT a, b, kind, score, original, reason, {self.d.json_length('evidence')} AS passages FROM links"
            f" {where} ORDER BY score DESC, a, b LIMIT {p} OFFSET {p}", (*params, limit, offset))

    def layer_rows(self, layer: str, limit: int, offset: int = 0, match: dict[str, str] | None = None) -> list[dict]:
        """Records of one layer across documents as (doc id, title, published, record), in date order for events.

        `match` keeps the records whose field (a dotted path in the record) has the given value.
        """
        assert layer in ROW_LAYERS
        d, p = self.d, self.d.p
        conditions = "".join(f" AND {d.json_text('r.value', field)} = {p}" for field in match or {})
        order = f"coalesce({d.json_text('r.value', 'date')}, d.published, '9999')" if layer == "events" else "d.seq"
        rows = self.db.execute(
            f"SELECT d.id, d.title, d.published, d.outlet, r.value AS record FROM documents d, {d.json_elements('d.data', layer)}"
            f" WHERE true{conditions} ORDER BY {order}, d.seq, r.key LIMIT {p} OFFSET {p}",
            (*(match or {}).values(), limit, offset))
        return [{"doc": row["id"], "title": row["title"], "published": row["published"], "outlet": row["outlet"],
                 "record": d.decode(row["record"])} for row in rows]

    def event_date_counts(self, type: str | None = None) -> list[dict]:
        """How many events fall on each date (TIMEX3 value, day or coarser), by type."""
        d, p = self.d, self.d.p
        date, kind = d.json_text("r.value", "date"), d.json_text("r.value", "type")
        where, params = (f" AND {kind} = {p}", (type,)) if type is not None else ("", ())
        return self._rows(
            f"SELECT substr({date}, 1, 10) AS date, {kind} AS type, count(*) AS n"
            f" FROM documents d, {d.json_elements('d.data', 'events')} WHERE {date} IS NOT NULL{where}"
            " GROUP BY 1, 2 ORDER BY 1, 2", params)

    def attribution_sources(self) -> Iterator[dict]:
        """Every attribution's source, kind and via chain with the document's outlet."""
        d = self.d
        rows = self.db.execute(
            f"SELECT d.id, coalesce(d.outlet, d.path) AS outlet, {d.json_text('r.value', 'source.text')} AS source,"
            f" {d.json_text('r.value', 'source_kind')} AS kind, {d.json_value('r.value', 'via')} AS via"
            f" FROM documents d, {d.json_elements('d.data', 'attributions')} ORDER BY d.seq, r.key").fetchall()
        for row in rows:
            yield {"doc": row["id"], "outlet": row["outlet"], "source": row["source"], "kind": row["kind"],
                   "via": d.decode(row["via"]) or []}

    def layer_counts(self) -> dict[str, int]:
        """Records per layer over the whole corpus."""
        return self.stats(layers=True)["layers"]

    def corpus_counts(self) -> dict[str, object]:
        """Sizes of what linking built: links by kind, entities by type, stories, clusters, conflicts."""
        counts = dict(self.db.execute(
            "SELECT (SELECT count(*) FROM stories) AS stories,"
            f" (SELECT count(*) FROM stories WHERE {self.d.json_length('documents')} > 1) AS stories_with_several_reports,"
            " (SELECT count(*) FROM corpus_records WHERE kind = 'event_clusters') AS event_clusters,"
            " (SELECT count(*) FROM corpus_records WHERE kind = 'conflicts') AS conflicts,"
            " (SELECT count(DISTINCT outlet) FROM documents WHERE outlet IS NOT NULL) AS outlets").fetchone())
        return {
            "links": {r["kind"]: r["n"] for r in self.db.execute("SELECT kind, count(*) AS n FROM links GROUP BY kind ORDER BY kind")},
            "entities": {r["type"]: r["n"] for r in self.db.execute(
                "SELECT type, count(*) AS n FROM global_entities GROUP BY type ORDER BY type")},
            **counts,
        }

    def corpus_record_rows(self, kind: str, limit: int, offset: int = 0) -> list[dict]:
        p = self.d.p
        rows = self.db.execute(f"SELECT data FROM corpus_records WHERE kind = {p} ORDER BY id LIMIT {p} OFFSET {p}",
                               (kind, limit, offset))
        return [json.loads(row["data"]) for row in rows]
