def test_templates_use_no_inline_style_attributes_or_unnonced_blocks():
    """The CSP allows styles from our files and nonce'd blocks only; a style="" attribute would be dropped."""
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r'\sstyle="', text) or re.search(r"<style(?![^>]*nonce)", text):
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
