"""``juesuan import``: the 决算 software's workbook (.xlsx, .xls) into a unit file.

The stages, each a module (read :mod:`.build` first)::

    workbook  the cells of each sheet (python-calamine), merges, formulas without a value
    locate    the tables, by title / label / header texts; each table's preamble (部门, 金额单位)
    headers   a table's header rows: each column named by the texts above it, the 栏次 numbers
    tables    each kind of table read into lines of figures, every figure with its cell
    assemble  the figures placed where the data format has them; printed totals compared
    lastyear  --from last year's unit file: texts, non-table figures, comparison figures
    document  --from last year's published DOCX / PDF: the same, by headings and sentences
    emit      the unit file's text, sections in the format's order, Chinese comments, cell sources
    build     a fresh import: read → place → last year → text (loaded back before it is written)
    into      --into: a corrected workbook's figures into an existing file, by position
    cli       the command's options, messages and exit codes

Every problem is an :class:`~generator.issues.Issue` whose "file" is the cell (``公开02表!E8``).
"""

from .assemble import Imported, assemble
from .build import Outcome, import_workbook, read
from .workbook import Sheet, WorkbookError, read_workbook

__all__ = ["Imported", "Outcome", "Sheet", "WorkbookError", "assemble", "import_workbook", "read", "read_workbook"]
