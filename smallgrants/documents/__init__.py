"""DOCX and XLSX builders shared by the contexts. They read data given to them and write
bytes; they change nothing."""
