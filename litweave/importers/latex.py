"""LaTeX to Unicode for BibTeX values: accents, commands, dashes and protective braces.

Pure: takes a field value as written in a .bib file, gives display text. Protective braces
("{DNA}") are removed for display while the case inside them is kept as written; formatting
commands (\\emph, \\textit, \\textbf…) keep their argument; `--` and `---` become dashes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.macrospec import MacroSpec

from litweave.importers.aas_journals import AAS_JOURNALS

# Font switches that take no argument: they change the look of what follows, not the text.
_DECLARATIONS = (
    "sc",
    "it",
    "bf",
    "em",
    "rm",
    "sf",
    "tt",
    "sl",
    "upshape",
    "scshape",
    "itshape",
    "bfseries",
    "normalfont",
    "small",
    "footnotesize",
    "large",
)

# Macros whose default rendering does not suit bibliographic text.
_EXTRA_MACROS = [
    MacroTextSpec("url", simplify_repl="%(1)s"),
    MacroTextSpec("href", simplify_repl="%(2)s"),
    MacroTextSpec("doi", simplify_repl="%(1)s"),
    MacroTextSpec("textsuperscript", simplify_repl="\x02%(1)s\x03"),
    MacroTextSpec("textsubscript", simplify_repl="\x04%(1)s\x05"),
    MacroTextSpec("lwsup", simplify_repl="\x02%(1)s\x03"),
    MacroTextSpec("lwsub", simplify_repl="\x04%(1)s\x05"),
    MacroTextSpec("mbox", simplify_repl="%(1)s"),
    MacroTextSpec("mkbibemph", simplify_repl="%(1)s"),
    MacroTextSpec("mkbibitalic", simplify_repl="%(1)s"),
    MacroTextSpec("mkbibbold", simplify_repl="%(1)s"),
    MacroTextSpec("sp", simplify_repl="\x02%(1)s\x03"),
    MacroTextSpec("sb", simplify_repl="\x04%(1)s\x05"),
    *[MacroTextSpec(name, simplify_repl="") for name in _DECLARATIONS],
    MacroTextSpec("mkbibquote", simplify_repl="\u201c%(1)s\u201d"),
    MacroTextSpec("enquote", simplify_repl="\u201c%(1)s\u201d"),
    MacroTextSpec("textless", simplify_repl="<"),
    MacroTextSpec("textgreater", simplify_repl=">"),
    MacroTextSpec("langle", simplify_repl="\u27e8"),
    MacroTextSpec("rangle", simplify_repl="\u27e9"),
    MacroTextSpec("textbackslash", simplify_repl="\\"),
    MacroTextSpec("textbraceleft", simplify_repl="{"),
    MacroTextSpec("textbraceright", simplify_repl="}"),
    MacroTextSpec("textasciicircum", simplify_repl="^"),
    MacroTextSpec("textasciitilde", simplify_repl="~"),
    MacroTextSpec("ElsevierGlyph", simplify_repl=lambda node, l2tobj: _glyph(node, l2tobj)),
    MacroTextSpec("overline", simplify_repl=lambda node, l2tobj: _combine(node, l2tobj, "\u0305")),
    # \ocirc is the ring accent MathSciNet's BibTeX defines in its @preamble ("Franc{\ocirc{u}}")
    MacroTextSpec("ocirc", simplify_repl=lambda node, l2tobj: _combine(node, l2tobj, "\u030a")),
    MacroTextSpec("relax", simplify_repl=""),
    MacroTextSpec("noopsort", simplify_repl=""),
    MacroTextSpec("TeX", simplify_repl="TeX"),
    MacroTextSpec("LaTeX", simplify_repl="LaTeX"),
    MacroTextSpec("LaTeXe", simplify_repl="LaTeX2e"),
    MacroTextSpec("BibTeX", simplify_repl="BibTeX"),
    MacroTextSpec("XeTeX", simplify_repl="XeTeX"),
    MacroTextSpec("AmS", simplify_repl="AMS"),
    MacroTextSpec("NoCaseChange", simplify_repl="%(1)s"),
    MacroTextSpec("nocase", simplify_repl="%(1)s"),
    MacroTextSpec("imath", simplify_repl="\u0131"),
    MacroTextSpec("jmath", simplify_repl="\u0237"),
    MacroTextSpec("slash", simplify_repl="/"),
    # biblatex's hyphens that allow (or forbid) a line break: "methodology\hyphen independent"
    MacroTextSpec("hyphen", simplify_repl="-"),
    MacroTextSpec("nbhyphen", simplify_repl="-"),
    # biblatex's "and following page(s)": `pages = {579\psqq}` prints "579 ff."
    MacroTextSpec("psq", simplify_repl=" f."),
    MacroTextSpec("psqq", simplify_repl=" ff."),
    # a break point: the text without a break is the third argument
    MacroTextSpec("discretionary", simplify_repl="%(3)s"),
    MacroTextSpec("symbol", simplify_repl=lambda node, l2tobj: _symbol(node, l2tobj)),
    *[MacroTextSpec(name, simplify_repl=abbreviation) for name, abbreviation in AAS_JOURNALS.items()],
]
_EXTRA_ARGS = [
    MacroSpec("url", "{"),
    MacroSpec("href", "{{"),
    MacroSpec("doi", "{"),
    MacroSpec("textsuperscript", "{"),
    MacroSpec("textsubscript", "{"),
    MacroSpec("lwsup", "{"),
    MacroSpec("lwsub", "{"),
    MacroSpec("mbox", "{"),
    MacroSpec("mkbibemph", "{"),
    MacroSpec("mkbibitalic", "{"),
    MacroSpec("mkbibbold", "{"),
    MacroSpec("sp", "{"),
    MacroSpec("sb", "{"),
    *[MacroSpec(name, "") for name in _DECLARATIONS],
    MacroSpec("mkbibquote", "{"),
    MacroSpec("enquote", "{"),
    MacroSpec("noopsort", "{"),
    MacroSpec("ElsevierGlyph", "{"),
    MacroSpec("overline", "{"),
    MacroSpec("ocirc", "{"),
    MacroSpec("NoCaseChange", "{"),
    MacroSpec("nocase", "{"),
    MacroSpec("discretionary", "{{{"),
    MacroSpec("symbol", "{"),
]


def _argument_text(node, l2t) -> str:  # type: ignore[no-untyped-def]
    args = node.nodeargd.argnlist if node.nodeargd is not None else []
    return l2t.nodelist_to_text([a for a in args if a is not None])  # type: ignore[no-any-return]


def _glyph(node, l2t) -> str:  # type: ignore[no-untyped-def]
    """Elsevier's `\\ElsevierGlyph{2014}`: the character of that hexadecimal code point."""
    code = _argument_text(node, l2t).strip()
    if re.fullmatch(r"[0-9A-Fa-f]{4,5}", code):
        return chr(int(code, 16))
    return "\\ElsevierGlyph{" + code + "}"


_SYMBOL_CODE = re.compile(r"(?P<dec>\d{1,3})|\"(?P<hex>[0-9A-Fa-f]{1,2})|'(?P<oct>[0-7]{1,3})")


def _symbol(node, l2t) -> str:  # type: ignore[no-untyped-def]
    """`\\symbol{126}`: the character of that code in the font, for the codes of printable ASCII
    the ASCII character (`\\symbol{"7E}` is hexadecimal, `\\symbol{'176}` octal)."""
    code = _argument_text(node, l2t).strip()
    m = _SYMBOL_CODE.fullmatch(code)
    if m:
        value = int(m["dec"]) if m["dec"] else int(m["hex"], 16) if m["hex"] else int(m["oct"], 8)
        if 32 <= value < 127:
            return chr(value)
    return "\\symbol{" + code + "}"


def _combine(node, l2t, mark: str) -> str:  # type: ignore[no-untyped-def]
    """Each character of the argument with a combining mark (an overline, a ring) above it."""
    return "".join(unicodedata.normalize("NFC", c + mark) for c in _argument_text(node, l2t))


# An accent over nothing (`\\~{}`, or `\\^` before a space or brace) is the character itself.
_BARE_ACCENT = re.compile(r"\\([~^])(?:\{\}|(?![A-Za-z{\\\s]))")

_SUPERSCRIPTS = dict(zip("0123456789+-=()niaeo", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃᵉᵒ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", strict=True))
_MATH = re.compile(r"(?<!\\)\$([^$]*)\$")
_SCRIPT = re.compile(r"([_^])(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[^\s{}\\])")


# TeX's named operators: in math a thin space parts them from what they apply to ("tan α")
_OPERATORS = frozenset(
    "arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim liminf "
    "limsup ln log max min Pr sec sin sinh sup tan tanh".split()
)
_SCRIPT_MARKS = frozenset({"lwsup", "lwsub"})


def _trailing_space(node) -> str:  # type: ignore[no-untyped-def]
    """The blank written after a command: after its name when it takes no argument (`\\Alpha `),
    after the command that is its argument otherwise (`\\'\\i `)."""
    if not node.isNodeType(latexwalker.LatexMacroNode):
        return ""
    args = [a for a in (node.nodeargd.argnlist if node.nodeargd is not None else []) if a is not None]
    if not args:
        return node.macro_post_space or ""
    return _trailing_space(args[-1])


def _first_char(nodes, start: int) -> str:  # type: ignore[no-untyped-def]
    """The first character of what `nodes[start:]` writes, looking into groups ("\\" for a
    command, "" for nothing)."""
    for node in nodes[start:]:
        if node.isNodeType(latexwalker.LatexCharsNode) and node.chars.strip():
            return node.chars.lstrip()[0]
        if node.isNodeType(latexwalker.LatexGroupNode):
            inner = _first_char(node.nodelist, 0)
            if inner:
                return inner
        elif not node.isNodeType(latexwalker.LatexCharsNode):
            return "\\"
    return ""


def _stands_alone(text: str, where: str) -> bool:
    """What a command wrote is parted from what follows by the blank written after it: outside
    math, a Greek letter or a mathematical symbol, which TeX has in math only, so that a .bib
    author writing `\\Alpha and` there never had TeX's rule (the blank ends the command's name)
    and meant a word break; in math, where TeX sets letters side by side (`$\\mu m$` is "μm"),
    a symbol only (`\\to`: "δ → 1")."""
    last = text.rstrip()[-1:]
    if not last:
        return False
    return unicodedata.category(last) == "Sm" or (where == "letter" and unicodedata.name(last, "").startswith("GREEK"))


class _BibText(LatexNodes2Text):
    """pylatexenc's conversion, with two changes for bibliographic text.

    An unknown command on its own stays visible as written (`\\unknown`), as Better BibTeX and
    citation-js keep it, so that the reader sees what was not understood instead of losing it;
    one followed by an argument (`\\unknown{word}`) was removed by `_drop_unknown_before_group`,
    so that its argument reads as text the way a formatting command (the usual kind) shows.

    The blank after a command's name is TeX's end of the name when a letter follows it, so
    `Mart\\'\\i nez`, `\\AA ngstr\\"om` and `The \\TeX book` read "Martínez", "Ångström" and
    "The TeXbook"; it is kept where it cannot be that: after a Greek letter or a symbol
    (`\\Alpha and` is "Α and"), and before anything but a letter (`\\'\\i \\'i` is "í í"). In
    math, where TeX sets things side by side, it is kept only next to a symbol (`$\\delta \\to 1$`
    is "δ → 1", `$\\mu m$` "μm"), and a named operator is parted from its operand
    (`$\\tan{\\alpha}$` is "tan α").
    """

    def nodelist_to_text(self, nodelist):  # type: ignore[no-untyped-def]
        for i, node in enumerate(nodelist):
            if not node.isNodeType(latexwalker.LatexMacroNode) or i + 1 == len(nodelist):
                continue
            after = _first_char(nodelist, i + 1)
            if node.macroname in _OPERATORS:
                following = nodelist[i + 1]
                script = following.isNodeType(latexwalker.LatexMacroNode) and following.macroname in _SCRIPT_MARKS
                node.litweave_after = "operand" if (after == "\\" and not script) or after.isalnum() else ""
            elif after and _trailing_space(node) and node.parsing_state.in_math_mode:
                node.litweave_after = "symbol" if self._symbol(nodelist[i + 1]) else "math"
            elif after and _trailing_space(node):
                node.litweave_after = "letter" if after.isalpha() else "other"
        return super().nodelist_to_text(nodelist)

    def _symbol(self, node) -> bool:  # type: ignore[no-untyped-def]
        """Whether the node starts with a mathematical symbol: `=`, or a command writing one (→, ≤)."""
        if node.isNodeType(latexwalker.LatexCharsNode):
            return unicodedata.category(node.chars.lstrip()[:1] or " ") == "Sm"
        if not node.isNodeType(latexwalker.LatexMacroNode):
            return False
        spec = self.latex_context.get_macro_spec(node.macroname)
        repl = spec.simplify_repl if spec is not None and isinstance(spec.simplify_repl, str) else ""
        return len(repl.strip()) == 1 and unicodedata.category(repl.strip()) == "Sm"

    def macro_node_to_text(self, node):  # type: ignore[no-untyped-def]
        if self.latex_context.get_macro_spec(node.macroname) is None:
            return "\\" + node.macroname + (" " if getattr(node, "macro_post_space", "") else "")
        text: str = super().macro_node_to_text(node)
        after = getattr(node, "litweave_after", "")
        if after in ("operand", "other", "symbol") or (after in ("letter", "math") and _stands_alone(text, after)):
            return text + " "
        return text


_COMMAND_BEFORE_GROUP = re.compile(r"\\([A-Za-z]+)\s*(?=\{)")


def _drop_unknown_before_group(source: str, conv: LatexNodes2Text) -> str:
    def repl(m: re.Match[str]) -> str:
        known = m.group(1) in ("begin", "end") or conv.latex_context.get_macro_spec(m.group(1)) is not None
        return m.group(0) if known else ""

    return _COMMAND_BEFORE_GROUP.sub(repl, source)


def _mark_scripts(math: str) -> str:
    """Inside math, `x^2` and `x_{2}` become marker macros turned into Unicode after conversion."""

    def repl(m: re.Match[str]) -> str:
        arg = m.group(2)
        arg = arg[1:-1] if arg.startswith("{") else arg
        return ("\\lwsup{" if m.group(1) == "^" else "\\lwsub{") + arg + "}"

    return "$" + _SCRIPT.sub(repl, math) + "$"


def _render_scripts(text: str) -> str:
    """Marked super/subscripts as Unicode when every character has a form, else as plain text."""

    def sup(m: re.Match[str]) -> str:
        inner = m.group(1)
        return "".join(_SUPERSCRIPTS[c] for c in inner) if inner and all(c in _SUPERSCRIPTS for c in inner) else inner

    def sub(m: re.Match[str]) -> str:
        inner = m.group(1)
        return "".join(_SUBSCRIPTS[c] for c in inner) if inner and all(c in _SUBSCRIPTS for c in inner) else inner

    text = re.sub("\x02([^\x02\x03]*)\x03", sup, text)
    return re.sub("\x04([^\x04\x05]*)\x05", sub, text)


@lru_cache(maxsize=1)
def _converter() -> tuple[LatexNodes2Text, object]:
    text_db = get_default_latex_context_db()
    text_db.add_context_category("litweave", prepend=True, macros=_EXTRA_MACROS)
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category("litweave", prepend=True, macros=_EXTRA_ARGS)
    # blanks after commands are `_BibText`'s to keep or drop, in math too
    spaces = {"between-macro-and-chars": True, "between-latex-constructs": True, "after-comment": False}
    conv = _BibText(latex_context=text_db, math_mode="text", keep_comments=True, strict_latex_spaces=spaces)
    return conv, walker_db


def known_command(name: str) -> bool:
    """Whether `\\name` is a command the decoding turns into text; one it does not know on its own
    stays as written (`_BibText`)."""
    return _converter()[0].latex_context.get_macro_spec(name) is not None


# `\\a'`, `\\a\``, `\\a=`: the accents of the tabbing environment, where `\\'` sets a tab
_TABBING_ACCENT = re.compile(r"\\a(?=['`=])")
# A command's name is ASCII letters; pylatexenc would read on into "ê" (`\\L\\lêáé`)
_NAME_BEFORE_NON_ASCII = re.compile(r"(\\[A-Za-z]+)(?=[^\x00-\x7f])")
# An accent on a dotless i or j written without the blank that ends its name (`X\\'\\ixx`)
_DOTLESS_RUN_ON = re.compile(r"(\\(?:['`^\"~=.]|[uvHcdbkrt](?![A-Za-z]))\s*)\\([ij])([A-Za-z]+)")


def _command_names(source: str, conv: LatexNodes2Text) -> str:
    """Commands written so that TeX's reading of their names would not give what the writer
    meant: `\\a'A` (tabbing) is `\\'A`; `\\lê` is `\\l` and "ê"; `X\\'\\ixx`, which TeX reads as
    an unknown `\\ixx` under the accent, is an accented dotless i and "xx", as the bibutils
    converters and the writer read it (a known command such as `\\'\\imath` stays one)."""
    source = _TABBING_ACCENT.sub(r"\\", source)
    source = _NAME_BEFORE_NON_ASCII.sub(lambda m: m.group(1) + (" " if source[m.end()].isalpha() else ""), source)

    def dotless(m: re.Match[str]) -> str:
        if conv.latex_context.get_macro_spec(m.group(2) + m.group(3)) is not None:
            return m.group(0)
        return m.group(1) + "{\\" + m.group(2) + "}" + m.group(3)

    return _DOTLESS_RUN_ON.sub(dotless, source)


def latex_to_unicode(text: str) -> str:
    """Display text for a BibTeX value; falls back to a plain clean-up when LaTeX is malformed."""
    if not text:
        return ""
    if not re.search(r"[\\{}$~%]|--", text):
        return " ".join(text.split())
    conv, walker_db = _converter()
    # a literal % in .bib values means percent, not a comment
    source = re.sub(r"(?<!\\)%", r"\\%", text)
    source = _BARE_ACCENT.sub(lambda m: r"\textasciitilde{}" if m.group(1) == "~" else r"\textasciicircum{}", source)
    source = _MATH.sub(lambda m: _mark_scripts(m.group(1)), source)
    source = _drop_unknown_before_group(_command_names(source, conv), conv)
    try:
        walker = latexwalker.LatexWalker(source, latex_context=walker_db, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        out = _render_scripts(conv.nodelist_to_text(nodes))
    except Exception:  # pylatexenc raises assorted errors on malformed input; keep the text
        out = _plain_cleanup(text)
    if "angle" in source:  # the space the conversion leaves after \langle and before \rangle
        out = out.replace("\u27e8 ", "\u27e8").replace(" \u27e9", "\u27e9")
    out = out.replace("\x02", "").replace("\x03", "").replace("\x04", "").replace("\x05", "")
    return " ".join(out.split())


def latex_lines_to_unicode(text: str) -> str:
    """A value of several lines decoded line by line, so that the lines and blank lines a person
    wrote (a comment, an annotation) stay; a line break inside braces or math is no end of a line
    here, as the LaTeX it parts is one piece. A value without LaTeX is kept as written."""
    if not re.search(r"[\\{}$~]|--", text):
        return text
    lines: list[str] = []
    depth, math, start = 0, False, 0
    for i, char in enumerate(text):
        if i > 0 and text[i - 1] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == "$":
            math = not math
        elif char == "\n" and depth == 0 and not math:
            lines.append(text[start:i])
            start = i + 1
    lines.append(text[start:])
    return "\n".join(latex_to_unicode(line) for line in lines).strip("\n")


def _plain_cleanup(text: str) -> str:
    text = re.sub(r"\\[a-zA-Z]+\*?\s*", "", text)
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    return text.replace("{", "").replace("}", "").replace("\\", "")
