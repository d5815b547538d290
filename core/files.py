"""Private files (SMEs' documents, evidence, financing documents, anchors' drawings): served only by a view
that has checked who may read them, as a download that no shared cache keeps."""

from django.http import FileResponse


def private_download(file_field, *, filename: str, content_type: str) -> FileResponse:
    """``file_field`` as an attachment named ``filename``; the caller has checked the reader's right."""
    response = FileResponse(file_field.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
