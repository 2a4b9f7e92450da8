"""How fast this machine is against the one the upload speed aims were set on.

The roster issue sets its aims (25,000 rows/s from CSV, 15,000 from ``.xlsx``; the catalogue's
15,000) "on a 2-core machine" where reading 100,000 rows of the roster format took python-calamine
about 1.5 s and openpyxl about 18 s. Timing the same two reads here, on the benchmark's own
100,000-row roster file and in the same run, says how much slower this machine is now (with
whatever else it is running); an aim in rows per second divides by that factor.

The two readers do not agree with each other: the issue's file read 12 times faster with
calamine than with openpyxl, a file of the roster format written as Excel writes it reads about
6 times faster here, so the factor taken is the smaller of the two (the stricter aim).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

# Seconds to read 100,000 roster rows where the aims were set (roster issue, "Show").
AIM_MACHINE_S = {"calamine": 1.5, "openpyxl": 18.0}


@dataclass(frozen=True, slots=True)
class MachineSpeed:
    """The reference reads of one file here, beside those of the machine the aims come from."""

    rows: int
    calamine_s: float
    openpyxl_s: float

    def factor_of(self, reader: str) -> float:
        """How many times slower than the aims' machine this reader ran here (per 100k rows)."""
        seconds = self.calamine_s if reader == "calamine" else self.openpyxl_s
        return seconds * (100_000 / self.rows) / AIM_MACHINE_S[reader]

    @property
    def factor(self) -> float:
        """The smaller of the two readers' factors: the one that asks most of the code."""
        return min(self.factor_of("calamine"), self.factor_of("openpyxl"))

    def scaled(self, aim: float) -> float:
        """An aim in rows per second, as it reads on this machine now."""
        return aim / self.factor

    def describe(self) -> str:
        """Two lines for a benchmark's printout."""
        return (
            f"machine: reading the {self.rows:,}-row roster .xlsx took calamine"
            f" {self.calamine_s:.2f} s (aims' machine {AIM_MACHINE_S['calamine']} s per 100k,"
            f" ×{self.factor_of('calamine'):.2f}) and openpyxl {self.openpyxl_s:.1f} s"
            f" ({AIM_MACHINE_S['openpyxl']} s, ×{self.factor_of('openpyxl'):.2f})\n"
            f"machine: aims scaled by the smaller factor, ×{self.factor:.2f}"
        )


def aim_line(fmt: str, rate: float, aim: float, speed: MachineSpeed | None) -> str:
    """A benchmark's verdict on an aim in rows per second: as written, and (with ``speed``)
    scaled to this machine."""
    line = f"aim {fmt}: {rate:,.0f} rows/s against {aim:,.0f} as written ({_met(rate, aim)})"
    if speed is not None:
        here = speed.scaled(aim)
        line += f" and {here:,.0f} scaled to this machine ({_met(rate, here)})"
    return line


def _met(rate: float, aim: float) -> str:
    return "met" if rate >= aim else "not met"


def measure_machine(xlsx: Path) -> MachineSpeed:
    """Time calamine and openpyxl (read-only, values) reading every row of ``xlsx``."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    data = xlsx.read_bytes()
    start = time.perf_counter()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    rows = len(sheet.to_python(skip_empty_area=False)) - 1
    calamine_s = time.perf_counter() - start
    start = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    read = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
    openpyxl_s = time.perf_counter() - start
    book.close()
    if read != rows:
        raise RuntimeError(f"openpyxl read {read} rows, calamine {rows}")
    return MachineSpeed(rows, calamine_s, openpyxl_s)


def roster_xlsx(folder: Path, rows: int = 100_000) -> Path:
    """The benchmark roster (seeded synthetic outer districts) as ``.xlsx``, as Excel saves it."""
    import datetime as dt

    from evaluation.synth import generate_world, write_rows_xlsx
    from features.roster import ROSTER_COLUMNS

    day = dt.date(2026, 11, 1)
    world = generate_world(seed=20261101, people=rows, posts=1, year=day.year, today=day)
    headers = [c.header for c in ROSTER_COLUMNS]
    return write_rows_xlsx(world.roster_rows, folder / "roster.xlsx", headers=headers)
