"""Both languages, everywhere: every user-facing string has its English translation, and none escapes gettext.

Vietnamese is the source language; the English catalogue is config/locale/en/LC_MESSAGES/django.po. These
tests read the catalogue and the sources directly (no database), so they also catch strings that other
branches add.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "config/locale/en/LC_MESSAGES/django.po"
TEMPLATES = ROOT / "templates"

# Letters only Vietnamese uses here: its vowels with tone or shape marks, and đ.
VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]", re.IGNORECASE
)


# Vietnamese names an English text keeps: decision numbers (Decision 766/QĐ-TTg) and the currency (đồng).
VIETNAMESE_NAMES = re.compile(r"QĐ|\bđồng\b|Tiếng Việt")

# --- the catalogue ---


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def po_entries(path: Path = PO) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags, obsolete, line.

    A small reader of the format gettext writes (polib is not a dependency)."""
    entries, entry, key = [], None, None

    def close():
        if entry is not None and ("msgid" in entry):
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            close()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "obsolete": False, "line": number}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if key.startswith("msgstr"):
                index = int(key[7:-1]) if key.startswith("msgstr[") else 0
                entry["msgstr"][index] += _unquote(line)
            else:
                entry[key] += _unquote(line)
            continue
        keyword, _, value = line.partition(" ")
        key = keyword
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry["msgstr"][index] = _unquote(value)
        else:
            entry[keyword] = _unquote(value)
    close()
    return [e for e in entries if e["msgid"] and not e["obsolete"]]


def _name(entry: dict) -> str:
    context = f"[{entry['msgctxt']}] " if entry.get("msgctxt") else ""
    return f"{context}{entry['msgid']!r} (line {entry['line']})"


def test_every_catalogue_entry_has_an_english_translation():
    missing = [_name(e) for e in po_entries() if not all(s.strip() for s in e["msgstr"].values())]
    assert not missing, "untranslated entries in django.po:\n" + "\n".join(missing)


def test_no_catalogue_entry_is_fuzzy():
    fuzzy = [_name(e) for e in po_entries() if "fuzzy" in e["flags"]]
    assert not fuzzy, "fuzzy entries in django.po (check, then drop the flag):\n" + "\n".join(fuzzy)


def test_no_english_translation_is_left_in_vietnamese():
    """A msgstr copied from its Vietnamese msgid is not a translation."""
    left = [
        _name(e)
        for e in po_entries()
        if VIETNAMESE.search(e["msgid"])
        and any(VIETNAMESE.search(VIETNAMESE_NAMES.sub("", s)) for s in e["msgstr"].values())
    ]
    assert not left, "English translations still in Vietnamese:\n" + "\n".join(left)


def test_the_compiled_catalogue_answers_every_msgid_in_english():
    """The .mo the site runs with agrees with the .po (compilemessages was run after translating)."""
    with translation.override("en"):
        stale = [
            _name(e)
            for e in po_entries()
            if "msgid_plural" not in e
            and VIETNAMESE.search(e["msgid"])
            and (
                translation.pgettext(e["msgctxt"], e["msgid"])
                if e.get("msgctxt")
                else translation.gettext(e["msgid"])
            )
            == e["msgid"]
        ]
    assert not stale, "compile the catalogue (compilemessages); not translated at run time:\n" + "\n".join(
        stale
    )


# --- every msgid of the sources is in the catalogue ---

GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
PY_SOURCES = ["accounts", "config", "dossiers", "procedures", "seeds"]


def _python_files():
    for top in PY_SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def python_msgids() -> set[tuple[str, str]]:
    found = set()
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            args = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args
            ]
            if name in GETTEXT and args and args[0]:
                found.add(("", args[0]))
            elif name in PGETTEXT and len(args) > 1 and args[0] is not None and args[1]:
                found.add((args[0], args[1]))
    return found


TRANSLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)(?P<rest>[^%]*)%\}""", re.DOTALL
)
BLOCK_TAG = re.compile(
    r"\{%\s*(?:blocktranslate|blocktrans)(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}",
    re.DOTALL,
)
CONTEXT_ARG = re.compile(r"""context\s+(?P<q>["'])(?P<ctx>.*?)(?P=q)""")
VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def _template_files():
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


def _block_msgid(args: str, body: str) -> str:
    """The msgid makemessages writes for a blocktranslate body."""
    singular = re.split(r"\{%\s*plural\s*%\}", body)[0]
    if "trimmed" in args.split():
        singular = " ".join(line.strip() for line in singular.strip().splitlines() if line.strip())
    return VARIABLE.sub(lambda m: f"%({m.group(1)})s", singular.replace("%", "%%"))


def template_msgids() -> set[tuple[str, str]]:
    found = set()
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for m in TRANSLATE_TAG.finditer(text):
            ctx = CONTEXT_ARG.search(m.group("rest"))
            found.add((ctx.group("ctx") if ctx else "", m.group("text")))
        for m in BLOCK_TAG.finditer(text):
            ctx = CONTEXT_ARG.search(m.group("args"))
            found.add((ctx.group("ctx") if ctx else "", _block_msgid(m.group("args"), m.group("body"))))
    return found


def test_every_msgid_of_the_sources_is_in_the_catalogue():
    """A new gettext string without a catalogue entry: run makemessages and translate it."""
    catalogue = {(e.get("msgctxt", ""), e["msgid"]) for e in po_entries()}
    missing = sorted(
        (ctx, msgid)
        for ctx, msgid in python_msgids() | template_msgids()
        if VIETNAMESE.search(msgid) and (ctx, msgid) not in catalogue
    )
    assert not missing, "msgids missing from django.po (run makemessages, then translate):\n" + "\n".join(
        f"[{c}] {m!r}" if c else repr(m) for c, m in missing
    )


# --- no Vietnamese outside gettext in templates ---

# Always Vietnamese on purpose, so never scanned:
# - templates/pdf/: the printed forms of Circular 03/2025 and the signed results are legal documents;
# - the citizen's notifications restate those notices (receipt = Form 01, supplement request = Form 02,
#   apology = Form 04, result ready, supplement expired, the online filing's receipt, the refusal = Form 03)
#   and go out by email and SMS, which have no
#   language choice; dossiers.notify renders them in Vietnamese in every channel.
VIETNAMESE_ONLY_TEMPLATES = {
    "pdf/",
    "notify/receipt.txt",
    "notify/supplement_request.txt",
    "notify/apology.txt",
    "notify/result_ready.txt",
    "notify/supplement_expired.txt",
    "notify/submitted.txt",
    "notify/refusal.txt",
}
# Vietnamese words that are names, not text to translate (the language switch shows each language in
# its own name).
TEMPLATE_ALLOWED = {"Tiếng Việt"}
NOT_TEXT = [
    BLOCK_TAG,
    TRANSLATE_TAG,
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL),
    re.compile(r"\{#.*?#\}", re.DOTALL),
    re.compile(r"\{%.*?%\}", re.DOTALL),  # other tags: their arguments are code
    re.compile(r"\{\{.*?\}\}", re.DOTALL),  # variables: their values are checked where they are made
]


def _scanned_templates():
    for path in _template_files():
        name = path.relative_to(TEMPLATES).as_posix()
        if not any(
            name == entry or (entry.endswith("/") and name.startswith(entry))
            for entry in VIETNAMESE_ONLY_TEMPLATES
        ):
            yield name, path


def untranslated_template_text(text: str) -> list[str]:
    for pattern in NOT_TEXT:
        text = pattern.sub(" ", text)
    for allowed in TEMPLATE_ALLOWED:
        text = text.replace(allowed, " ")
    return [line.strip() for line in text.splitlines() if VIETNAMESE.search(line)]


def test_templates_have_no_vietnamese_outside_translate_tags():
    found = [
        f"templates/{name}: {line}"
        for name, path in _scanned_templates()
        for line in untranslated_template_text(path.read_text(encoding="utf-8"))
    ]
    assert not found, "wrap in {% translate %} or {% blocktranslate %}:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "text, found",
    [
        ('{% translate "Hồ sơ" %}', []),
        ("{% blocktranslate with c=code %}Hồ sơ {{ c }}{% endblocktranslate %}", []),
        ("{# Ghi chú #}<p>{{ d.tên }}</p>", []),
        ("<p>Hồ sơ</p>", ["<p>Hồ sơ</p>"]),
    ],
)
def test_the_template_scan_finds_bare_text_only(text, found):
    assert untranslated_template_text(text) == found


# --- no Vietnamese literals outside gettext in the Python that makes pages and API answers ---

SCANNED_PYTHON = [
    "accounts/admin.py",
    "procedures/admin.py",
    "dossiers/admin.py",
    "dossiers/admin_notify.py",
    "accounts/models.py",
    "accounts/forms.py",
    "accounts/views.py",
    "procedures/models.py",
    "dossiers/models",
    "dossiers/lifecycle/workflow.py",
    "dossiers/public",
    "dossiers/views",
    "dossiers/api",
    "dossiers/notify",
    "dossiers/reporting",
]
# Calls whose Vietnamese text is handed to gettext later or is documentation rather than page text.
TRANSLATING = GETTEXT | PGETTEXT
# The OpenAPI schema is one document for integrators: its texts (summaries, descriptions, help texts) are
# written in Vietnamese with English, not translated per reader.
API_DOCUMENTATION_KEYWORDS = {"summary", "description", "help_text"}
API_DOCUMENTATION_CALLS = {"OpenApiParameter", "OpenApiExample", "extend_schema", "_view"}
# (path, start of the literal): Vietnamese on purpose, each with its reason.
PYTHON_ALLOWED = {
    # The agency-code validator's message carries both languages in one string (the importer shows it as is).
    ("accounts/models.py", "Mã định danh phải có dạng"),
    # A DRF permission message the API's exception handler replaces by its own bilingual one.
    ("dossiers/api/permissions.py", "Chỉ công chức một cửa"),
    # English API documentation naming the Decision by its Vietnamese number.
    ("dossiers/api/stats.py", "Counts follow Decision 766/QĐ-TTg"),
    # The currency sign (đồng) in a fee's admin name.
    ("procedures/models.py", " đ/"),
}


def _python_scan_files():
    for entry in SCANNED_PYTHON:
        path = ROOT / entry
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [path])


def _is_english(node) -> bool:
    """A string literal or f-string with no Vietnamese in its text."""
    if isinstance(node, ast.JoinedStr):
        return all(_is_english(part) for part in node.values if isinstance(part, ast.Constant))
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and not VIETNAMESE.search(node.value)
    )


def _call_name(node) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def untranslated_python_literals(source: str, path: str = "") -> list[tuple[int, str]]:
    """Vietnamese string literals not inside gettext, not docstrings, not documentation of the API, and not
    the Vietnamese half of a (Vietnamese, English) pair: an error built from both is bilingual already."""
    tree = ast.parse(source)
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {
        node.body[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and VIETNAMESE.search(node.value)
        ):
            continue
        if node in docstrings or any(path == p and node.value.startswith(s) for p, s in PYTHON_ALLOWED):
            continue
        # Climb out of f-strings, concatenations and conditional values to what holds the text.
        child, holder = node, parent.get(node)
        while isinstance(holder, ast.JoinedStr | ast.FormattedValue | ast.BinOp | ast.IfExp):
            child, holder = holder, parent.get(holder)
        if isinstance(holder, ast.keyword):
            if path.startswith("dossiers/api/") and holder.arg in API_DOCUMENTATION_KEYWORDS:
                continue
            if holder.arg in ("vi", "message"):  # the Vietnamese side of a bilingual value
                continue
            child, holder = holder, parent.get(holder)
        if isinstance(holder, ast.Call):
            name = _call_name(holder)
            if name in TRANSLATING:
                continue
            if path.startswith("dossiers/api/") and name in API_DOCUMENTATION_CALLS:
                continue
            siblings = holder.args
        elif isinstance(holder, ast.Tuple | ast.List):
            siblings = holder.elts
        elif isinstance(holder, ast.Assign | ast.AugAssign) and _paired_assignment(holder):
            continue
        else:
            siblings = []
        if child in siblings:
            index = siblings.index(child)
            if index + 1 < len(siblings) and _is_english(siblings[index + 1]):
                continue  # (vi, en): bilingual by construction
        found.append((node.lineno, node.value))
    return found


def _paired_assignment(node) -> bool:
    """`x.message, x.message_en = "…", "…"` and `vi = "…"` beside `en = "…"`: bilingual values."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    names = [ast.unparse(t) for t in targets]
    return any(n.endswith(("message", "vi")) or ", " in n for n in names)


def test_python_user_facing_literals_are_wrapped_in_gettext():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in _python_scan_files()
        for line, text in untranslated_python_literals(
            path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix()
        )
    ]
    assert not found, "wrap in gettext (or pair with English if it is an error):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source, found",
    [
        ('x = _("Hồ sơ")', []),
        ('raise NotFound("Không tìm thấy.", "Not found.")', []),
        ('vi, en = "Tệp rỗng.", "Empty file."', []),
        ('raise Conflict(f"Không thể «{a}».", f"Cannot {a}.")', []),
        ('def f():\n    """Hồ sơ."""', []),
        ('LABELS = {"a": "Hồ sơ"}', [(1, "Hồ sơ")]),
        ('messages.success(request, "Đã lưu.")', [(1, "Đã lưu.")]),
    ],
)
def test_the_python_scan_finds_bare_literals_only(source, found):
    assert untranslated_python_literals(source) == found
