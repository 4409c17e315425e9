"""Reading a config file strictly: bytes -> UTF-8 text -> one YAML mapping, or one line per problem.

PyYAML's `safe_load` alone lets several hostile or careless files through or crashes on them:
a duplicated key silently keeps the last value, an impossible date (`2026-02-30`) raises a bare
ValueError, deep nesting a RecursionError, a recursive alias builds a self-containing list, a
"billion laughs" file of nested aliases expands without bound, and NaN or infinity is a number
like any other. Here each becomes a `ConfigError` line `FILE:LINE: field.path: what; how to fix`,
and the composed node tree is kept so later checks can name the line of any field.
"""

from __future__ import annotations

import codecs
import math
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from feeds.errors import shown
from liqbt.config import ConfigError

Locate = Callable[[tuple], int | None]

MAX_CONFIG_BYTES = 1 << 20   # 1 MiB: the shipped configs are under 10 kB
MAX_DEPTH = 64               # nesting levels; the deepest real field is ~8 levels down
MAX_VALUES = 200_000         # values after alias expansion (every check walks the expanded data)


class _NodeProblem(Exception):
    """A problem found while constructing `node` (its path is looked up afterwards)."""

    def __init__(self, node: yaml.Node, message: str, key: Any = None):
        super().__init__(message)
        self.node, self.message, self.key = node, message, key


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and reports unconstructible scalars at their node."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            if isinstance(exc, _NodeProblem):
                raise
            tag = node.tag.rsplit(":", 1)[-1]
            raise _NodeProblem(node, f"{shown(node.value)} is not a valid {tag} ({exc}); "
                               + ("write an existing date as YYYY-MM-DD" if tag == "timestamp"
                                  else "fix the value")) from None

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:
                    continue  # an unhashable key: SafeLoader reports it
                if first is not None:
                    raise _NodeProblem(key_node, f"key {shown(key)} appears twice in this "
                                       f"mapping (also on line {first}); keep one", key)
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _read_text(path: Path) -> str:
    """The file's text, refusing what is not a UTF-8 text file of reasonable size."""
    if not path.exists():
        raise ConfigError([f"{path}: config file not found; pass the path of a YAML run config "
                           "(e.g. liqbt/configs/quickstart.yaml)"])
    if path.is_dir():
        raise ConfigError([f"{path}: is a folder; pass the path of a YAML run config file"])
    if not path.is_file():
        raise ConfigError([f"{path}: is not a regular file (a device, pipe or socket); pass the "
                           "path of a YAML run config file"])
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read it ({exc.strerror}); check its permissions"]) \
            from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError([f"{path}: larger than {MAX_CONFIG_BYTES // 1024} KiB; a run config is "
                           "a short YAML file (the shipped ones are under 10 kB)"])
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            raise ConfigError([f"{path}:1: the file is {name} text; save it as UTF-8"])
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        odd, even = data[1::2].count(0), data[0::2].count(0)
        wide = max(odd, even) > 0.9 * (len(data) // 2) and min(odd, even) < 0.1 * len(data)
        what = "UTF-16 text without a byte-order mark" if wide else "a binary file, not YAML text"
        raise ConfigError([f"{path}:{line}: {what} (NUL byte); save the config as UTF-8 text"])
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigError([f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}; "
                           "Latin-1 or Windows-1252?); save the file as UTF-8"]) from None


def _children(node: yaml.Node) -> Iterator[tuple[Any, yaml.Node]]:
    """(path part, child node) of a mapping (keys by their text) or a sequence (indexes)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield (key.value if isinstance(key, yaml.ScalarNode) else "?"), value
    elif isinstance(node, yaml.SequenceNode):
        yield from enumerate(node.value)


def _path_of(root: yaml.Node, target: yaml.Node) -> tuple:
    """The field path of `target` inside `root` (first occurrence), () if not found."""
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    visited: set[int] = set()
    while stack:
        node, here = stack.pop()
        if node is target:
            return here
        if id(node) in visited or len(here) > MAX_DEPTH:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key is target:
                    return here
        stack += [(child, here + (part,)) for part, child in _children(node)]
    return ()


def _check_shape(root: yaml.Node, path: Path) -> None:
    """Refuse recursive aliases, nesting deeper than MAX_DEPTH and alias expansions beyond
    MAX_VALUES, before anything walks the constructed data."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, here: tuple, open_nodes: set[int]) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        where = f"{path}:{node.start_mark.line + 1}: {dotted(here)}"
        if id(node) in open_nodes:
            raise ConfigError([f"{where}: the value contains itself (a recursive YAML alias); "
                               "write the value out"])
        if len(here) > MAX_DEPTH:
            raise ConfigError([f"{where}: nested more than {MAX_DEPTH} levels deep; a run config "
                               "is a few levels of mappings and lists"])
        open_nodes.add(id(node))
        total = 1 + sum(size(child, here + (part,), open_nodes) for part, child in _children(node))
        open_nodes.discard(id(node))
        if total > MAX_VALUES:
            raise ConfigError([f"{where}: expands to more than {MAX_VALUES:,} values (YAML "
                               "aliases repeating aliases?); a run config is a short file"])
        sizes[id(node)] = total
        return total

    size(root, (), set())


def dotted(loc: tuple) -> str:
    """A field path as `a.b.0.c`, each part printable and short."""
    return ".".join(shown(part, 40).strip("'") if isinstance(part, str) else str(part)
                    for part in loc) or "(top level)"


def parse_yaml(path: Path) -> tuple[Any, Locate]:
    """Strictly load `path`; also return a function mapping a field path to its line number."""
    text = _read_text(path)
    loader = StrictLoader(text)
    try:
        try:
            root = loader.get_single_node()
            if root is None:
                raw = None
            else:
                _check_shape(root, path)
                raw = loader.construct_document(root)
        except _NodeProblem as problem:
            line = problem.node.start_mark.line + 1
            loc = _path_of(root, problem.node) + ((problem.key,) if problem.key is not None
                                                  else ())
            raise ConfigError([f"{path}:{line}: {dotted(loc)}: {problem.message}"]) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else str(path)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ConfigError([f"{where}: invalid YAML: {problem}"]) from None
        except RecursionError:
            raise ConfigError([f"{path}: nested too deeply to read; a run config is a few levels "
                               "of mappings and lists"]) from None
    finally:
        loader.dispose()
    if not isinstance(raw, dict):
        raise ConfigError([f"{path}: a run config is a YAML mapping with keys name, data, universe, "
                           "signals, strategies, benchmark, costs, execution, report"])

    def locate(loc: tuple) -> int | None:
        node, line = root, None
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                matches = [(k, v) for k, v in node.value if k.value == str(key)]
                if not matches:
                    break
                key_node, node = matches[-1]  # the pair that won (merged keys come first)
                line = key_node.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                    and 0 <= key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line

    nonfinite = [f"{path}:{locate(loc) or '?'}: {dotted(loc)}: {nonfinite_message(value)}"
                 for loc, value in _nonfinite(raw, ())]
    if nonfinite:
        raise ConfigError(nonfinite)
    return raw, locate


def nonfinite_message(value: Any) -> str:
    """What is said about a NaN or infinite number wherever the config holds one."""
    return (f"{shown(value)} is not a finite number; give a number (NaN and infinity, also from "
            "literals beyond 1.8e308, are refused)")


def _nonfinite(value: Any, here: tuple) -> Iterator[tuple[tuple, float]]:
    """(path, value) of every NaN or infinite number in the loaded data."""
    if isinstance(value, float) and not math.isfinite(value):
        yield here, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nonfinite(item, here + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nonfinite(item, here + (index,))
