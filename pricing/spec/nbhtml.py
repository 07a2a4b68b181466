"""Rendered notebooks as their readers use them: offline, linked to the rest of the spec.

``render(nb_path, dest)`` converts an executed notebook to one static HTML page with nbconvert's
``lab`` look, and:

- **Math without a network.** Every ``$…$`` / ``$$…$$`` of the Markdown (cells and the
  ``text/markdown`` outputs of ``spec.md``/``formula``) is converted at build time to MathML
  (``latex2mathml``), which browsers draw natively: no MathJax, no CDN, no script. The page loads no
  script from anywhere (nbconvert's require.js, MathJax and Mermaid loaders are left out).
- **Anchors.** A cell tagged with an example id gets that id (``page.html#<example id>``).
- **Links.** A bar at the top links to the index, to this section's rows of the auditor's report,
  to the section's register entries, and states the guide locator (document, section, line range
  in the guide's text); every register id written as code (```APIGW-…```) links to its entry in
  ``register.html``.

The page is a pure function of the notebook and the spec's data (no timestamps), so two builds are
byte-identical.
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import nbformat

from . import nbtools

TEMPLATES = Path(__file__).parent / "templates" / "nbconvert"
TEMPLATE = "pricing"
_SPEC_CALL = re.compile(r"""Spec\(\s*catalog\s*,\s*["']([^"']+)["']""")


# math ------------------------------------------------------------------------------------------

def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for a TeX formula (as sympy's ``latex()`` and our notebooks write it), with the TeX
    kept in ``alttext`` for copy and screen readers. A formula latex2mathml cannot read is shown as
    code with class ``tex-unrendered`` (the browser test fails on it), never dropped."""
    from latex2mathml.converter import convert
    src = tex.strip()
    try:
        out = convert(src, display="block" if display else "inline")
    except Exception:  # shown, and caught by tests/test_browser.py
        return f'<code class="tex-unrendered">{html.escape(src, quote=False)}</code>'
    out = out.replace("<math ", f'<math alttext="{html.escape(src, quote=True)}" ', 1)
    return f'<div class="math-block">{out}</div>' if display else out


def _renderer_class():
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    class MathMLRenderer(IPythonRenderer):
        """nbconvert's Markdown renderer, with math converted to MathML instead of left for MathJax."""

        def block_math(self, body: str) -> str:
            return tex_to_mathml(body, display=True)

        def inline_math(self, body: str) -> str:
            return tex_to_mathml(body, display=False)

        def latex_environment(self, name: str, body: str) -> str:
            return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

        def multiline_math(self, text: str) -> str:  # older mistune only: $$…$$ passed through whole
            m = re.fullmatch(r"\s*\$\$(.*)\$\$\s*", text, re.S)
            return tex_to_mathml(m.group(1), display=True) if m else text

    return MathMLRenderer


def _exporter():
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import MarkdownWithMath
    from nbconvert.preprocessors import TagRemovePreprocessor
    from jinja2 import pass_context

    renderer_cls = _renderer_class()

    class Exporter(HTMLExporter):
        @pass_context
        def markdown2html(self, context, source):
            cell = context.get("cell", {})
            path = context.get("resources", {}).get("metadata", {}).get("path", "")
            renderer = renderer_cls(escape=False, attachments=cell.get("attachments", {}), embed_images=self.embed_images,
                                    path=path, anchor_link_text=self.anchor_link_text,
                                    exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
            return MarkdownWithMath(renderer=renderer).render(source)

        def default_filters(self):
            yield from super().default_filters()
            yield ("markdown2html", self.markdown2html)
            yield ("tex2mathml", lambda s: tex_to_mathml(str(s).strip().strip("$"), display=True))

    ex = Exporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)])
    # prose cells (spec.md) show their rendered text only, not the template that made it
    ex.register_preprocessor(TagRemovePreprocessor(remove_input_tags={"prose"}, enabled=True), enabled=True)
    return ex


# links -----------------------------------------------------------------------------------------

def build_root(dest: Path) -> Path | None:
    """The build folder of a page written to ``<build>/html/<...>/page.html`` (None elsewhere)."""
    for p in dest.parents:
        if p.name == "html":
            return p.parent
    return None


def notebook_section(nb: nbformat.NotebookNode) -> str:
    """The spec section a notebook shows: from its summary data, else from its ``Spec(catalog, "…")`` call."""
    from .notebook import RESULTS_MIME
    for c in nb.cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if RESULTS_MIME in data and data[RESULTS_MIME].get("section"):
                return data[RESULTS_MIME]["section"]
    for c in nb.cells:
        m = _SPEC_CALL.search(c.source) if c.cell_type == "code" else None
        if m:
            return m.group(1)
    return ""


def _esc(s: str) -> str:
    return html.escape(str(s), quote=True)


def nav(section: str, up: str) -> str:
    """The bar at the top of a rendered notebook: index, this section's report rows and register
    entries, and where the section is in its guide. ``up`` is the relative path to the build folder."""
    from pricing.engine.catalog import load
    from . import examples as exmod
    cat = load()
    s = cat.sections.get(section)
    links = [f'<a href="{up}index.html">索引 · Index</a>']
    if section:
        links.append(f'<a href="{up}report.html#section={_esc(section)}">审计报告 · Report rows of this section</a>')
    else:
        links.append(f'<a href="{up}report.html">审计报告 · Auditor\'s report</a>')
    links.append(f'<a href="{up}register.html">歧义登记 · Register</a>')
    parts = [f'<p class="pricing-links">{" · ".join(links)}</p>']
    if s is not None:
        doc = cat.documents.get(s.doc, {})
        where = f"lines {s.lines[0]}–{s.lines[1]} of " if s.lines else ""
        parts.append(f'<p class="pricing-locator"><span lang="zh-Hans">{_esc(doc.get("title_zh", ""))} › {_esc(s.zh)}</span>'
                     f' · {_esc(s.en)} · {where}<code>{_esc(doc.get("seed", ""))}</code> · section revised {_esc(s.revised)}</p>')
    # the entries of this section and those that name it among theirs (``also``), most serious first, as the
    # notebook's own register cell and the register page's section filter list them
    entries = [d for d in exmod.ranked(exmod.discrepancies(catalog=cat))
               if d.section == section or d.section.startswith(section + ".") or section in d.also] if section else []
    if entries:
        items = ", ".join(f'<a href="{up}register.html#{_esc(d.id)}" title="{_esc(d.title)}"><code>{_esc(d.id)}</code></a>'
                          for d in entries)
        parts.append(f'<p class="pricing-register">Register entries of this section ({len(entries)}): {items}</p>')
    return '<nav class="pricing-nav" aria-label="spec">' + "".join(parts) + "</nav>"


_CODE_OR_LINK = re.compile(r"<a\b[^>]*>.*?</a>|<code>([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)</code>", re.S)


def link_register_ids(body: str, ids: set[str], up: str) -> str:
    """Wrap every ``<code>ID</code>`` naming a register entry in a link to it (links left as they are)."""
    def sub(m: re.Match) -> str:
        if m.group(1) and m.group(1) in ids:
            return f'<a class="register-link" href="{up}register.html#{m.group(1)}">{m.group(0)}</a>'
        return m.group(0)
    return _CODE_OR_LINK.sub(sub, body)


def render(nb_path: Path, dest: Path) -> None:
    """Write ``dest``: the notebook at ``nb_path`` as an offline HTML page (see the module doc)."""
    from . import examples as exmod
    nb = nbformat.read(nb_path, as_version=4)
    root = build_root(dest)
    up = (os.path.relpath(root, dest.parent).replace(os.sep, "/") + "/") if root is not None else "../../"
    section = notebook_section(nb)
    resources = {"metadata": {"name": nb_path.stem, "path": str(nb_path.parent)}, "pricing_nav": nav(section, up)}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    body = nbtools.anchor_tagged_cells(body, {e.id for e in exmod.examples()})
    if up != "../../":  # links written in notebook outputs assume <build>/html/<doc>/page.html
        body = body.replace('href="../../register.html', f'href="{up}register.html')
    body = link_register_ids(body, {d.id for d in exmod.discrepancies()}, up)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(body, encoding="utf-8")
