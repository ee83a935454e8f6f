"""HTML templates to accessible PDFs with WeasyPrint: tagged (PDF/UA), A4, fonts embedded, text selectable."""

from django.template.loader import render_to_string
from django.utils import timezone


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDF requests need it

    html = render_to_string(template_name, {**context, "made_at": timezone.localtime()}, request=request)
    base_url = request.build_absolute_uri("/") if request else None
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
