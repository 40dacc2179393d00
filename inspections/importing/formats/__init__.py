"""One parser per report format. Each exposes `parse(text: ReportText) -> ImportResult`."""
