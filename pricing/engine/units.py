"""Units. Data sizes are 1024-based (the guides say so: 1 TB = 1024 GB, 1 GB = 1024 MB);
counts can be written in 万 (10^4) and 亿 (10^8); resource use is GB x seconds (GB·s)."""
from __future__ import annotations

import re
from decimal import Decimal

from .errors import InputError
from .money import D, nonneg

DATA_FACTOR = Decimal(1024)  # declared factor between adjacent data units
DATA_UNITS = {"B": 0, "KB": 1, "MB": 2, "GB": 3, "TB": 4}
WAN = Decimal(10) ** 4      # 万
YI = Decimal(10) ** 8       # 亿
COUNT_SUFFIX = {"万": WAN, "亿": YI, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "千": Decimal(1000), "": Decimal(1)}


def convert_size(amount: object, from_unit: str, to_unit: str, factor: Decimal = DATA_FACTOR) -> Decimal:
    """Convert a data size between B/KB/MB/GB/TB with the declared 1024 factor (exact)."""
    for f, u in (("from_unit", from_unit), ("to_unit", to_unit)):
        if u not in DATA_UNITS:
            raise InputError(f, u, f"one of {', '.join(DATA_UNITS)}")
    q = nonneg(amount, "amount")
    steps = DATA_UNITS[from_unit] - DATA_UNITS[to_unit]
    return q * factor ** steps if steps >= 0 else q / factor ** (-steps)


def parse_count(text: object, field: str = "count") -> Decimal:
    """'500万' -> 5000000, '1亿' -> 100000000, '3000' -> 3000. Plain ints/Decimals pass through."""
    if not isinstance(text, str):
        return nonneg(text, field)
    m = re.fullmatch(r"\s*([0-9][0-9,._]*)\s*(千万|百万|万|亿|千|)\s*", text)
    if not m:
        raise InputError(field, text, "a count such as '1000000', '500万' or '1亿'")
    return nonneg(m.group(1), field) * COUNT_SUFFIX[m.group(2)]


def in_wan(count: Decimal) -> Decimal:
    """A count expressed in units of 万 (10,000)."""
    return D(count) / WAN


def gb_seconds(memory_mb: object, seconds: object) -> Decimal:
    """Resource use: configured memory (MB, converted to GB at 1024) times billed seconds."""
    return convert_size(memory_mb, "MB", "GB") * nonneg(seconds, "seconds")
