"""Reading a published report's text into a draft inspection document (issue 4).

Entry point: `import_report_text(raw_text, service_slug=None, progress=None) -> ImportResult`
(owned by the import workflow; the format parsers live in `formats/`).
"""
