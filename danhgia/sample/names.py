"""The Vietnamese words the sample province is made of: unit names, titles, task wording,
free-text phrases and person-name pools.

Everything here is an immutable tuple so the generator's output depends only on its seed.
District and commune names are invented; unit names of departments, mass organizations,
party boards and central agencies are the generic real titles every province uses.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple


class TaskTemplate(NamedTuple):
    """One kind of task: wording, unit of measure and the range its yearly target falls in."""

    content: str
    measure_unit: str
    low: float
    high: float
    decimals: int = 0


class UnitTemplate(NamedTuple):
    """A named unit with the titles of its head and deputies and its own task wording."""

    name: str
    head_title: str
    deputy_title: str
    tasks: tuple[TaskTemplate, ...] = ()


T = TaskTemplate

# --- districts and communes (invented names) ------------------------------------------------
DISTRICT_NAMES = (
    "Vân Khê",
    "Ngọc Lĩnh",
    "Tùng Lâm",
    "Bạch Thủy",
    "Kim Khê",
    "Phù Vân",
    "Đông Nguyên",
    "Thanh Mộc",
    "Lam Điền",
    "Hạ Vân",
    "Thượng Khê",
    "Tây Lĩnh",
)
PLACE_FIRST = (
    "An",
    "Bình",
    "Cẩm",
    "Đồng",
    "Hòa",
    "Hưng",
    "Kim",
    "Lạc",
    "Long",
    "Minh",
    "Nghĩa",
    "Phú",
    "Phúc",
    "Quang",
    "Tân",
    "Thái",
    "Thạch",
    "Thanh",
    "Thịnh",
    "Thuận",
    "Trung",
    "Vĩnh",
    "Xuân",
    "Yên",
    "Hồng",
    "Ngọc",
    "Tiên",
    "Cao",
    "Đại",
    "Mỹ",
    "Bảo",
    "Hương",
    "Lương",
    "Vạn",
    "Nam",
)
PLACE_SECOND = (
    "Sơn",
    "Hà",
    "Lâm",
    "Khê",
    "Lộc",
    "Phong",
    "Tiến",
    "Thành",
    "Hòa",
    "Lợi",
    "Nghĩa",
    "Hưng",
    "Điền",
    "Tuyền",
    "Vân",
    "Trạch",
    "Lĩnh",
    "Mỹ",
    "Đông",
    "Tây",
    "Xuyên",
    "Động",
    "Cương",
    "Dương",
    "Hải",
    "Quế",
    "Trù",
    "Liễu",
    "Bồng",
    "Nguyên",
    "Giang",
    "Thủy",
    "Chính",
    "Mai",
)
CITY_EVERY = 10  # every tenth district (the first one included) is a city

# --- provincial units -----------------------------------------------------------------------
_GD, _PGD = "Giám đốc Sở", "Phó Giám đốc Sở"
DEPARTMENTS = (
    UnitTemplate(
        "Sở Nội vụ",
        _GD,
        _PGD,
        (
            T("Thẩm định đề án vị trí việc làm của các cơ quan, đơn vị", "đề án", 10, 40),
            T("Số cán bộ, công chức được tuyển dụng, tiếp nhận theo quy định", "người", 20, 120),
        ),
    ),
    UnitTemplate(
        "Sở Tài chính",
        _GD,
        _PGD,
        (
            T("Thu ngân sách nhà nước trên địa bàn tỉnh", "tỷ đồng", 3500, 9000, 1),
            T("Thẩm định quyết toán dự án hoàn thành", "dự án", 40, 160),
        ),
    ),
    UnitTemplate(
        "Sở Tư pháp",
        _GD,
        _PGD,
        (
            T("Thẩm định dự thảo văn bản quy phạm pháp luật", "văn bản", 20, 70),
            T("Số lượt người được trợ giúp pháp lý", "lượt người", 300, 1200),
        ),
    ),
    UnitTemplate(
        "Sở Công Thương",
        _GD,
        _PGD,
        (
            T("Giá trị sản xuất công nghiệp tăng thêm", "tỷ đồng", 800, 3000, 1),
            T("Số sản phẩm OCOP được công nhận mới", "sản phẩm", 10, 40),
        ),
    ),
    UnitTemplate(
        "Sở Xây dựng",
        _GD,
        _PGD,
        (
            T("Cấp giấy phép xây dựng đúng hạn", "giấy phép", 80, 400),
            T("Bảo trì, sửa chữa đường tỉnh", "km", 20, 90, 1),
        ),
    ),
    UnitTemplate(
        "Sở Nông nghiệp và Môi trường",
        _GD,
        _PGD,
        (
            T("Diện tích trồng rừng tập trung", "ha", 800, 3000),
            T("Cấp giấy chứng nhận quyền sử dụng đất lần đầu", "giấy chứng nhận", 1000, 5000),
        ),
    ),
    UnitTemplate(
        "Sở Giáo dục và Đào tạo",
        _GD,
        _PGD,
        (
            T("Tỷ lệ học sinh tốt nghiệp trung học phổ thông", "%", 94, 98, 1),
            T("Số trường học được công nhận đạt chuẩn quốc gia", "trường", 10, 30),
        ),
    ),
    UnitTemplate(
        "Sở Y tế",
        _GD,
        _PGD,
        (
            T("Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 92, 97, 1),
            T("Số trạm y tế xã đạt bộ tiêu chí quốc gia về y tế", "trạm", 8, 25),
        ),
    ),
    UnitTemplate(
        "Sở Khoa học và Công nghệ",
        _GD,
        _PGD,
        (
            T("Nhiệm vụ khoa học và công nghệ được nghiệm thu", "nhiệm vụ", 8, 25),
            T("Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng", "%", 85, 96, 1),
        ),
    ),
    UnitTemplate(
        "Sở Văn hóa, Thể thao và Du lịch",
        _GD,
        _PGD,
        (
            T("Lượt khách du lịch đến tỉnh", "nghìn lượt", 900, 2500),
            T("Số di tích được tu bổ, tôn tạo", "di tích", 3, 12),
        ),
    ),
    UnitTemplate(
        "Sở Dân tộc và Tôn giáo",
        _GD,
        _PGD,
        (T("Số hộ đồng bào dân tộc thiểu số được hỗ trợ sinh kế", "hộ", 200, 900),),
    ),
    UnitTemplate(
        "Sở Ngoại vụ", _GD, _PGD, (T("Số đoàn khách quốc tế được đón tiếp", "đoàn", 10, 40),)
    ),
    UnitTemplate(
        "Thanh tra tỉnh",
        "Chánh Thanh tra tỉnh",
        "Phó Chánh Thanh tra tỉnh",
        (
            T("Số cuộc thanh tra hành chính theo kế hoạch", "cuộc", 8, 20),
            T("Số tiền kiến nghị thu hồi về ngân sách", "tỷ đồng", 5, 40, 1),
        ),
    ),
    UnitTemplate(
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        (T("Tỷ lệ văn bản trình Ủy ban nhân dân tỉnh đúng hạn", "%", 92, 98, 1),),
    ),
    UnitTemplate(
        "Ban Quản lý các khu công nghiệp tỉnh",
        "Trưởng Ban",
        "Phó Trưởng Ban",
        (T("Số dự án đầu tư mới vào khu công nghiệp", "dự án", 4, 15),),
    ),
    UnitTemplate(
        "Đài Phát thanh và Truyền hình tỉnh",
        "Giám đốc Đài",
        "Phó Giám đốc Đài",
        (T("Thời lượng chương trình tự sản xuất", "giờ", 1500, 4000),),
    ),
    UnitTemplate(
        "Trường Chính trị tỉnh",
        "Hiệu trưởng",
        "Phó Hiệu trưởng",
        (T("Số học viên tốt nghiệp trung cấp lý luận chính trị", "học viên", 300, 900),),
    ),
    UnitTemplate(
        "Ban Quản lý dự án đầu tư xây dựng tỉnh",
        "Giám đốc Ban",
        "Phó Giám đốc Ban",
        (T("Giá trị khối lượng xây dựng hoàn thành", "tỷ đồng", 300, 1200, 1),),
    ),
    UnitTemplate(
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        (T("Số cuộc tiếp xúc cử tri được phục vụ", "cuộc", 40, 120),),
    ),
    UnitTemplate(
        "Báo Sơn Hà",
        "Tổng Biên tập",
        "Phó Tổng Biên tập",
        (T("Số tin, bài, ảnh được xuất bản", "tin bài", 6000, 15000),),
    ),
)

MASS_ORGS = (
    UnitTemplate(
        "Ủy ban Mặt trận Tổ quốc tỉnh",
        "Chủ tịch Ủy ban Mặt trận Tổ quốc tỉnh",
        "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc tỉnh",
        (T("Hỗ trợ xây dựng, sửa chữa nhà Đại đoàn kết", "căn", 150, 600),),
    ),
    UnitTemplate(
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",
        "Phó Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",
        (T("Số hội viên phụ nữ được hỗ trợ vay vốn phát triển kinh tế", "hội viên", 500, 2000),),
    ),
    UnitTemplate(
        "Tỉnh đoàn",
        "Bí thư Tỉnh đoàn",
        "Phó Bí thư Tỉnh đoàn",
        (T("Số công trình, phần việc thanh niên được thực hiện", "công trình", 50, 200),),
    ),
    UnitTemplate(
        "Hội Nông dân tỉnh",
        "Chủ tịch Hội Nông dân tỉnh",
        "Phó Chủ tịch Hội Nông dân tỉnh",
        (T("Số hộ nông dân đạt danh hiệu sản xuất, kinh doanh giỏi", "hộ", 3000, 9000),),
    ),
    UnitTemplate(
        "Liên đoàn Lao động tỉnh",
        "Chủ tịch Liên đoàn Lao động tỉnh",
        "Phó Chủ tịch Liên đoàn Lao động tỉnh",
        (T("Số đoàn viên công đoàn được phát triển mới", "đoàn viên", 1500, 5000),),
    ),
    UnitTemplate(
        "Hội Cựu chiến binh tỉnh",
        "Chủ tịch Hội Cựu chiến binh tỉnh",
        "Phó Chủ tịch Hội Cựu chiến binh tỉnh",
        (T("Số hội viên cựu chiến binh được giúp đỡ thoát nghèo", "hội viên", 30, 150),),
    ),
)

PARTY_BOARDS = (
    UnitTemplate(
        "Ban Tổ chức Tỉnh ủy",
        "Trưởng Ban Tổ chức Tỉnh ủy",
        "Phó Trưởng Ban Tổ chức Tỉnh ủy",
        (T("Thẩm định hồ sơ cán bộ diện Ban Thường vụ Tỉnh ủy quản lý", "hồ sơ", 40, 150),),
    ),
    UnitTemplate(
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
        (T("Số hội nghị học tập, quán triệt nghị quyết được tổ chức", "hội nghị", 4, 12),),
    ),
    UnitTemplate(
        "Ủy ban Kiểm tra Tỉnh ủy",
        "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
        "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
        (T("Số cuộc kiểm tra khi có dấu hiệu vi phạm", "cuộc", 4, 15),),
    ),
    UnitTemplate(
        "Văn phòng Tỉnh ủy",
        "Chánh Văn phòng Tỉnh ủy",
        "Phó Chánh Văn phòng Tỉnh ủy",
        (T("Tỷ lệ văn bản đi được ký số, phát hành qua mạng", "%", 90, 98, 1),),
    ),
    UnitTemplate(
        "Ban Nội chính Tỉnh ủy",
        "Trưởng Ban Nội chính Tỉnh ủy",
        "Phó Trưởng Ban Nội chính Tỉnh ủy",
        (T("Số vụ việc, vụ án được theo dõi, đôn đốc xử lý", "vụ việc", 10, 40),),
    ),
)

CENTRAL_AGENCIES = (
    UnitTemplate(
        "Bảo hiểm xã hội tỉnh",
        "Giám đốc Bảo hiểm xã hội tỉnh",
        "Phó Giám đốc Bảo hiểm xã hội tỉnh",
        (T("Số người tham gia bảo hiểm xã hội tự nguyện tăng thêm", "người", 2000, 8000),),
    ),
    UnitTemplate(
        "Thuế tỉnh",
        "Trưởng Thuế tỉnh",
        "Phó Trưởng Thuế tỉnh",
        (T("Thu nội địa được giao", "tỷ đồng", 2500, 7000, 1),),
    ),
    UnitTemplate(
        "Kho bạc Nhà nước khu vực",
        "Giám đốc Kho bạc",
        "Phó Giám đốc Kho bạc",
        (T("Tỷ lệ hồ sơ kiểm soát chi được giải quyết đúng hạn", "%", 96, 99, 1),),
    ),
    UnitTemplate(
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
        "Giám đốc Chi nhánh",
        "Phó Giám đốc Chi nhánh",
        (T("Dư nợ cho vay chính sách tăng thêm", "tỷ đồng", 200, 800, 1),),
    ),
)

BOARD_UNIT_PREFIX = "Tỉnh ủy"

# --- task wording by unit kind ----------------------------------------------------------------
TASKS_BY_KIND: MappingProxyType[str, tuple[TaskTemplate, ...]] = MappingProxyType(
    {
        "HUYEN": (
            T("Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 150, 900, 1),
            T("Tỷ lệ giải ngân vốn đầu tư công", "%", 85, 95, 1),
            T("Số xã đạt chuẩn nông thôn mới nâng cao", "xã", 1, 4),
            T("Cứng hóa đường giao thông nông thôn", "km", 10, 45, 1),
            T("Số hộ thoát nghèo", "hộ", 80, 400),
            T("Xóa nhà tạm, nhà dột nát cho hộ nghèo, hộ cận nghèo", "căn", 30, 150),
            T("Kết nạp đảng viên mới", "đảng viên", 80, 250),
            T("Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 90, 97, 1),
            T("Trồng rừng mới tập trung", "ha", 100, 600),
            T("Số lao động được tạo việc làm mới", "người", 800, 2500),
            T("Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", 94, 98, 1),
            T("Tổ chức đối thoại trực tiếp với Nhân dân", "cuộc", 4, 12),
            T("Kiểm tra, giám sát tổ chức đảng và đảng viên", "cuộc", 10, 30),
            T("Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", 80, 92, 1),
            T("Giải phóng mặt bằng các dự án trọng điểm", "ha", 20, 120, 1),
            T("Số trường học đạt chuẩn quốc gia mới", "trường", 2, 6),
            T("Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý", "%", 80, 95, 1),
            T("Thu hút dự án đầu tư mới", "dự án", 2, 8),
        ),
        "SO": (
            T("Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến toàn trình", "%", 60, 90, 1),
            T("Tỷ lệ giải ngân vốn đầu tư công được giao", "%", 85, 95, 1),
            T("Tham mưu ban hành văn bản quy phạm pháp luật", "văn bản", 3, 12),
            T("Số cuộc thanh tra, kiểm tra chuyên ngành", "cuộc", 6, 25),
            T("Đề án, chương trình trình Tỉnh ủy, Ủy ban nhân dân tỉnh", "đề án", 2, 8),
            T("Điểm chỉ số cải cách hành chính của cơ quan", "điểm", 85, 92, 1),
            T("Số lượt cán bộ, công chức được đào tạo, bồi dưỡng", "lượt người", 50, 300),
            T("Số hồ sơ thủ tục hành chính được giải quyết", "hồ sơ", 500, 6000),
            T("Tiết kiệm chi thường xuyên", "triệu đồng", 300, 3000),
            T("Đơn vị trực thuộc hoàn thành sắp xếp tổ chức bộ máy", "đơn vị", 2, 6),
            T("Tin, bài tuyên truyền trên Cổng thông tin điện tử", "tin bài", 100, 400),
            T("Giải quyết đơn thư khiếu nại, tố cáo thuộc thẩm quyền", "vụ việc", 10, 60),
            T("Kết nạp đảng viên mới trong đảng bộ cơ quan", "đảng viên", 3, 15),
        ),
        "DOANTHE": (
            T("Kết nạp hội viên, đoàn viên mới", "hội viên", 500, 3000),
            T("Tổ chức giám sát, phản biện xã hội", "cuộc", 3, 10),
            T("Vận động nguồn lực hỗ trợ hội viên khó khăn", "triệu đồng", 500, 5000),
            T("Xây dựng mô hình điểm ở cơ sở", "mô hình", 3, 12),
            T("Tỷ lệ cơ sở hội xếp loại vững mạnh", "%", 70, 90, 1),
            T("Tập huấn cán bộ hội cơ sở", "lớp", 4, 15),
            T("Giới thiệu đoàn viên, hội viên ưu tú cho Đảng xem xét kết nạp", "người", 50, 300),
            T("Tuyên truyền, phổ biến pháp luật cho hội viên", "buổi", 20, 80),
            T("Tham gia hòa giải ở cơ sở", "vụ việc", 20, 100),
            T("Hỗ trợ hội viên xây dựng sản phẩm OCOP", "sản phẩm", 3, 12),
            T("Số chi hội, tổ hội được củng cố, kiện toàn", "chi hội", 10, 60),
            T("Số hội viên tham gia bảo hiểm xã hội tự nguyện", "hội viên", 200, 1000),
            T("Số phần quà trao cho gia đình chính sách dịp Tết", "suất", 500, 2000),
        ),
        "BANDANG": (
            T("Tham mưu ban hành nghị quyết, chỉ thị, kết luận", "văn bản", 5, 20),
            T("Kiểm tra, giám sát theo chương trình năm", "cuộc", 8, 25),
            T("Tỷ lệ văn bản tham mưu trình đúng hạn", "%", 90, 98, 1),
            T("Khảo sát, nắm tình hình cơ sở", "cuộc", 6, 20),
            T("Chuyên đề, báo cáo tổng kết", "chuyên đề", 3, 10),
            T("Đơn thư được xem xét, giải quyết", "đơn", 20, 80),
            T("Hướng dẫn nghiệp vụ cho cấp ủy cơ sở", "lớp", 3, 10),
            T("Báo cáo định kỳ, đột xuất gửi Ban Thường vụ Tỉnh ủy", "báo cáo", 20, 60),
            T("Tổng hợp, theo dõi kết luận của Ban Thường vụ Tỉnh ủy", "kết luận", 30, 90),
            T("Phối hợp kiểm tra việc thực hiện quy chế làm việc", "cuộc", 3, 10),
            T("Cập nhật dữ liệu đảng viên trên phần mềm quản lý", "hồ sơ", 500, 3000),
            T("Hội thảo, tọa đàm khoa học", "cuộc", 1, 4),
            T("Tỷ lệ tổ chức đảng được hướng dẫn quy trình nhân sự", "%", 85, 98, 1),
        ),
        "NGANHDOC": (
            T("Tỷ lệ hồ sơ giải quyết đúng hạn", "%", 94, 98, 1),
            T("Số cuộc kiểm tra chuyên ngành", "cuộc", 6, 24),
            T("Dịch vụ công trực tuyến toàn trình được triển khai", "dịch vụ", 3, 12),
            T("Tiết kiệm chi thường xuyên", "triệu đồng", 200, 1500),
            T("Số lượt tuyên truyền chính sách đến người dân", "lượt", 50, 300),
            T("Thu hồi nợ đọng", "tỷ đồng", 10, 80, 1),
            T("Số cán bộ được đào tạo nâng cao nghiệp vụ", "người", 20, 120),
            T("Phối hợp kiểm tra liên ngành với địa phương", "cuộc", 3, 10),
            T("Số đơn vị, doanh nghiệp được đối thoại, tháo gỡ vướng mắc", "đơn vị", 20, 120),
            T("Tỷ lệ giao dịch điện tử", "%", 80, 95, 1),
            T("Kết nạp đảng viên mới trong đảng bộ cơ quan", "đảng viên", 2, 10),
            T("Số hồ sơ được số hóa", "hồ sơ", 2000, 10000),
            T("Tổ chức hội nghị đối thoại với người lao động", "cuộc", 1, 4),
        ),
    }
)

COMMON_TASKS = (
    T("Tổ chức hội nghị đối thoại với cán bộ, công chức", "cuộc", 1, 4),
    T("Tỷ lệ cán bộ, đảng viên học tập, quán triệt nghị quyết", "%", 90, 98, 1),
    T("Văn bản cụ thể hóa Nghị quyết Đại hội Đảng bộ tỉnh", "văn bản", 2, 6),
    T("Tỷ lệ văn bản điện tử được ký số", "%", 85, 98, 1),
    T("Giải quyết kiến nghị của cử tri thuộc thẩm quyền", "kiến nghị", 5, 40),
    T("Tiếp công dân định kỳ", "buổi", 6, 12),
    T("Sáng kiến, giải pháp được công nhận", "sáng kiến", 2, 10),
    T("Kiểm tra việc thực hiện quy chế dân chủ ở cơ sở", "cuộc", 2, 8),
)

#: Tasks that take several years; the year is judged by its milestone (seed 000).
LONG_TERM_TASKS = (
    T("Đầu tư xây dựng tuyến đường kết nối các xã vùng cao (giai đoạn 2025–2027)", "km", 30, 60, 1),
    T("Số hóa toàn bộ hồ sơ lưu trữ của cơ quan (giai đoạn 2025–2026)", "hồ sơ", 20000, 60000),
    T("Trồng rừng thay thế theo đề án giai đoạn 2025–2028", "ha", 400, 1200),
    T("Kiên cố hóa trường, lớp học (giai đoạn 2025–2027)", "phòng học", 60, 180),
    T(
        "Xây dựng cơ sở dữ liệu chuyên ngành dùng chung (giai đoạn 2025–2026)",
        "bảng dữ liệu",
        40,
        120,
    ),
)

ORIGIN_COMMITMENT, ORIGIN_ASSIGNED = "Cam kết", "Được giao"
#: Measures that only make sense over the whole year (rates, money): due late in the year.
YEAR_END_MEASURES = frozenset({"%", "tỷ đồng", "triệu đồng", "điểm"})

# --- free text --------------------------------------------------------------------------------
EVIDENCE = (
    "Báo cáo kết quả thực hiện số {n}/BC ngày {d}",
    "Biên bản kiểm tra, nghiệm thu ngày {d}",
    "Quyết định công nhận số {n}/QĐ-UBND ngày {d}",
    "Số liệu trích xuất từ hệ thống thông tin ngày {d}",
    "Kế hoạch số {n}-KH và báo cáo sơ kết ngày {d}",
    "Danh sách kèm theo Báo cáo số {n}/BC ngày {d}",
)
OBSTACLES = (
    "Nguồn vốn được phân bổ chậm so với kế hoạch",
    "Ảnh hưởng của mưa lũ kéo dài trong tháng 9",
    "Thủ tục giải phóng mặt bằng kéo dài, một số hộ chưa đồng thuận",
    "Thiếu cán bộ chuyên môn sau khi sắp xếp tổ chức bộ máy",
    "Hướng dẫn của cấp trên ban hành chậm",
    "Giá vật liệu xây dựng tăng cao, nhà thầu thi công cầm chừng",
    "Hệ thống phần mềm dùng chung chưa đồng bộ",
)
PROPOSALS = (
    "Đề nghị tỉnh sớm bổ sung kinh phí thực hiện",
    "Đề nghị điều chỉnh thời hạn hoàn thành sang quý I năm sau",
    "Kiến nghị các sở, ngành phối hợp tháo gỡ vướng mắc về thủ tục",
    "Đề nghị bổ sung biên chế cán bộ chuyên môn",
    "Đề nghị Ban Thường vụ Tỉnh ủy chỉ đạo các đơn vị liên quan phối hợp",
)
PROGRESS_NOTES_AHEAD = ("Đã hoàn thành", "Vượt tiến độ", "Cơ bản hoàn thành")
PROGRESS_NOTES_ON_TRACK = ("Đang triển khai theo kế hoạch", "Đúng tiến độ")
PROGRESS_NOTES_BEHIND = (
    "Chậm so với kế hoạch do nguồn vốn phân bổ muộn",
    "Chậm tiến độ, đang đôn đốc thực hiện",
    "Chưa đạt tiến độ do vướng mắc thủ tục",
)
COMMUNE_COMMENTS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "HTXSNV": (
            "Đồng chí thường xuyên về cơ sở, nắm chắc tình hình, "
            "hỗ trợ xã tháo gỡ nhiều vướng mắc.",
            "Theo dõi sát địa bàn, tham dự đầy đủ các hội nghị quan trọng của Đảng ủy xã.",
            "Có nhiều đề xuất thiết thực giúp xã hoàn thành chỉ tiêu nông thôn mới.",
        ),
        "HTTNV": (
            "Đồng chí về cơ sở theo kế hoạch, nắm được tình hình địa phương.",
            "Tham dự các hội nghị của Đảng ủy xã, có ý kiến chỉ đạo kịp thời.",
            "Thực hiện tốt nhiệm vụ theo dõi, báo cáo đầy đủ.",
        ),
        "HTNV": (
            "Số lần về cơ sở còn ít, chưa nắm sâu tình hình địa phương.",
            "Đã xây dựng kế hoạch theo dõi nhưng thực hiện chưa đầy đủ.",
        ),
        "KHTNV": (
            "Đồng chí ít về cơ sở, không tham dự các hội nghị quan trọng của Đảng ủy xã; "
            "đề nghị Ban Thường vụ Tỉnh ủy xem xét phân công cán bộ khác theo dõi.",
        ),
    }
)
DISCIPLINE_REASONS = (
    "Thiếu trách nhiệm trong lãnh đạo, chỉ đạo để xảy ra vi phạm trong quản lý đất đai",
    "Vi phạm quy định về quản lý, sử dụng tài sản công tại đơn vị",
    "Buông lỏng kiểm tra, giám sát để xảy ra sai phạm trong thực hiện dự án đầu tư công",
)

# --- people -----------------------------------------------------------------------------------
GENDER_MALE, GENDER_FEMALE = "Nam", "Nữ"
EXTRA_SURNAMES = (
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Võ",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Đinh",
    "Lý",
    "Hà",
    "Lương",
    "Đào",
    "Trịnh",
    "Cao",
    "Tạ",
    "Quách",
    "Bạch",
    "Kiều",
)
MALE_MIDDLE = (
    "Văn",
    "Văn",
    "Đức",
    "Minh",
    "Quang",
    "Hữu",
    "Xuân",
    "Thanh",
    "Mạnh",
    "Công",
    "Hồng",
    "Ngọc",
    "Trung",
    "Tiến",
    "Đình",
    "Thế",
    "Bá",
    "Duy",
    "Quốc",
)
FEMALE_MIDDLE = (
    "Thị",
    "Thị",
    "Thị",
    "Thu",
    "Thanh",
    "Ngọc",
    "Minh",
    "Hồng",
    "Kim",
    "Thúy",
    "Phương",
    "Bích",
)
EXTRA_MALE_GIVEN = (
    "Hùng",
    "Thắng",
    "Cường",
    "Hải",
    "Long",
    "Sơn",
    "Tuấn",
    "Toàn",
    "Khánh",
    "Thịnh",
    "Hiếu",
    "Hòa",
    "Kiên",
    "Lợi",
    "Nghĩa",
    "Phong",
    "Quyết",
    "Tài",
    "Thuận",
    "Tiến",
    "Trường",
    "Vinh",
    "Việt",
    "Định",
    "Đạt",
    "Hậu",
    "Luận",
    "Bình",
    "Chiến",
    "Chung",
    "Giáp",
    "Khải",
    "Lực",
)
EXTRA_FEMALE_GIVEN = (
    "Hằng",
    "Hoa",
    "Huyền",
    "Liên",
    "Loan",
    "Nga",
    "Nhung",
    "Oanh",
    "Phượng",
    "Quyên",
    "Thơ",
    "Thủy",
    "Trang",
    "Tuyết",
    "Hà",
    "Hạnh",
    "Dung",
    "Giang",
    "Hiền",
    "Lý",
)
#: Names of well-known real people (national leaders, historical figures, people named in the
#: seed articles); a generated name that matches one is drawn again.
FAMOUS_NAMES = frozenset(
    {
        "Hồ Chí Minh",
        "Võ Nguyên Giáp",
        "Phạm Văn Đồng",
        "Tôn Đức Thắng",
        "Lê Duẩn",
        "Trường Chinh",
        "Nguyễn Văn Linh",
        "Đỗ Mười",
        "Lê Khả Phiêu",
        "Nông Đức Mạnh",
        "Nguyễn Phú Trọng",
        "Tô Lâm",
        "Võ Văn Kiệt",
        "Phan Văn Khải",
        "Nguyễn Tấn Dũng",
        "Nguyễn Xuân Phúc",
        "Phạm Minh Chính",
        "Lê Đức Anh",
        "Trần Đức Lương",
        "Nguyễn Minh Triết",
        "Trương Tấn Sang",
        "Trần Đại Quang",
        "Võ Văn Thưởng",
        "Lương Cường",
        "Nguyễn Thị Kim Ngân",
        "Vương Đình Huệ",
        "Trần Thanh Mẫn",
        "Nguyễn Sinh Hùng",
        "Nguyễn Văn An",
        "Nguyễn Thị Bình",
        "Trương Thị Mai",
        "Võ Thị Ánh Xuân",
        "Đặng Thị Ngọc Thịnh",
        "Nguyễn Hòa Bình",
        "Trần Hồng Hà",
        "Lê Thành Long",
        "Bùi Thanh Sơn",
        "Phan Văn Giang",
        "Lương Tam Quang",
        "Nguyễn Văn Thắng",
        "Nguyễn Văn Hùng",
        "Nguyễn Văn Bình",
        "Nguyễn Văn Nên",
        "Nguyễn Văn Quảng",
        "Nguyễn Xuân Thắng",
        "Nguyễn Trọng Nghĩa",
        "Lê Minh Hưng",
        "Trần Cẩm Tú",
        "Nguyễn Duy Ngọc",
        "Phan Đình Trạc",
        "Trần Quốc Vượng",
        "Nguyễn Mạnh Hùng",
        "Nguyễn Kim Sơn",
        "Đào Ngọc Dung",
        "Lê Minh Hoan",
        "Nguyễn Chí Dũng",
        "Huỳnh Thành Đạt",
        "Nguyễn Thanh Long",
        "Nguyễn Thiện Nhân",
        "Trịnh Đình Dũng",
        "Trương Hòa Bình",
        "Vũ Đức Đam",
        "Phạm Bình Minh",
        "Lê Minh Khái",
        "Trần Lưu Quang",
        "Bùi Văn Cường",
        "Nguyễn Khắc Định",
        "Nguyễn Đức Hải",
        "Trần Quang Phương",
        "Đỗ Văn Chiến",
        "Nguyễn Chí Vịnh",
        "Nguyễn Huệ",
        "Lê Lợi",
        "Nguyễn Trãi",
        "Nguyễn Du",
        "Trần Hưng Đạo",
        "Trần Quốc Toản",
        "Lý Thường Kiệt",
        "Nguyễn Văn Trỗi",
        "Võ Thị Sáu",
        "Nguyễn Thị Minh Khai",
        "Ngô Đình Diệm",
        "Nguyễn Văn Thiệu",
        "Nguyễn Phi Long",
        "Nguyễn Thế Dũng",
        "Đỗ Hải Hồ",
        "Nguyễn Văn Duấn",
        "Phạm Văn Hạnh",
        "Nguyễn Văn Vị",
        "Hoàng Thị Thúy Lan",
    }
)
