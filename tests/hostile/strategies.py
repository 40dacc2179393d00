"""Hostile values for the property-based tests: what a careless client, a fuzzer or an attacker sends.

Values are raw bytes, percent-encoded into the query string by the test itself, so a test can send what no
well-behaved client would: NUL bytes, invalid UTF-8 (a lone surrogate encoded as if it were a character), huge
strings, a parameter repeated. Known-good values are mixed in so the hostile ones reach the code behind the
validation too (a valid standard with a hostile rating, a real service twice).
"""

from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

SNIPPETS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "' OR 1=1 --",
    "'; DROP TABLE inspections_inspection; --",
    '" onmouseover="alert(1)',
    "<script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ 7|add:7 }}",
    "%(x)s %s {0}",
    "\\",
    "../../etc/passwd",
    "%",
    "_",
    "*",
    "-1",
    "0",
    "1e308",
    "NaN",
    "inf",
    "99999999999999999999999999999999",
    "-99999999999999999999999999999999",
    "2015-13-45",
    "0000-00-00",
    "٢٠١٥",
    "２０１５",
    "١",
    "\u202eevil",
    "\ufeff",
    "🙂" * 50,
    "null",
    "true",
    "[]",
    "{}",
    "x" * 5000,
]
# Invalid UTF-8: a lone surrogate (U+D800) as CESU would encode it, a stray continuation byte, a cut sequence.
BAD_UTF8 = [b"\xed\xa0\x80", b"\x80", b"\xc3", b"\xff\xfe", b"abc\xed\xb0\x80def"]


# The values that broke something once (NUL on PostgreSQL, a number too big for C, non-ASCII digits, invalid
# UTF-8, a huge string): every parameter gets each of them in the sweep tests, and hypothesis favours them.
CLASSIC = [
    b"a\x00b",
    b"\xed\xa0\x80",
    b"99999999999999999999999",
    "\u0662\u0660\u0661\u0665".encode(),
    b"\x00",
    b"\xff",
    b"-1",
    b"<script>alert(1)</script>",
    b"x" * 3000,
]
# The first few reach the database or a conversion: the sweep also sends them beside good values of the rest.
BESIDE_GOOD_VALUES = CLASSIC[:4]


def hostile_bytes(known: list[str] | None = None) -> st.SearchStrategy[bytes]:
    """One parameter value: a snippet, invalid UTF-8, random text or bytes, or (sometimes) a known-good value."""
    choices = [
        st.sampled_from(CLASSIC),
        st.sampled_from(SNIPPETS).map(lambda text: text.encode("utf-8")),
        st.sampled_from(BAD_UTF8),
        st.text(max_size=60).map(lambda text: text.encode("utf-8")),
        st.binary(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(lambda number: str(number).encode()),
    ]
    if known:
        choices.append(st.sampled_from(known).map(lambda text: text.encode("utf-8")))
    return st.one_of(*choices)


@st.composite
def hostile_query(draw, parameters: dict[str, list[str]]) -> str:
    """A query string over these parameters (name -> known-good values): some given, some repeated, all hostile.

    Now and then a parameter that nothing expects, or a parameter name that is itself hostile, comes along too.
    """
    names = draw(st.lists(st.sampled_from(sorted(parameters)), min_size=1, max_size=6))
    pairs = [(name.encode(), draw(hostile_bytes(parameters[name]))) for name in names]
    if draw(st.booleans()):
        pairs.append((draw(hostile_bytes()), draw(hostile_bytes())))
    return "&".join(f"{quote_from_bytes(name)}={quote_from_bytes(value)}" for name, value in pairs)
