"""The one error an import raises: the input cannot be read as a youth inspection report at all."""


class ImportUnreadable(Exception):
    """The file is empty, binary, a PDF without text, or not an HMIP youth inspection report.

    The message says what is wrong in words an inspector can act on. Values that merely could not be read from a
    report are not errors: they are null in the draft and listed as problems (`ImportResult.problems`).
    """
