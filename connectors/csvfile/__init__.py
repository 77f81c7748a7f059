"""CSV files: a streaming, reject-don't-crash reader and an atomic, injection-safe writer."""

from connectors.csvfile.encoding import detect_encoding
from connectors.csvfile.errors import CsvFormatError, OutputPathError, check_output_path
from connectors.csvfile.models import CsvReadOptions, CsvRow, CsvRowError
from connectors.csvfile.reader import CsvCursor, CsvReader
from connectors.csvfile.writer import CsvRowRenderer, CsvWriter, neutralise_formula

__all__ = [
    "CsvCursor",
    "CsvFormatError",
    "CsvReadOptions",
    "CsvReader",
    "CsvRow",
    "CsvRowError",
    "CsvRowRenderer",
    "CsvWriter",
    "OutputPathError",
    "check_output_path",
    "detect_encoding",
    "neutralise_formula",
]
