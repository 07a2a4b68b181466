"""Charts for the notebooks: one style for the whole spec, PNG made with matplotlib's Agg backend,
returned as an IPython Image.

- **Readable.** 1000 × 560 pixels (10 × 5.6 inches at 100 dpi), 12-point text, a layout engine
  that keeps titles, tick labels and the legend inside the figure; long titles wrap; the labels
  of marked x positions (tier breaks, deadlines) are staggered so that they never overprint each
  other; bar labels turn when they would collide.
- **Deterministic.** The PNG carries no timestamp and no software stamp (``metadata``), and is
  saved at a fixed dpi without "tight" cropping, so a re-run on the same versions gives the same
  bytes and a chart whose data did not change does not churn in ``git diff``.
- nbval skips ``image/png``; every figure a chart shows is also computed in a text cell.
"""
from __future__ import annotations

import io
import logging
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import transforms  # noqa: E402

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

WIDTH, HEIGHT, DPI = 10, 5.6, 100   # inches, inches, dots per inch: 1000 × 560 px
TITLE_WIDTH = 80                    # characters per title line before it wraps
COLORS = ["#1f5fa8", "#d9661f", "#2e8b57", "#a8326e", "#6b5b95", "#8c6d1f"]

STYLE = {
    "font.family": ["Noto Sans CJK SC", "DejaVu Sans"],
    "font.size": 12, "axes.titlesize": 14, "axes.labelsize": 12, "xtick.labelsize": 11, "ytick.labelsize": 11,
    "legend.fontsize": 11, "legend.framealpha": 0.9,
    "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=COLORS), "lines.linewidth": 2.0,
    "figure.dpi": DPI, "savefig.dpi": DPI, "figure.figsize": (WIDTH, HEIGHT),
    "axes.axisbelow": True, "figure.facecolor": "white", "savefig.facecolor": "white",
    "svg.hashsalt": "pricing-spec", "path.simplify": False,
}
plt.rcParams.update(STYLE)


def num(x) -> float:
    """Chart coordinates only: Decimals become floats here and never flow back into money."""
    return float(x)  # noqa: money never returns from a chart


def _figure():
    fig, ax = plt.subplots(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    return fig, ax


def _title(ax, title: str) -> None:
    ax.set_title("\n".join(textwrap.wrap(title, TITLE_WIDTH)) or title)


def png(fig) -> bytes:
    """The figure as PNG bytes: fixed size and dpi, no metadata that varies between runs."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _image(fig):
    from IPython.display import Image
    return Image(data=png(fig), format="png")


def _mark(ax, vlines) -> None:
    """Dashed vertical lines at marked x positions; their labels sit just right of the line,
    one row lower for each mark that would otherwise overprint the previous one."""
    marks = sorted(((num(x), label) for x, label in vlines), key=lambda m: m[0])
    if not marks:
        return
    lo, hi = ax.get_xlim()
    span = (hi - lo) or 1.0
    trans = transforms.blended_transform_factory(ax.transData, ax.transAxes)
    row, last_x = 0, None
    for x, label in marks:
        # a label is about 1.1 % of the width per character at this size; stagger when too close
        if last_x is not None and (x - last_x) / span < 0.012 * (len(label) + 2):
            row += 1
        else:
            row = 0
        last_x = x
        ax.axvline(x, linestyle="--", color="grey", linewidth=1.0)
        ax.text(x, 0.97 - 0.08 * row, f" {label}", transform=trans, ha="left", va="top", fontsize=10, color="dimgrey",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def line_chart(series, title: str, xlabel: str, ylabel: str, vlines=(), step: bool = False, size=None):
    """``series`` is a list of (label, xs, ys); ``vlines`` a list of (x, label). ``size`` is
    accepted for old callers and ignored: every chart of the spec has the same size."""
    fig, ax = _figure()
    for label, xs, ys in series:
        X, Y = [num(x) for x in xs], [num(y) for y in ys]
        (ax.step(X, Y, where="post", label=label) if step else ax.plot(X, Y, label=label))
    _title(ax, title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _mark(ax, vlines)
    if len(series) > 1:
        ax.legend(loc="best")
    return _image(fig)


def bar_chart(labels, values, title: str, ylabel: str, size=None):
    """One bar per label, its value written above it. Labels turn 30° when they would not fit."""
    fig, ax = _figure()
    labels = [str(l) for l in labels]
    vals = [num(v) for v in values]
    bars = ax.bar(labels, vals, color=COLORS[0])
    ax.bar_label(bars, labels=[f"{v:,.2f}".rstrip("0").rstrip(".") for v in vals], padding=2, fontsize=10)
    ax.margins(y=0.12)
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    _title(ax, title)
    ax.set_ylabel(ylabel)
    room = 95 / max(len(labels), 1)  # characters a label may take at this width
    if max((len(l) for l in labels), default=0) > room:
        plt.setp(ax.get_xticklabels(), rotation=30, ha="right", rotation_mode="anchor")
    return _image(fig)
