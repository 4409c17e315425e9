"""GitHub Actions expressions (`${{ ... }}`), the subset this repository's workflows use, with
GitHub's semantics: `a || b` and `a && b` return an operand (not a bool); falsy values are false,
0, "", null; strings compare case-insensitively; a missing property is null; values interpolated
into text are '' for null, 'true'/'false', numbers without a trailing .0, JSON for objects.
Functions: fromJSON, toJSON, success(), failure(), always(), cancelled(), contains, startsWith.
"""

from __future__ import annotations

import json
import re

TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|'((?:[^']|'')*)'|(==|!=|&&|\|\||[!().,\[\]])"
                   r"|([A-Za-z_][A-Za-z0-9_-]*))")


def truthy(value) -> bool:
    return value not in (None, False, 0, "") and value == value


def _tokens(text: str) -> list[tuple[str, object]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read the expression {text!r} at {text[position:]!r}")
        number, string, operator, name = match.groups()
        if number is not None:
            tokens.append(("value", float(number) if "." in number else int(number)))
        elif string is not None:
            tokens.append(("value", string.replace("''", "'")))
        elif operator is not None:
            tokens.append(("op", operator))
        elif name in ("true", "false", "null"):
            tokens.append(("value", {"true": True, "false": False, "null": None}[name]))
        else:
            tokens.append(("name", name))
        position = match.end()
    return tokens


def _equal(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return a == b


class _Parser:
    def __init__(self, text: str, context: dict, status: dict):
        self.tokens, self.position = _tokens(text), 0
        self.context, self.status = context, status

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", None)

    def take(self, op: str | None = None):
        token = self.peek()
        if op is not None and token != ("op", op):
            raise ValueError(f"expected {op!r}, found {token[1]!r}")
        self.position += 1
        return token

    def parse(self):
        value = self.either()
        if self.peek()[0] != "end":
            raise ValueError(f"unexpected {self.peek()[1]!r}")
        return value

    def either(self):
        value = self.both()
        while self.peek() == ("op", "||"):
            self.take()
            other = self.both()
            value = value if truthy(value) else other
        return value

    def both(self):
        value = self.comparison()
        while self.peek() == ("op", "&&"):
            self.take()
            other = self.comparison()
            value = other if truthy(value) else value
        return value

    def comparison(self):
        value = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            op = self.take()[1]
            other = self.unary()
            value = _equal(value, other) if op == "==" else not _equal(value, other)
        return value

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == "value":
            return value
        if (kind, value) == ("op", "("):
            inner = self.either()
            self.take(")")
            return inner
        if kind != "name":
            raise ValueError(f"unexpected {value!r}")
        if self.peek() == ("op", "("):
            return self.call(value)
        current = self.context.get(value)
        while self.peek() in (("op", "."), ("op", "[")):
            if self.take()[1] == ".":
                key = self.take()[1]
            else:
                key = self.either()
                self.take("]")
            current = current.get(str(key)) if isinstance(current, dict) else None
        return current

    def call(self, name: str):
        self.take("(")
        args = []
        while self.peek() != ("op", ")"):
            args.append(self.either())
            if self.peek() == ("op", ","):
                self.take()
        self.take(")")
        functions = {
            "fromjson": lambda text: json.loads(text),
            "tojson": lambda value: json.dumps(value),
            "success": lambda: self.status.get("success", True),
            "failure": lambda: self.status.get("failure", False),
            "always": lambda: True,
            "cancelled": lambda: False,
            "contains": lambda haystack, needle: str(needle).lower() in str(haystack).lower(),
            "startswith": lambda text, prefix: str(text).lower().startswith(str(prefix).lower()),
        }
        if name.lower() not in functions:
            raise ValueError(f"the replay does not know the function {name}()")
        return functions[name.lower()](*args)


def evaluate(text: str, context: dict, status: dict | None = None):
    """The value of an expression (with or without its ${{ }})."""
    text = text.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    return _Parser(text, context, status or {"success": True}).parse()


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def interpolate(text: str, context: dict) -> str:
    """`text` with every ${{ expression }} replaced by its value."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: as_text(evaluate(m.group(1), context)), text)
