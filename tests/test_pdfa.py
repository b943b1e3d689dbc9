"""The archive option: DANHGIA_PDF_VARIANT=pdf/a-3b renders dossiers as PDF/A."""

from __future__ import annotations

from pypdf import PdfReader

from danhgia.publish import render_summary
from danhgia.settings import PROJECT_ROOT
from tests.test_render import summary_context


def test_pdf_variant_setting_renders_pdfa(tmp_path, monkeypatch) -> None:
    templates = PROJECT_ROOT / "report_templates"
    plain = render_summary(summary_context(), tmp_path / "plain", templates)
    monkeypatch.setenv("DANHGIA_PDF_VARIANT", "pdf/a-3b")
    archived = render_summary(summary_context(), tmp_path / "pdfa", templates)
    assert b"pdfaid" not in plain.read_bytes()
    xmp = PdfReader(archived).trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp and b"pdfaid:conformance" in xmp
