"""The submission kinds: what each file holds, in the words a unit sees and in the code's words.

A file's Vietnamese headers are mapped to English column names here and nowhere else; the
pandera schema of each kind (``schemas/``) then validates the English columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["str", "int", "float", "date", "bool", "level"]

YES, NO = "Có", "Không"
LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
LEVEL_NAMES = {
    "HTXSNV": "Hoàn thành xuất sắc nhiệm vụ",
    "HTTNV": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHTNV": "Không hoàn thành nhiệm vụ",
}
UNIT_KINDS = {
    "TINH": "Tỉnh ủy",
    "HUYEN": "Huyện ủy, thành ủy",
    "SO": "Sở, ban, ngành",
    "DOANTHE": "Mặt trận, đoàn thể",
    "BANDANG": "Ban đảng",
    "NGANHDOC": "Cơ quan ngành dọc Trung ương",
    "XA": "Xã, phường, thị trấn",
}
DISCIPLINE_MEASURES = ("Khiển trách", "Cảnh cáo", "Cách chức", "Khai trừ")
QUARTERS = ("Q1", "Q2", "Q3")
#: What the board may excuse for an objective cause it has confirmed (NĐ 335; QĐ 124/366).
EXCUSABLE = {
    "TRE_HAN": "Nhiệm vụ hoàn thành trễ hạn",
    "KY_LUAT": "Bị kỷ luật trong năm",
    "DON_VI_HOAN_THANH": "Đơn vị hoàn thành dưới mức nhiệm vụ kế hoạch",
    "DON_VI_TRUC_THUOC": "Quá nửa đơn vị thuộc phạm vi phụ trách không hoàn thành nhiệm vụ",
    "TIN_NHIEM": "Quá nửa phiếu tín nhiệm thấp",
}
ANNUAL = "CN"  # the scope of a once-a-year submission: "cả năm"

META_SHEET = "_meta"
DATA_SHEET = "Dữ liệu"
TEMPLATE_VERSION = "1"
META_KEYS = {
    "unit_code": "ma_don_vi",
    "kind": "loai_bieu_mau",
    "cycle": "nam",
    "scope": "ky",
    "template_version": "phien_ban_mau",
}


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    type: ColumnType = "str"
    required: bool = True
    free_text: bool = False  # typed by a person; rendered as literal text, never as markup


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    columns: tuple[Column, ...]
    scopes: Literal["annual", "quarterly", "member"] = "annual"
    reference: bool = False  # kept by the board rather than sent by units
    key: tuple[str, ...] = field(default_factory=tuple)  # columns unique within one file

    @property
    def headers(self) -> dict[str, str]:
        """Vietnamese header -> English column name."""
        return {c.header: c.name for c in self.columns}

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


C = Column

KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        # --- reference data kept by the board -----------------------------------------------
        Kind(
            "units",
            "Danh mục đơn vị",
            (
                C("unit_code", "Mã đơn vị"),
                C("unit_name", "Tên đơn vị"),
                C("unit_kind", "Loại đơn vị"),
                C("parent_code", "Mã đơn vị cấp trên", required=False),
            ),
            reference=True,
            key=("unit_code",),
        ),
        Kind(
            "cadres",
            "Danh sách cán bộ",
            (
                C("cadre_code", "Mã cán bộ"),
                C("full_name", "Họ và tên"),
                C("gender", "Giới tính"),
                C("birth_year", "Năm sinh", "int"),
                C("months_off", "Số tháng nghỉ công tác trong năm", "float", required=False),
            ),
            reference=True,
            key=("cadre_code",),
        ),
        Kind(
            "posts",
            "Chức vụ đảm nhiệm trong năm",
            (
                C("cadre_code", "Mã cán bộ"),
                C("unit_code", "Mã đơn vị"),
                C("position_code", "Mã chức vụ"),
                C("position_title", "Chức vụ"),
                C("is_head", "Người đứng đầu", "bool"),
                C("start_date", "Từ ngày", "date"),
                C("end_date", "Đến ngày", "date", required=False),
            ),
            reference=True,
            key=("cadre_code", "unit_code", "start_date"),
        ),
        Kind(
            "council_members",
            "Thành viên hội đồng tư vấn",
            (
                C("member_code", "Mã thành viên"),
                C("full_name", "Họ và tên"),
                C("unit_code", "Mã đơn vị công tác"),
            ),
            reference=True,
            key=("member_code",),
        ),
        Kind(
            "monitoring",
            "Phân công theo dõi xã",
            (
                C("cadre_code", "Mã cán bộ"),
                C("commune_code", "Mã xã"),
                C("start_date", "Từ ngày", "date"),
                C("end_date", "Đến ngày", "date", required=False),
            ),
            reference=True,
            key=("cadre_code", "commune_code"),
        ),
        Kind(
            "discipline",
            "Kỷ luật trong năm",
            (
                C("cadre_code", "Mã cán bộ"),
                C("measure", "Hình thức kỷ luật"),
                C("decided_on", "Ngày quyết định", "date"),
                C("reason", "Lý do", free_text=True, required=False),
            ),
            reference=True,
            key=("cadre_code", "decided_on"),
        ),
        Kind(
            "confidence_votes",
            "Kết quả lấy phiếu tín nhiệm",
            (
                C("cadre_code", "Mã cán bộ"),
                C("votes_total", "Tổng số phiếu", "int"),
                C("votes_low", "Số phiếu tín nhiệm thấp", "int"),
            ),
            reference=True,
            key=("cadre_code",),
        ),
        Kind(
            "excusals",
            "Nguyên nhân khách quan được Ban Thường vụ chấp nhận",
            (
                C("cadre_code", "Mã cán bộ"),
                C("rule", "Nội dung được miễn trừ"),
                C("task_code", "Mã nhiệm vụ", required=False),
                C("reason", "Lý do", free_text=True),
                C("decided_on", "Ngày quyết định", "date"),
            ),
            reference=True,
            key=("cadre_code", "rule", "task_code"),
        ),
        Kind(
            "inspections",
            "Kết luận kiểm tra nhiệm vụ: sai sót lớn",
            (
                C("cadre_code", "Mã cán bộ"),
                C("task_code", "Mã nhiệm vụ"),
                C("major_errors", "Số sai sót lớn", "int"),
                C("finding", "Nội dung kết luận", free_text=True),
                C("decided_on", "Ngày kết luận", "date"),
            ),
            reference=True,
            key=("cadre_code", "task_code", "decided_on"),
        ),
        Kind(
            "previous_levels",
            "Kết quả xếp loại năm trước",
            (
                C("group_code", "Nhóm"),
                C("level", "Mức xếp loại", "level"),
                C("count", "Số lượng", "int"),
            ),
            reference=True,
            key=("group_code", "level"),
        ),
        # --- submissions sent by units ------------------------------------------------------
        Kind(
            "task_register",
            "Đăng ký cam kết và nhiệm vụ được giao",
            (
                C("task_code", "Mã nhiệm vụ"),
                C("cadre_code", "Mã cán bộ"),
                C("origin", "Nguồn nhiệm vụ"),  # "Cam kết" or "Được giao"
                C("content", "Nội dung nhiệm vụ", free_text=True),
                C("measure_unit", "Đơn vị tính", free_text=True),
                C("target", "Chỉ tiêu kế hoạch", "float"),
                C("deadline", "Hạn hoàn thành", "date"),
                C("weight", "Trọng số", "float"),
                C("long_term", "Nhiệm vụ dài hạn", "bool"),
                C("milestone", "Mốc phải đạt trong năm", "float", required=False),
            ),
            key=("task_code",),
        ),
        Kind(
            "quarterly_progress",
            "Báo cáo tiến độ hằng quý",
            (
                C("task_code", "Mã nhiệm vụ"),
                C("cadre_code", "Mã cán bộ"),
                C("achieved", "Giá trị đạt lũy kế", "float"),
                C("note", "Ghi chú", free_text=True, required=False),
            ),
            scopes="quarterly",
            key=("task_code",),
        ),
        Kind(
            "self_assessment",
            "Báo cáo tự đánh giá cuối năm",
            (
                C("task_code", "Mã nhiệm vụ"),
                C("cadre_code", "Mã cán bộ"),
                C("achieved", "Giá trị đạt", "float"),
                C("completed", "Hoàn thành", "bool"),
                C("completed_on", "Ngày hoàn thành", "date", required=False),
                C("evidence", "Minh chứng", free_text=True, required=False),
                C("obstacles", "Khó khăn, vướng mắc", free_text=True, required=False),
                C("proposals", "Đề xuất, kiến nghị", free_text=True, required=False),
                C("proposed_level", "Tự xếp loại", "level"),
            ),
            key=("task_code",),
        ),
        Kind(
            "council_scores",
            "Phiếu chấm điểm của hội đồng tư vấn",
            (
                C("member_code", "Mã thành viên"),
                C("cadre_code", "Mã cán bộ"),
                C("criterion_code", "Mã tiêu chí"),
                C("score", "Điểm", "float"),
            ),
            scopes="member",
            key=("cadre_code", "criterion_code"),
        ),
        Kind(
            "commune_forms",
            "Phiếu nhận xét cán bộ theo dõi xã",
            (
                C("cadre_code", "Mã cán bộ theo dõi"),
                C("visits", "Số lần về xã", "int"),
                C("meetings", "Số cuộc họp đã dự", "int"),
                C("has_plan", "Có kế hoạch theo dõi", "bool"),
                C("reports_on_time", "Báo cáo đúng hạn", "bool"),
                C("level", "Mức xếp loại", "level"),
                C("recommend_commendation", "Đề nghị khen thưởng", "bool"),
                C("request_replacement", "Đề nghị thay thế", "bool"),
                C("comment", "Nhận xét", free_text=True, required=False),
            ),
            key=("cadre_code",),
        ),
        Kind(
            "collective",
            "Tự đánh giá, xếp loại tập thể",
            (
                C("unit_code", "Mã đơn vị"),
                C("planned_tasks", "Số nhiệm vụ kế hoạch", "int"),
                C("completed_tasks", "Số nhiệm vụ hoàn thành", "int"),
                C("subordinate_units", "Số đơn vị trực thuộc", "int"),
                C("subordinate_khtnv", "Số đơn vị trực thuộc không hoàn thành nhiệm vụ", "int"),
                C("leader_disciplined", "Có cán bộ lãnh đạo bị kỷ luật", "bool"),
                C("proposed_level", "Tự xếp loại", "level"),
            ),
            key=("unit_code",),
        ),
    ]
}

#: The order in which kinds are loaded: reference data first, so later files can be checked
#: against it.
LOAD_ORDER = list(KINDS)


def scopes_of(kind: Kind, member_codes: list[str] | None = None) -> list[str]:
    """The periods (or council members) for which one unit owes one file of this kind."""
    if kind.scopes == "quarterly":
        return list(QUARTERS)
    if kind.scopes == "member":
        return list(member_codes or [])
    return [ANNUAL]
