"""The API's JSON parser (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES), apart from core.api so
that DRF's settings can import it while core.api imports DRF."""

import io
import re

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# A request body nested deeper than this is refused (400) before it is parsed.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")


def json_depth(body: bytes, limit: int) -> int:
    """How deep the body's arrays and objects nest, counted up to `limit` + 1."""
    depth = deepest = 0
    for bracket in _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body)):
        depth += 1 if bracket in b"[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested past MAX_JSON_DEPTH (Python's parser would
    overflow its stack: a RecursionError, a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read()
        if json_depth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                f"Corps JSON trop imbriqué : {MAX_JSON_DEPTH} niveaux au plus."
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)
