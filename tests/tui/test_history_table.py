"""The History table draws only what is on screen: rows are built when they scroll into view,
the cursor keeps itself visible, enter and a second click on a row choose it."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from agentwallet.tui.widgets.history_table import Column, HistoryTable
from tests.tui.support import painted

ROWS = 10_000


class TableApp(App[None]):
    CSS_PATH = "../../agentwallet/tui/widgets/widgets.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.built: list[int] = []
        self.chosen: list[int] = []

    def compose(self) -> ComposeResult:
        yield HistoryTable((Column("n", 8), Column("label", 10, most=20), Column("note", 10)))

    def on_mount(self) -> None:
        self.query_one(HistoryTable).show(range(ROWS), self.cells)
        self.query_one(HistoryTable).focus()

    def cells(self, n: int) -> tuple[Text, ...]:
        self.built.append(n)
        return Text(f"row {n}"), Text("[b]not markup[/b]"), Text("a note much too long to fit in its column")

    def on_history_table_row_chosen(self, message: HistoryTable.RowChosen) -> None:
        self.chosen.append(message.index)


async def test_only_the_rows_on_screen_are_built_and_the_cursor_stays_in_view():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(HistoryTable)
        assert table.row_count == ROWS
        assert max(app.built) < 12  # a screenful, not ten thousand
        shown = painted(table)
        assert shown.splitlines()[0].split() == ["n", "label", "note"]
        assert "row 0" in shown and "[b]not markup[/b]" in shown
        assert "a note much too long to f…" in shown  # cut to what is left of the width, marked

        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == ROWS - 1 and f"row {ROWS - 1}" in painted(table)
        await pilot.press("home", "pagedown", "down")
        await pilot.pause()
        assert table.cursor_row == table.scrollable_content_region.height - 1 + 1
        assert f"row {table.cursor_row}" in painted(table)
        assert len(app.built) < 60  # the rows seen on the way, not the ones skipped over

        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == [table.cursor_row]


async def test_a_new_list_starts_at_its_first_row_and_never_scrolls_sideways():
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.query_one(HistoryTable)
        assert table.max_scroll_x == 0  # the vertical scrollbar's columns are not a reason to pan
        await pilot.press("pagedown", "pagedown")
        assert table.cursor_row > 0
        table.show(range(5), app.cells)  # e.g. reloaded after a decision: row N is another entry now
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_offset.y == 0 and table.max_scroll_x == 0


async def test_a_click_moves_the_cursor_and_a_second_click_chooses():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(HistoryTable)
        await pilot.click(HistoryTable, offset=(3, 3))  # the header is line 0: line 3 is row 2
        await pilot.pause()
        assert table.cursor_row == 2 and app.chosen == []
        await pilot.click(HistoryTable, offset=(3, 3))
        await pilot.pause()
        assert app.chosen == [2]


async def test_the_first_click_on_the_row_under_the_cursor_only_selects_it():
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(HistoryTable)
        assert table.cursor_row == 0
        await pilot.click(HistoryTable, offset=(3, 1))  # row 0, where the cursor already is
        await pilot.pause()
        assert app.chosen == []
        await pilot.press("down", "up")  # the keyboard moved the cursor: the next click selects again
        await pilot.click(HistoryTable, offset=(3, 1))
        await pilot.pause()
        assert app.chosen == []
        await pilot.click(HistoryTable, offset=(3, 1))
        await pilot.pause()
        assert app.chosen == [0]
        await pilot.click(HistoryTable, offset=(3, 2), times=2)  # a double click on another row
        await pilot.pause()
        assert app.chosen == [0, 1]


class OptionalColumnApp(App[None]):
    CSS_PATH = "../../agentwallet/tui/widgets/widgets.tcss"

    def compose(self) -> ComposeResult:
        yield HistoryTable((Column("n", 8), Column("kind", 10, optional=True), Column("request", 20)))

    def on_mount(self) -> None:
        self.query_one(HistoryTable).show(range(3), lambda n: (Text(f"row {n}"), Text("send"), Text("pay bob")))


async def test_an_optional_column_is_left_out_where_the_table_is_too_narrow_for_it():
    for width, kind_shown in ((60, True), (34, False)):
        app = OptionalColumnApp()
        async with app.run_test(size=(width, 8)) as pilot:
            await pilot.pause()
            header, first = painted(app.query_one(HistoryTable)).splitlines()[:2]
            assert ("kind" in header, "send" in first) == (kind_shown, kind_shown), width
            assert "request" in header and "pay bob" in first  # the request is never what goes
