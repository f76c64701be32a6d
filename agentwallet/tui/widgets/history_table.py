"""A table that draws only the rows on screen, for lists of any length.

Textual's DataTable measures and stores every cell it is given: ten thousand history rows took
it about a second before the last one showed. This table keeps the list it is given and builds
the cells of a row the first time that row scrolls into view; column widths come from the
table's width, not from the cells (a cell too long for its column ends in …), so nothing has to
be measured up front; an optional column is left out where the table is too narrow for it. Showing
a new list is instant whatever its length.

Keys: up/down, page up/down, home/end move the cursor; enter posts `HistoryTable.RowChosen`. A
click puts the cursor on a row; a second click on the same row (a double click too) chooses it, so
the first click on a table, even on the row the cursor already rests on, only selects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cells = tuple[Text, ...]
GAP = 1  # blank cells between two columns
PADDING = 1  # blank cells at each end of a line


@dataclass(frozen=True)
class Column:
    """`width` cells wide. Room to spare goes first to the last column, up to twice its width (on a
    narrow terminal the request is what is read); then a column with `most` grows up to that many;
    then the last column takes the rest. An `optional`
    column is left out, the rightmost first, where the table is narrower than the columns."""
    label: str
    width: int
    most: int | None = None
    optional: bool = False


class HistoryTable(ScrollView, can_focus=True):
    """Rows of cells over a sequence of items; a row's cells are built from its item when first shown."""

    COMPONENT_CLASSES = {"history-table--header", "history-table--cursor", "history-table--odd-row"}
    BINDINGS = [
        Binding("enter", "choose", "Details", show=False),  # as in any table; room in the footer
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "move_page(-1)", "Page up", show=False),
        Binding("pagedown", "move_page(1)", "Page down", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
    ]
    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowChosen(Message):
        def __init__(self, table: HistoryTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> HistoryTable:
            return self.table

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self._items: Sequence[Any] = ()
        self._cells_of: Callable[[Any], Cells] = lambda _item: ()
        self._built: dict[int, Cells] = {}
        self._clicked_row: int | None = None  # the row the last click selected, until the cursor moves

    # the rows

    @property
    def row_count(self) -> int:
        return len(self._items)

    def show(self, items: Sequence[Any], cells_of: Callable[[Any], Cells]) -> None:
        """Show one row per item (the table keeps the sequence; do not change it afterwards)."""
        self._items, self._cells_of, self._built = items, cells_of, {}
        self._clicked_row = None
        self.virtual_size = Size(self._least_width(), len(items) + 1)  # + the header line
        self.scroll_to(y=0, animate=False)
        self.cursor_row = 0  # a new list: the row under an old cursor index is another entry
        self.refresh()

    def get_row_at(self, index: int) -> Cells:
        """The cells of row `index`, built from its item if they have not been yet."""
        cells = self._built.get(index)
        if cells is None:
            cells = self._built[index] = self._cells_of(self._items[index])
        return cells

    # drawing

    def shown_columns(self) -> list[int]:
        """The positions of the columns drawn at this width: every one that fits."""
        width = self.scrollable_content_region.width
        shown = list(range(len(self.columns)))
        optional = [position for position in shown if self.columns[position].optional]
        while optional and _least_width([self.columns[position] for position in shown]) > width:
            shown.remove(optional.pop())
        return shown

    def _widths(self) -> list[tuple[int, int]]:
        """(position, width) of each column drawn."""
        shown = self.shown_columns()
        widths = [self.columns[position].width for position in shown]
        spare = self.scrollable_content_region.width - _least_width([self.columns[position] for position in shown])
        first = max(0, min(widths[-1], spare))
        widths[-1] += first
        spare -= first
        for index, position in enumerate(shown[:-1]):
            column = self.columns[position]
            if column.most is not None and spare > 0:
                grown = min(column.most - column.width, spare)
                widths[index] += grown
                spare -= grown
        widths[-1] += max(0, spare)
        return list(zip(shown, widths, strict=True))

    def _least_width(self) -> int:
        """The narrowest the table may be (its optional columns left out): narrower, it scrolls
        sideways. (Not the drawn width, which follows the region and changes when the vertical
        scrollbar comes and goes without a resize.)"""
        return _least_width([column for column in self.columns if not column.optional])

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            cells: Cells = tuple(Text(column.label) for column in self.columns)
            style = base + self.get_component_rich_style("history-table--header")
        else:
            index = scroll_y + y - 1
            if index >= len(self._items):
                return Strip.blank(width, base)
            cells = self.get_row_at(index)
            style = base
            if index % 2:
                style += self.get_component_rich_style("history-table--odd-row")
            if index == self.cursor_row:
                style += self.get_component_rich_style("history-table--cursor")
        return self._strip(cells, style).crop_extend(scroll_x, scroll_x + width, style)

    def _strip(self, cells: Cells, style: Style) -> Strip:
        """One line: the cells cut or padded to their widths, over the row's style."""
        line = Text(" " * PADDING, style=style, end="")
        for index, (position, width) in enumerate(self._widths()):
            if index:
                line.append(" " * GAP)
            shown = cells[position].copy() if position < len(cells) else Text()
            shown.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(shown)
        line.append(" " * PADDING)
        return Strip(line.render(self.app.console), line.cell_len)

    # the cursor

    def watch_cursor_row(self) -> None:
        shown = max(1, self.scrollable_content_region.height - 1)  # rows under the header
        top = round(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + shown:
            self.scroll_to(y=self.cursor_row - shown + 1, animate=False)
        self.refresh()

    def _move_cursor_to(self, index: int) -> None:
        self._clicked_row = None
        if self._items:
            self.cursor_row = max(0, min(index, len(self._items) - 1))

    def action_move(self, rows: int) -> None:
        self._move_cursor_to(self.cursor_row + rows)

    def action_move_page(self, pages: int) -> None:
        self._move_cursor_to(self.cursor_row + pages * max(1, self.scrollable_content_region.height - 1))

    def action_move_to(self, index: int) -> None:
        self._move_cursor_to(index if index >= 0 else len(self._items) - 1)

    def action_choose(self) -> None:
        if self._items:
            self.post_message(self.RowChosen(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_offset.y) + offset.y - 1
        if index >= len(self._items):
            return
        second_click = index == self._clicked_row == self.cursor_row  # a double click's first click sets it
        self.cursor_row, self._clicked_row = index, index
        if second_click:
            self.action_choose()


def _least_width(columns: Sequence[Column]) -> int:
    return 2 * PADDING + GAP * (len(columns) - 1) + sum(column.width for column in columns)
