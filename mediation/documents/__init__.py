"""Documents: form templates → PDF and DOCX, the form checker (see ``render.py``)."""
