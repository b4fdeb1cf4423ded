"""The parameters of the pages and their JSON twins: typed, range-checked, and declared so in the OpenAPI schema.

An integer parameter says its minimum and maximum; a value outside them, or one
that is not plain digits, is a BadQuery (HTTP 400) that names the parameter,
never an overflow deeper down.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from newstrace import query
from newstrace.errors import BadQuery

#: The most a `cursor` (an offset into a list) or a count to filter by may be; past it the answer is a 400.
MAX_OFFSET = 10**12
#: An integer as a query string may give one: digits, perhaps a minus sign (no spaces, underscores or other scripts' digits).
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,30}")


@dataclass(frozen=True)
class Param:
    """One parameter of a page; an integer one is range-checked and its range declared in the OpenAPI schema."""

    name: str
    kind: str = "string"  # string or integer
    where: str = "query"  # query or path
    help: str = ""
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[str, ...] = ()
    #: Handed to the page as the digits it was given (the cursor is opaque to clients), not as an int.
    as_text: bool = False

    def schema(self) -> dict:
        schema: dict = {"type": self.kind}
        if self.kind == "integer":
            schema.update(minimum=self.minimum, maximum=self.maximum)
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def parse(self, raw: str):
        """The value as the page takes it; BadQuery naming the parameter when it is not a whole number in range, or not one of `enum`."""
        if self.enum and raw not in self.enum:
            raise BadQuery(f"{self.name} must be one of {', '.join(self.enum)}, not {raw!r}", f"give e.g. {self.name}={self.enum[0]}")
        if self.kind != "integer":
            return raw
        if not WHOLE_NUMBER.fullmatch(raw) or not self.minimum <= int(raw) <= self.maximum:
            shown = raw if len(raw) <= 40 else raw[:40] + "…"
            raise BadQuery(f"{self.name} must be a whole number from {self.minimum} to {self.maximum}, not {shown!r}",
                           f"give {self.name} as digits in that range, e.g. {self.name}={self.default or self.minimum}")
        return str(int(raw)) if self.as_text else int(raw)


LIMIT = Param("limit", "integer", help=f"items per page (1 to {query.MAX_LIMIT})", minimum=1, maximum=query.MAX_LIMIT)
CURSOR = Param("cursor", "integer", help="the next_cursor of the previous page", minimum=0, maximum=MAX_OFFSET, as_text=True)


def parse_params(params: tuple[Param, ...], path: Mapping[str, str], query_string: Mapping[str, str]) -> dict:
    """The values of `params` from the path and the query string, typed; a missing one takes its default, if it has one."""
    args = {}
    for param in params:
        raw = path.get(param.name) if param.where == "path" else query_string.get(param.name)
        if raw is None or raw == "":
            if param.default is not None:
                args[param.name] = param.default
            continue
        args[param.name] = param.parse(raw)
    return args
