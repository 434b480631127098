"""fmt 2, XML: decoded with a hardened lxml parser (docs/security.md), written as text.

<list>                                   list: one <sender> a line, the name as its
<sender status="1" id="5">name</sender>  text, id/status/operator keys as attributes
</list>
<sender>\\n<id>5</id>\\n</sender>          created
<result>OK</result>                      ok
<result>\\n<error>description</error>\\n<error_code>N</error_code>\\n</result>   error
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any, NoReturn

from lxml import etree

from . import _values
from ._carry import CARRY
from ._errors import DecodeError, EncodeError, characters_in, line_start, line_text
from ._frozen import EMPTY, FrozenDict
from ._limits import (
    XML_ATTRIBUTE_BYTES,
    XML_NAME_BYTES,
    XML_TEXT_BYTES,
    check_xml_text,
    utf8_length_over,
)
from ._model import (
    ERROR_CODES,
    OPERATOR_KEYS,
    ApiError,
    Ok,
    Response,
    Sender,
    SenderCreated,
    SenderList,
)
from ._source import FORBIDDEN_IN_DECODED, describe_char
from ._values import OPERATOR_TEXT, SENDER_TEXT, Invalid, build_sender, number
from ._writing import (
    PlainList,
    check_number,
    check_string,
    plain_list,
    sender_parts,
    standard_description,
)

__all__ = ["decode", "encode"]

_WHITESPACE = " \t\n"
# What XML 1.0 cannot hold beyond spec §4.10's characters: U+FFFE and U+FFFF; and a CR,
# which a character reference could smuggle past the check on the raw text.
_CARRY = CARRY[2]
_KEYS = _CARRY.unknown_keys or re.compile("(?!)")
_NOT_XML = re.compile(f"{FORBIDDEN_IN_DECODED.pattern}|[{_CARRY.text_excludes}]")
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
)
_LXML_POSITION = re.compile(r", line \d+, column \d+$")
# The attributes of spec §2's operators=1 view, in the server's order.
_OPERATORS_ID = [*OPERATOR_KEYS, "id"]
# The operators=1 view's element, as a template.
_OPERATOR_SENDER = (
    "<sender" + "".join(f' {key}="%s"' for key in OPERATOR_KEYS) + ' id="%d">%s</sender>'
)
_CHAR_REF = re.compile(r"xmlParseCharRef: invalid xmlChar value (\d+)")


class _RefuseLoads(etree.Resolver):  # type: ignore[misc]
    """Refuses every external load: a response never needs one."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        raise _ExternalLoad(system_url or public_id)


class _ExternalLoad(Exception):
    pass


_local = threading.local()


def _parser(*, keep_markup: bool = False) -> etree.XMLParser:
    """The hardened parser; ``keep_markup`` keeps comments and PIs in the tree."""
    # lxml parsers are not thread-safe: one per thread.
    name = "markup_parser" if keep_markup else "parser"
    parser: etree.XMLParser | None = getattr(_local, name, None)
    if parser is None:
        parser = etree.XMLParser(
            encoding="utf-8",  # we decode the charset ourselves, then hand lxml UTF-8
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            attribute_defaults=False,
            huge_tree=False,
            recover=False,
            remove_comments=not keep_markup,
            remove_pis=not keep_markup,
        )
        parser.resolvers.add(_RefuseLoads())
        setattr(_local, name, parser)
    return parser


class _Reader:
    """Turns the parsed tree into the model, failing with the document's positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Only a character reference can put a character XML cannot hold, or a CR, into a
        # value: check_text refused them raw, and libxml2 refuses U+FFFE and U+FFFF.
        self.refs = "&#" in text

    def line_start(self, element: Any) -> int:
        return line_start(self.text, (element.sourceline or 1) - 1)

    def fail(self, msg: str, element: Any, needle: str = "", path: str | None = None) -> NoReturn:
        start = self.line_start(element)
        found = line_text(self.text, start).find(needle) if needle else -1
        # A needle " id=" finds an attribute: point at its name, not at the space before it.
        column = found + len(needle) - len(needle.lstrip()) if found >= 0 else 0
        raise DecodeError.at(msg, self.text, start + column, path=path)

    def string(
        self, value: str | None, element: Any, needle: str, path: str, *, attribute: bool = False
    ) -> str:
        if value is None:
            return ""
        bad = _NOT_XML.search(value) if self.refs else None  # a 5 MB name costs 50 ms
        if bad is not None:
            what = describe_char(bad.group())
            self.fail(f"{path}: the character {what} is not allowed", element, needle, path)
        # spec §4.17: libxml2 itself refuses a text over XML_TEXT_BYTES (CDATA sections
        # joined included), but reads an attribute value up to a bound that shifts with
        # the line: one between that and the encoder's limit is refused here. Escaping
        # makes a character at most 6 of up to 4 bytes: a shorter value is within it.
        if (
            attribute
            and len(value) * 24 > XML_ATTRIBUTE_BYTES
            and utf8_length_over(value.translate(_ATTR_ESCAPES), XML_ATTRIBUTE_BYTES)
        ):
            what = f"an attribute value holds at most {XML_ATTRIBUTE_BYTES:,}"
            self.fail(f"{path}: {what} bytes of UTF-8, escapes included", element, needle, path)
        return value

    def blank(self, value: str | None, element: Any, where: str, *, tail: bool = False) -> None:
        if not value or not value.strip(_WHITESPACE):
            return
        msg = f"unexpected text {value.strip(_WHITESPACE)[:20]!r} {where}"
        # lxml gives text no position: find it as written right after the markup it follows
        # (the element's end tag for a tail, else its start tag). Text written with
        # references is not found so; the error then points at the element.
        for markup in (f"</{element.tag}>", "/>") if tail else (">",):
            found = self.text.find(markup + value, self.line_start(element))
            if found >= 0:
                found += len(markup) + len(value) - len(value.lstrip(_WHITESPACE))
                raise DecodeError.at(msg, self.text, found)
        self.fail(msg, element)

    def no_namespace_declaration(self, root: Any) -> None:
        """spec §4.14: namespaces are refused, a declaration nothing uses included: it
        could not be written back."""
        for element in root.iter():
            # nsmap holds the declarations in scope: the first element that has one
            # declares it itself.
            if element.nsmap:
                prefix = next(iter(element.nsmap))
                name = "xmlns" if prefix is None else f"xmlns:{prefix}"
                self.fail(f"the namespace declaration {name} is not allowed", element, name)

    def no_markup_in_values(self, root: Any) -> None:
        """spec §4.14: a comment or a PI inside an element's text would join the text on
        either side of it (``1<!--x-->3`` read as 13): refused. Between elements, or around
        the root, they are dropped."""
        for node in root.iter(etree.Comment, etree.ProcessingInstruction):
            parent = node.getparent()
            if parent is None or parent.tag == "list":
                continue
            if any(isinstance(child.tag, str) for child in parent):
                continue  # between the elements of <result> or of the created <sender>
            what = "a comment" if node.tag is etree.Comment else "a processing instruction"
            start = self.line_start(node)
            found = self.text.find("<!--" if node.tag is etree.Comment else "<?", start)
            raise DecodeError.at(
                f"{what} is not allowed inside the value of <{parent.tag}>",
                self.text,
                found if found >= 0 else start,
            )

    def leaf(self, element: Any, path: str) -> str:
        """The text of an element that may hold neither attributes nor elements."""
        if len(element) or element.attrib:
            self.fail(f"{path}: <{element.tag}> holds only text", element, f"<{element.tag}", path)
        self.blank(element.tail, element, f"after <{element.tag}>", tail=True)
        return self.string(element.text, element, f"<{element.tag}", path)

    def response(self, root: Any) -> Response:
        tag = root.tag
        if tag == "list":
            return self.sender_list(root)
        if root.attrib:
            self.fail(f"<{tag}> has no attributes", root, f"<{tag}")
        if tag == "sender":
            return self.created(root)
        if tag == "result":
            return self.result(root)
        self.fail(f"expected <list>, <sender> or <result>, found <{tag}>", root, f"<{tag}")

    def sender_list(self, root: Any) -> SenderList:
        if root.attrib:
            self.fail("<list> has no attributes", root, "<list")
        self.blank(root.text, root, "in <list>")
        if _values.FAST_PATHS and not self.refs:
            # No value needs a check of its own: a list as the server writes it is read
            # straight from lxml, anything else by the exact loop below.
            plain = _plain_senders(root)
            if plain is not None:
                return SenderList(senders=tuple(plain))
        senders = []
        for index, element in enumerate(root):
            path = f"senders[{index}]"
            if element.tag != "sender":
                self.fail(f"{path}: expected <sender>, found <{element.tag}>", element, "<", path)
            if len(element):
                self.fail(f"{path}: <sender> holds only its name", element, "<sender", path)
            self.blank(element.tail, element, "between senders", tail=True)
            name = self.string(element.text, element, ">", f"{path}.name")
            items = _items(element)
            for key, value in items:
                if key.startswith("{"):
                    self.fail(
                        f"{path}: the namespaced attribute {key} is not allowed", element, path=path
                    )
                self.string(value, element, f" {key}=", f"{path}.{key}", attribute=True)
            try:
                senders.append(build_sender(name, items, index))
            except Invalid as exc:
                needle = f" {items[exc.field][0]}=" if exc.field >= 0 else "<sender"
                self.fail(exc.msg, element, needle, exc.path)
        return SenderList(senders=tuple(senders))

    def children(
        self, root: Any, allowed: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """The child elements by tag: ``allowed`` ones, and any other as an unknown key
        (spec §4.24), each at most once."""
        self.blank(root.text, root, f"in <{root.tag}>")
        found: dict[str, Any] = {}
        for child in root:
            if child.tag in _SHAPE_TAGS:  # a response in a response: no unknown key
                self.fail(f"unexpected <{child.tag}> in <{root.tag}>", child, f"<{child.tag}")
            if child.tag in found:
                self.fail(f"<{child.tag}> is given twice", child, f"<{child.tag}")
            found[child.tag] = child
        for tag in allowed:
            if tag not in found and tag not in optional:
                self.fail(f"<{root.tag}> has no <{tag}>", root, f"<{root.tag}")
        return found

    def extra(self, found: dict[str, Any], known: tuple[str, ...]) -> Mapping[str, str]:
        """The unknown child elements' texts, in order (spec §4.24); the shared empty
        mapping for the common answer that has none, which the model then keeps as it is."""
        extra = {
            tag: self.leaf(child, f"extra.{tag}")
            for tag, child in found.items()
            if tag not in known
        }
        return extra or EMPTY

    def created(self, root: Any) -> SenderCreated:
        found = self.children(root, ("id",))
        child = found["id"]
        try:
            sender_id = number(self.leaf(child, "id"), "an id", "id", 1)
        except Invalid as exc:
            self.fail(exc.msg, child, "<id", exc.path)
        return SenderCreated(sender_id, self.extra(found, ("id",)))

    def result(self, root: Any) -> Ok | ApiError:
        if not len(root):
            if (root.text or "").strip(_WHITESPACE) != "OK":
                self.fail("<result> holds OK or an error", root, "<result")
            return Ok()
        # spec §4.15: an error without <error> has no description, as in every format.
        found = self.children(root, ("error", "error_code"), optional=("error",))
        description = self.leaf(found["error"], "description") if "error" in found else None
        try:
            code = number(self.leaf(found["error_code"], "code"), "an error code", "code")
        except Invalid as exc:
            self.fail(exc.msg, found["error_code"], "<error_code", exc.path)
        return ApiError(ERROR_CODES[code], description, self.extra(found, ("error", "error_code")))


def _plain_senders(root: Any) -> list[Sender] | None:
    """The senders of a list exactly as the server writes it, read straight from lxml.

    Each is what sender_list's exact loop makes of it; None as soon as one is anything
    else (another element, an unknown attribute or code, a long id...), and the exact
    loop then reads the list, or refuses it with its error. No value needs a character
    check here: see ``refs``.
    """
    senders: list[Sender] = []
    append = senders.append
    for element in root.iterchildren("sender"):
        tail = element.tail
        if len(element) or (tail != "\n" and tail and tail.strip(_WHITESPACE)):
            return None
        # get() and len(attrib) walk the attributes once each: cheaper than keys() and
        # values() for the views of one or two (whose order does not matter).
        digits = element.get("id")
        # The common case: fewer than 19 digits are under 2^63-1.
        if digits is None or not (len(digits) < 19 and digits.isdigit() and digits.isascii()):
            return None
        sender_id = int(digits)
        count = len(element.attrib)
        if not sender_id:
            return None
        if count == 1:
            append(Sender(name=element.text or "", id=sender_id))
        elif count == 2 and (status := SENDER_TEXT.get(element.get("status"))) is not None:
            append(Sender(name=element.text or "", id=sender_id, status=status))
        elif count == len(_OPERATORS_ID) and element.keys() == _OPERATORS_ID:
            try:
                # The keys run out first: the id is not looked up.
                statuses = map(OPERATOR_TEXT.__getitem__, element.values())
                operators = FrozenDict(zip(OPERATOR_KEYS, statuses, strict=False))
            except KeyError:
                return None
            append(Sender(name=element.text or "", id=sender_id, operators=operators))
        else:
            return None
    # Every child was a <sender>: len() counts them all (comments and PIs are removed).
    return senders if len(senders) == len(root) else None


def _items(element: Any) -> list[tuple[str, str]]:
    """An element's attributes in order: lxml's items() looks each value up by name, so it
    is quadratic in their number (10,000 take 1 s); XPath's ``@*`` walks them once."""
    if len(element.attrib) <= 32:
        return element.items()  # type: ignore[no-any-return]
    return [(node.attrname, str(node)) for node in element.xpath("@*")]


def _columns_in_bytes() -> bool:
    """Whether this libxml2 counts an error's column in bytes of UTF-8 (before 2.14) or in
    characters (2.14 and later): the same error after one ASCII and after one 2-byte
    character tells, whatever version is installed (spec §4.13)."""
    columns = []
    for probe in (b"<a>Z&</a>", "<a>Я&</a>".encode()):
        try:
            etree.fromstring(probe, etree.XMLParser())
        except etree.XMLSyntaxError as exc:
            columns.append(exc.position[1] if exc.position else 0)
    etree.clear_error_log()  # the probe's errors are nobody's
    return len(columns) == 2 and columns[1] > columns[0]


_COLUMNS_IN_BYTES = _columns_in_bytes()


def _syntax_error(exc: etree.XMLSyntaxError, text: str, data: bytes) -> DecodeError:
    line, column = exc.position if exc.position else (1, 1)
    # libxml2 ends some messages with a newline, before the position lxml adds.
    message = _LXML_POSITION.sub("", (exc.msg or "not well-formed XML").strip()).strip()
    if message.startswith("CData section not finished"):
        # libxml2 quotes the section's start after a newline: the document, not the reason.
        message = message.split("\n", 1)[0]
    char_ref = _CHAR_REF.fullmatch(message)
    if char_ref is not None:  # libxml2 names its own function here
        message = f"a character reference to U+{int(char_ref.group(1)):04X} is not allowed in XML"
    lines = data.split(b"\n")
    if line > len(lines):
        return DecodeError.at(message, text, len(text))
    if _COLUMNS_IN_BYTES:  # bytes of the UTF-8 given to libxml2, into characters
        start = sum(len(part) + 1 for part in lines[: line - 1])
        end = start + min(max(column - 1, 0), len(lines[line - 1]))
        return DecodeError.at(message, text, characters_in(data[:end]))
    start = line_start(text, line - 1)
    width = len(line_text(text, start))
    return DecodeError.at(message, text, start + min(max(column - 1, 0), width))


def decode(text: str, utf8: bytes | None = None) -> Response:
    """Decode fmt 2 text (already checked and LF-only; ``utf8`` its UTF-8, if the caller
    has it) into the model. The text gate has read the XML declaration (spec §4.9)."""
    if not text.strip(_WHITESPACE):
        raise DecodeError.at("an XML response cannot be empty", text, len(text))  # spec §4.8
    doctype = text.find("<!DOCTYPE")
    if doctype >= 0:
        # A response never needs a DTD; refusing it up front keeps entity tricks out.
        raise DecodeError.at("a DOCTYPE is not allowed in a response", text, doctype)
    data = text.encode("utf-8") if utf8 is None else utf8
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, text, data) from None
    except _ExternalLoad as exc:  # pragma: no cover - no DOCTYPE reaches the parser
        raise DecodeError.at(f"an external resource {exc} was named", text, 0) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise DecodeError.at("a DOCTYPE is not allowed in a response", text, 0)  # pragma: no cover
    if not isinstance(root.tag, str) or root.tag.startswith("{"):
        raise DecodeError.at("expected <list>, <sender> or <result>", text, 0)
    reader = _Reader(text)
    if "xmlns" in text:
        reader.no_namespace_declaration(root)
    # A declaration is no PI: look for "<?" after it.
    if "<!--" in text or "<?" in text[5 if text.startswith("<?xml") else 0 :]:
        reader.no_markup_in_values(etree.fromstring(data, _parser(keep_markup=True)))
    return reader.response(root)


def _xml_string(value: object, path: str) -> str:
    text = check_string(value, path)
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise EncodeError(f"XML cannot hold the character {describe_char(bad.group())}", path=path)
    return text


def _text(value: object, path: str) -> str:
    text = _xml_string(value, path)
    check_xml_text(text, path)  # spec §4.17
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute_name(key: str, path: str) -> str:
    if utf8_length_over(key, XML_NAME_BYTES):  # spec §4.17
        raise EncodeError(
            f"an XML attribute name holds at most {XML_NAME_BYTES:,} bytes of UTF-8", path=path
        )
    if key.startswith("{"):  # lxml takes "{uri}name" as a namespaced name; XML has none
        raise EncodeError(f"{key!r} cannot be an XML attribute name", path=path)
    try:
        etree.Element("x").set(key, "")
    except ValueError:
        raise EncodeError(f"{key!r} cannot be an XML attribute name", path=path) from None
    if not _KEYS.fullmatch(key) or key in _CARRY.reserved_keys:
        # xmlns="..." is a namespace declaration, not an attribute: the element it is
        # written on would become {...}sender, which no decoder reads as a sender.
        raise EncodeError(f"{key!r} would need a namespace", path=path)
    return key


def _sender(sender: Sender, index: int) -> str:
    parts = list(sender_parts(sender, index))  # checks that it is a Sender first
    name = _text(sender.name, f"senders[{index}].name")
    attributes = []
    for key, value, path, known in parts:
        if not known:
            _attribute_name(key, path)
            if not isinstance(value, str):
                raise EncodeError(
                    f"XML attributes hold only text, not {type(value).__name__}", path=path
                )
            value = _xml_string(value, path).translate(_ATTR_ESCAPES)
            if utf8_length_over(value, XML_ATTRIBUTE_BYTES):  # spec §4.17
                raise EncodeError(
                    f"an XML attribute value holds at most {XML_ATTRIBUTE_BYTES:,} bytes of"
                    " UTF-8, escapes included",
                    path=path,
                )
        attributes.append(f' {key}="{value}"')
    return f"<sender{''.join(attributes)}>{name}</sender>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain_senders_text(plain: PlainList) -> str:
    """What encode writes for a checked list (see plain_list) whose names XML can hold."""
    names, ids, joined = plain.names, plain.ids, plain.joined
    if "&" in joined or "<" in joined or ">" in joined:
        names = list(map(_escape, names))
    if plain.operators is not None:
        columns = [plain.operators[key] for key in OPERATOR_KEYS]
        lines = [_OPERATOR_SENDER % row for row in zip(*columns, ids, names, strict=True)]
    elif plain.statuses is not None:
        rows = zip(names, plain.statuses, ids, strict=True)
        lines = [
            f'<sender status="{status}" id="{id_}">{name}</sender>' for name, status, id_ in rows
        ]
    else:
        lines = [
            f'<sender id="{id_}">{name}</sender>' for name, id_ in zip(names, ids, strict=True)
        ]
    return "<list>\n" + "\n".join(lines) + "\n</list>"


def encode(response: Response) -> str:
    """Write the model as fmt 2 XML, in the server's layout: no declaration, a line each."""
    if isinstance(response, SenderList):
        plain = plain_list(response.senders)
        if (
            plain is not None
            and (plain.joined.isprintable() or not _NOT_XML.search(plain.joined))
            and max(map(len, plain.names)) * 4 <= XML_TEXT_BYTES
        ):
            return _plain_senders_text(plain)
        lines = [_sender(sender, index) for index, sender in enumerate(response.senders)]
        return "\n".join(["<list>", *lines, "</list>"])
    if isinstance(response, SenderCreated):
        sender_id = check_number(response.id, "id", 1)
        extra = _extra_elements(response.extra, ("id",))
        return f"<sender>\n<id>{sender_id}</id>\n{extra}</sender>"
    if isinstance(response, ApiError):
        code = check_number(response.code, "code")
        description = _text(standard_description(response), "description")
        extra = _extra_elements(response.extra, ("error", "error_code"))
        return (
            f"<result>\n<error>{description}</error>\n<error_code>{code}</error_code>\n"
            f"{extra}</result>"
        )
    return "<result>OK</result>"


# The root elements of spec §2's shapes: never an answer's unknown key (spec §4.24).
_SHAPE_TAGS = frozenset(("list", "sender", "result"))


def _element_name(key: str, path: str) -> None:
    """``key`` if it can name an XML element with no namespace (spec §4.14, 4.17)."""
    if utf8_length_over(key, XML_NAME_BYTES):
        raise EncodeError(
            f"an XML element name holds at most {XML_NAME_BYTES:,} bytes of UTF-8", path=path
        )
    try:
        etree.Element(key)
    except ValueError:
        raise EncodeError(f"{key!r} cannot be an XML element name", path=path) from None
    if ":" in key or key.startswith("{"):
        raise EncodeError(f"{key!r} would need a namespace", path=path)


def _extra_elements(extra: Mapping[str, Any], reserved: tuple[str, ...]) -> str:
    """An error's or a created answer's unknown keys as child elements after its own, one
    a line, each with its newline (spec §4.24)."""
    if not extra:
        return ""  # the common answer: the cost of one call
    lines = []
    for key, value in extra.items():
        path = f"extra.{key}"
        if not isinstance(key, str):
            raise TypeError(f"extra keys must be str, not {type(key).__name__}")
        if key in reserved or key in _SHAPE_TAGS:
            which = "the answer's own element" if key in reserved else "a response's element"
            raise EncodeError(f"<{key}> is {which}", path=path)
        _element_name(key, path)
        if not isinstance(value, str):
            raise EncodeError(f"XML elements hold only text, not {type(value).__name__}", path=path)
        lines.append(f"<{key}>{_text(value, path)}</{key}>\n")
    return "".join(lines)
