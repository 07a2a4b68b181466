"""Charts for the notebooks: PNG made with matplotlib's Agg backend, returned as an IPython Image.

The PNG carries no timestamp or software stamp, so a re-run on the same versions gives the same
bytes. nbval skips image/png; every figure a chart shows is also computed in a text cell.
"""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update({"font.family": ["Noto Sans CJK SC", "DejaVu Sans"], "axes.grid": True, "grid.alpha": 0.3,
                     "figure.dpi": 80, "svg.hashsalt": "pricing-spec"})

import logging  # noqa: E402

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def num(x) -> float:
    """Chart coordinates only: Decimals become floats here and never flow back into money."""
    return float(x)  # noqa: money never returns from a chart


def line_chart(series, title: str, xlabel: str, ylabel: str, vlines=(), step: bool = False, size=(8, 4.2)):
    """``series`` is a list of (label, xs, ys); ``vlines`` a list of (x, label)."""
    from IPython.display import Image
    fig, ax = plt.subplots(figsize=size)
    for label, xs, ys in series:
        X, Y = [num(x) for x in xs], [num(y) for y in ys]
        (ax.step(X, Y, where="post", label=label) if step else ax.plot(X, Y, label=label))
    for x, label in vlines:
        ax.axvline(num(x), linestyle="--", color="grey", linewidth=0.8)
        ax.annotate(label, (num(x), ax.get_ylim()[1]), rotation=90, va="top", ha="right", fontsize=8, color="grey")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(series) > 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return Image(data=buf.getvalue(), format="png")


def bar_chart(labels, values, title: str, ylabel: str, size=(8, 4.2)):
    from IPython.display import Image
    fig, ax = plt.subplots(figsize=size)
    ax.bar(list(labels), [num(v) for v in values])
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    plt.setp(ax.get_xticklabels(), rotation=30, ha="right", fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return Image(data=buf.getvalue(), format="png")
