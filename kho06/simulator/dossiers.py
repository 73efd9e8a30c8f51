"""The administrative-procedure (TTHC) dossiers feed: the procedure catalogue and one JSON Lines file per day.

Layout under `OUT/dossiers/` (contract: docs/contracts/dossiers.md):

* `catalogue/thu_tuc_hanh_chinh.csv` – the province's 1,899 procedures (UTF-8 with BOM), whole at every scale;
* `catalogue/don_vi_xu_ly.csv` – the agencies that handle dossiers, with the district and commune they serve;
* `daily/<YYYY>/<YYYY-MM-DD>.jsonl` – one national-portal sync call (`DongBoHoSoMC`) per line, one dossier per
  call, filed under the day the dossier was received; every line carries the dossier's state at `cfg.end`.

How it is built:

1. the catalogue, the agency register, registers of applicants (people, businesses) and the per-day volume
   (year-on-year growth, weekday and seasonal pattern, public holidays) are fixed first;
2. every dossier's facts (day, time, procedure, agency, channel, status, dates, digitisation, rating) are
   drawn at once as numpy columns, and the calibrated figures are made exact by allocation: the positive
   share of ratings per year and the count of digitised dossiers per year;
3. defects are planned over those facts from the `defects` streams and logged in the truth file;
4. month by month, each dossier's line is spliced from JSON pieces encoded once (procedure, applicant, officer,
   progress step, fee, flags) with the month's own random choices; dossiers touched by a defect are
   re-encoded from their changed fields; a writer thread writes one file per day while the next month is
   built.
"""

from __future__ import annotations

import calendar
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
from vietnamadminunits.database import query

from kho06.simulator.config import DEFAULT_END, DEFAULT_START, FeedResult, SimConfig
from kho06.simulator.geography import Geography
from kho06.simulator.names import full_names
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog, defect_count, pick_disjoint

FEED = "dossiers"
REAL_DOSSIERS = 3_000_000  # dossiers received 2021-01-01 .. 2023-12-31 at scale 1
CATALOGUE_FILE = "catalogue/thu_tuc_hanh_chinh.csv"
AGENCY_FILE = "catalogue/don_vi_xu_ly.csv"
PROVINCE_SYSTEM = "000.00.00.H23"  # `madonvi` of every sync call: the province's one-stop system
SERVICE = "DongBoHoSoMC"

# Catalogue figures (kpi_targets.csv): exact by construction.
N_PROCEDURES = 1899
N_FULL_ONLINE = 573
N_ON_NATIONAL_PORTAL = 618

# Calibrated dossier figures (kpi_targets.csv) and the free figures of the other years.
SATISFACTION = {2021: 0.862, 2022: 0.891, 2023: 0.924}
SATISFACTION_OTHER = 0.93
RATING_RATE = {2021: 0.30, 2022: 0.40, 2023: 0.50}
DIGITISED_SHARE = {2021: 0.18, 2022: 0.33, 2023: 0.42}
DIGITISED_GROWTH_2023 = 1.38

CAP_NAMES = ("Tỉnh", "Huyện", "Xã")
SECONDS_PER_DAY = 86_400
OPEN_AM, CLOSE_AM, OPEN_PM, CLOSE_PM = 27_000, 41_400, 48_600, 61_200  # 07:30, 11:30, 13:30, 17:00
STUCK_DAYS = 180

# Weekday public holidays (Tết, Giỗ Tổ, 30/4–1/5, 2/9, New Year, with compensating days), approximate.
HOLIDAYS = np.array(
    [
        "2020-01-01",
        "2020-01-23",
        "2020-01-24",
        "2020-01-27",
        "2020-01-28",
        "2020-01-29",
        "2020-04-02",
        "2020-04-30",
        "2020-05-01",
        "2020-09-02",
        "2021-01-01",
        "2021-02-10",
        "2021-02-11",
        "2021-02-12",
        "2021-02-15",
        "2021-02-16",
        "2021-04-21",
        "2021-04-30",
        "2021-05-03",
        "2021-09-02",
        "2021-09-03",
        "2022-01-03",
        "2022-01-31",
        "2022-02-01",
        "2022-02-02",
        "2022-02-03",
        "2022-02-04",
        "2022-04-11",
        "2022-05-02",
        "2022-05-03",
        "2022-09-01",
        "2022-09-02",
        "2023-01-02",
        "2023-01-20",
        "2023-01-23",
        "2023-01-24",
        "2023-01-25",
        "2023-01-26",
        "2023-05-01",
        "2023-05-02",
        "2023-05-03",
        "2023-09-01",
        "2023-09-04",
        "2024-01-01",
        "2024-02-08",
        "2024-02-09",
        "2024-02-12",
        "2024-02-13",
        "2024-02-14",
        "2024-04-18",
        "2024-04-29",
        "2024-04-30",
        "2024-05-01",
        "2024-09-02",
        "2024-09-03",
        "2025-01-01",
        "2025-01-27",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-04-07",
        "2025-04-30",
        "2025-05-01",
        "2025-05-02",
        "2025-09-01",
        "2025-09-02",
    ],
    dtype="datetime64[D]",
)
WEEKDAY_WEIGHT = np.array([1.10, 1.0, 1.0, 1.0, 0.95, 0.22, 0.04])  # Monday .. Sunday
MONTH_WEIGHT = np.array([1.10, 0.80, 1.05, 1.00, 1.00, 1.05, 1.10, 1.05, 0.95, 1.00, 1.00, 1.05])
YEARLY_GROWTH = 1.15

# ---------------------------------------------------------------------------------------------------------
# Procedure catalogue: fields (lĩnh vực), name templates, the 25 essential services of Đề án 06
# ---------------------------------------------------------------------------------------------------------

DEPARTMENTS = [
    "Sở Tư pháp",
    "Công an tỉnh",
    "Sở Tài nguyên và Môi trường",
    "Sở Xây dựng",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Lao động – Thương binh và Xã hội",
    "Sở Công Thương",
    "Sở Giao thông vận tải",
    "Sở Kế hoạch và Đầu tư",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Văn hoá, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Bảo hiểm xã hội tỉnh",
    "Công ty Điện lực Hải Dương",
]
A4 = ["Cấp {o}", "Cấp lại {o}", "Điều chỉnh {o}", "Thu hồi {o}"]


@dataclass(frozen=True)
class Field:
    code: str
    name: str
    dept: int  # index into DEPARTMENTS: the agency of its province-level procedures
    cap: tuple[float, float, float]  # weights of Tỉnh / Huyện / Xã
    n: int  # procedures in the catalogue
    vol: float  # relative dossier volume
    biz: float  # share of applicants that are businesses
    online: float  # affinity to level 4 (toàn trình)
    days: tuple[int, ...]  # legal processing times (working days)
    fee_p: float = 0.0
    fees: tuple[int, ...] = (0,)
    fee_name: str = "Phí, lệ phí giải quyết thủ tục hành chính"
    groups: list[tuple[list[str], list[str], list[str]]] = field(default_factory=list)


def _names(*names: str) -> tuple[list[str], list[str], list[str]]:
    return (list(names), [""], [""])


FIELDS = [
    Field(
        "TP-01",
        "Hộ tịch",
        0,
        (0.1, 0.3, 0.6),
        112,
        8.0,
        0.0,
        1.5,
        (1, 3, 5, 10, 15),
        0.5,
        (8_000, 10_000, 50_000, 1_000_000),
        "Lệ phí đăng ký hộ tịch",
        [
            (
                ["Đăng ký {o}", "Đăng ký lại {o}", "Đăng ký {o} lưu động", "Cấp bản sao trích lục {o}"],
                [
                    "khai sinh",
                    "kết hôn",
                    "khai tử",
                    "nhận cha, mẹ, con",
                    "giám hộ",
                    "chấm dứt giám hộ",
                    "thay đổi, cải chính, bổ sung thông tin hộ tịch",
                    "xác định lại dân tộc",
                    "khai sinh kết hợp nhận cha, mẹ, con",
                ],
                ["", " có yếu tố nước ngoài", " cho người Việt Nam định cư ở nước ngoài"],
            ),
            (
                ["Ghi vào Sổ hộ tịch việc {o} của công dân Việt Nam đã được giải quyết ở nước ngoài"],
                [
                    "kết hôn",
                    "ly hôn, huỷ việc kết hôn trái pháp luật",
                    "khai sinh",
                    "khai tử",
                    "nuôi con nuôi",
                    "nhận cha, mẹ, con",
                    "thay đổi hộ tịch",
                ],
                [""],
            ),
        ],
    ),
    Field(
        "TP-02",
        "Chứng thực",
        0,
        (0.0, 0.4, 0.6),
        39,
        11.0,
        0.05,
        0.6,
        (1, 2, 3),
        0.95,
        (2_000, 10_000, 30_000, 50_000),
        "Phí chứng thực",
        [
            (
                ["Chứng thực {o}"],
                [
                    "bản sao từ bản chính giấy tờ, văn bản",
                    "chữ ký trong giấy tờ, văn bản",
                    "chữ ký người dịch",
                    "hợp đồng, giao dịch liên quan đến động sản",
                    "hợp đồng, giao dịch về quyền sử dụng đất",
                    "hợp đồng, giao dịch về nhà ở",
                    "di chúc",
                    "văn bản từ chối nhận di sản",
                    "văn bản thoả thuận phân chia di sản",
                    "văn bản khai nhận di sản",
                    "hợp đồng uỷ quyền",
                    "việc sửa đổi, bổ sung, huỷ bỏ hợp đồng, giao dịch",
                ],
                ["", " bằng tiếng nước ngoài", " tại nơi cư trú theo yêu cầu"],
            ),
            (
                ["Sửa lỗi sai sót trong {o} đã được chứng thực"],
                ["hợp đồng, giao dịch", "văn bản thoả thuận phân chia di sản", "di chúc"],
                [""],
            ),
        ],
    ),
    Field(
        "TP-03",
        "Lý lịch tư pháp",
        0,
        (1.0, 0.0, 0.0),
        5,
        0.4,
        0.0,
        2.0,
        (10, 15),
        1.0,
        (200_000,),
        "Phí cung cấp thông tin lý lịch tư pháp",
        [
            (
                ["Cấp Phiếu lý lịch tư pháp {o}"],
                [
                    "cho cơ quan tiến hành tố tụng",
                    "cho cơ quan nhà nước, tổ chức chính trị – xã hội",
                    "số 2 theo yêu cầu của cá nhân",
                    "cho người nước ngoài đã cư trú tại Việt Nam",
                    "qua dịch vụ bưu chính công ích",
                ],
                [""],
            )
        ],
    ),
    Field(
        "TP-04",
        "Bổ trợ tư pháp",
        0,
        (0.95, 0.05, 0.0),
        70,
        0.3,
        0.3,
        1.0,
        (5, 7, 10, 15, 20),
        0.5,
        (100_000, 500_000, 1_000_000),
        "Lệ phí cấp chứng chỉ, thẻ hành nghề",
        [
            (
                [*A4, "Gia hạn {o}"],
                [
                    "Thẻ công chứng viên",
                    "Giấy đăng ký hoạt động Văn phòng công chứng",
                    "Chứng chỉ hành nghề luật sư",
                    "Giấy đăng ký hoạt động của tổ chức hành nghề luật sư",
                    "Thẻ giám định viên tư pháp",
                    "Thẻ đấu giá viên",
                    "Giấy đăng ký hoạt động của doanh nghiệp đấu giá tài sản",
                    "Thẻ thừa phát lại",
                    "Giấy đăng ký hoạt động Văn phòng thừa phát lại",
                    "Thẻ tư vấn viên pháp luật",
                    "Giấy đăng ký hoạt động của Trung tâm tư vấn pháp luật",
                    "Thẻ cộng tác viên trợ giúp pháp lý",
                    "Giấy đăng ký hoạt động của trung tâm trọng tài",
                    "Giấy đăng ký hành nghề quản lý, thanh lý tài sản",
                ],
                [""],
            )
        ],
    ),
    Field(
        "CA-01",
        "Cư trú",
        1,
        (0.0, 0.1, 0.9),
        12,
        3.0,
        0.0,
        3.0,
        (3, 5, 7),
        0.4,
        (10_000, 15_000, 20_000),
        "Lệ phí đăng ký cư trú",
        [
            _names(
                "Xoá đăng ký thường trú",
                "Xoá đăng ký tạm trú",
                "Tách hộ",
                "Gia hạn tạm trú",
                "Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú",
                "Khai báo thông tin về cư trú đối với người chưa đủ điều kiện đăng ký thường trú, tạm trú",
                "Huỷ bỏ kết quả đăng ký thường trú trái pháp luật",
                "Huỷ bỏ kết quả đăng ký tạm trú trái pháp luật",
                "Xác nhận thông tin về cư trú",
                "Đăng ký thường trú tại cơ sở tín ngưỡng, cơ sở tôn giáo",
                "Đăng ký tạm trú tại cơ sở trợ giúp xã hội",
                "Khai báo tạm trú cho người nước ngoài",
            )
        ],
    ),
    Field(
        "CA-02",
        "Căn cước công dân",
        1,
        (0.2, 0.8, 0.0),
        8,
        1.5,
        0.0,
        2.0,
        (7, 15),
        0.7,
        (30_000, 50_000, 70_000),
        "Lệ phí cấp Căn cước công dân",
        [
            _names(
                "Đổi thẻ Căn cước công dân",
                "Cấp lại thẻ Căn cước công dân",
                "Cấp thẻ Căn cước công dân cho người từ đủ 14 tuổi",
                "Khai thác thông tin trong Cơ sở dữ liệu quốc gia về dân cư",
                "Thông báo số định danh cá nhân",
                "Điều chỉnh thông tin trong Cơ sở dữ liệu quốc gia về dân cư",
                "Cấp tài khoản định danh điện tử mức độ 2",
                "Xác lập số định danh cá nhân",
            )
        ],
    ),
    Field(
        "CA-03",
        "Đăng ký, quản lý phương tiện giao thông",
        1,
        (0.3, 0.7, 0.0),
        10,
        1.0,
        0.1,
        1.5,
        (2, 3, 7),
        0.9,
        (50_000, 150_000, 500_000),
        "Lệ phí đăng ký, cấp biển số xe",
        [
            (
                ["Cấp lại {o}", "Cấp đổi {o}", "Thu hồi {o}"],
                ["chứng nhận đăng ký xe, biển số xe", "giấy chứng nhận đăng ký xe máy chuyên dùng"],
                [""],
            ),
            _names(
                "Đăng ký sang tên xe trong cùng tỉnh",
                "Đăng ký xe tạm thời",
                "Đăng ký, cấp biển số xe máy chuyên dùng lần đầu",
                "Sang tên, di chuyển xe sang tỉnh khác",
            ),
        ],
    ),
    Field(
        "TNMT-01",
        "Đất đai",
        2,
        (0.25, 0.6, 0.15),
        170,
        9.0,
        0.1,
        0.4,
        (10, 15, 20, 30),
        0.8,
        (20_000, 50_000, 100_000, 500_000),
        "Lệ phí cấp Giấy chứng nhận quyền sử dụng đất",
        [
            (
                [
                    "Đăng ký biến động quyền sử dụng đất {o}",
                    "Cấp Giấy chứng nhận quyền sử dụng đất {o}",
                    "Cấp đổi Giấy chứng nhận quyền sử dụng đất {o}",
                    "Cấp lại Giấy chứng nhận quyền sử dụng đất bị mất {o}",
                    "Đính chính Giấy chứng nhận quyền sử dụng đất đã cấp {o}",
                    "Chuyển mục đích sử dụng đất {o}",
                    "Gia hạn sử dụng đất {o}",
                    "Giao đất, cho thuê đất {o}",
                    "Thu hồi đất {o}",
                    "Cung cấp thông tin, dữ liệu đất đai {o}",
                    "Hoà giải tranh chấp đất đai {o}",
                    "Đăng ký đất đai lần đầu {o}",
                ],
                [
                    "đối với hộ gia đình, cá nhân",
                    "đối với tổ chức",
                    "đối với cơ sở tôn giáo",
                    "đối với người Việt Nam định cư ở nước ngoài",
                    "đối với doanh nghiệp có vốn đầu tư nước ngoài",
                    "đối với cộng đồng dân cư",
                ],
                ["", " tại khu vực đô thị"],
            ),
            (
                ["Đăng ký biến động quyền sử dụng đất {o}"],
                [
                    "do chuyển nhượng",
                    "do tặng cho",
                    "do thừa kế",
                    "do góp vốn",
                    "do tách thửa, hợp thửa",
                    "do thay đổi thông tin người sử dụng đất",
                    "do xoá nợ tiền sử dụng đất",
                    "do thế chấp",
                ],
                ["", " đối với tổ chức"],
            ),
            (
                ["Đăng ký {o}"],
                [
                    "thế chấp quyền sử dụng đất",
                    "thay đổi nội dung thế chấp đã đăng ký",
                    "xoá đăng ký thế chấp",
                    "văn bản thông báo xử lý tài sản thế chấp",
                    "cho thuê, cho thuê lại quyền sử dụng đất",
                    "xoá cho thuê, cho thuê lại quyền sử dụng đất",
                ],
                ["", " đối với tổ chức"],
            ),
        ],
    ),
    Field(
        "TNMT-02",
        "Tài nguyên và Môi trường",
        2,
        (0.85, 0.15, 0.0),
        66,
        0.5,
        0.8,
        0.6,
        (15, 20, 30),
        0.7,
        (500_000, 1_000_000, 2_000_000, 5_000_000),
        "Phí thẩm định hồ sơ môi trường, tài nguyên",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Điều chỉnh {o}", "Gia hạn {o}", "Trả lại {o}"],
                [
                    "giấy phép môi trường",
                    "giấy phép khai thác khoáng sản",
                    "giấy phép thăm dò khoáng sản",
                    "giấy phép khai thác nước dưới đất",
                    "giấy phép khai thác, sử dụng nước mặt",
                    "giấy phép xả nước thải vào nguồn nước",
                    "giấy phép hành nghề khoan nước dưới đất",
                    "giấy phép thăm dò nước dưới đất",
                    "giấy phép môi trường thành phần",
                    "giấy phép xử lý chất thải nguy hại",
                    "giấy phép khai thác tận thu khoáng sản",
                ],
                [""],
            ),
            (
                ["Thẩm định, phê duyệt {o}"],
                [
                    "báo cáo đánh giá tác động môi trường",
                    "phương án cải tạo, phục hồi môi trường",
                    "đề án đóng cửa mỏ khoáng sản",
                    "kế hoạch ứng phó sự cố tràn dầu",
                    "phương án bồi thường, hỗ trợ, tái định cư",
                    "tiền cấp quyền khai thác khoáng sản",
                    "tiền cấp quyền khai thác tài nguyên nước",
                    "trữ lượng khoáng sản",
                ],
                [""],
            ),
            (
                ["Đăng ký {o}"],
                [
                    "khai thác nước dưới đất",
                    "khai thác cát, sỏi lòng sông",
                    "chủ nguồn thải chất thải nguy hại",
                    "môi trường",
                ],
                [""],
            ),
        ],
    ),
    Field(
        "XD-01",
        "Xây dựng",
        3,
        (0.35, 0.55, 0.10),
        129,
        3.0,
        0.35,
        0.8,
        (7, 10, 15, 20, 30),
        0.7,
        (50_000, 75_000, 100_000, 150_000),
        "Lệ phí cấp giấy phép xây dựng",
        [
            (
                [
                    "Cấp giấy phép xây dựng mới {o}",
                    "Cấp giấy phép sửa chữa, cải tạo {o}",
                    "Cấp giấy phép di dời {o}",
                    "Điều chỉnh giấy phép xây dựng {o}",
                    "Gia hạn giấy phép xây dựng {o}",
                    "Cấp lại giấy phép xây dựng {o}",
                    "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở {o}",
                    "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng {o}",
                    "Kiểm tra công tác nghiệm thu hoàn thành {o}",
                ],
                [
                    "đối với công trình cấp đặc biệt, cấp I",
                    "đối với công trình cấp II, cấp III",
                    "đối với nhà ở riêng lẻ",
                    "đối với công trình tín ngưỡng, tôn giáo",
                    "đối với công trình quảng cáo",
                    "đối với công trình theo tuyến",
                    "đối với công trình hạ tầng kỹ thuật",
                    "đối với công trình xây dựng theo giai đoạn",
                    "đối với dự án đầu tư xây dựng",
                    "đối với công trình tượng đài, tranh hoành tráng",
                    "đối với công trình cấp IV",
                ],
                [""],
            ),
            (
                ["Cấp {o}", "Cấp lại {o}", "Điều chỉnh, bổ sung {o}", "Gia hạn {o}"],
                [
                    "chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
                    "chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III",
                    "giấy phép hoạt động xây dựng cho nhà thầu nước ngoài",
                    "chứng chỉ hành nghề kiến trúc",
                    "giấy phép quy hoạch dự án đầu tư xây dựng",
                ],
                [""],
            ),
            (
                ["Thẩm định, phê duyệt {o}"],
                [
                    "nhiệm vụ quy hoạch chi tiết xây dựng",
                    "đồ án quy hoạch chi tiết xây dựng",
                    "nhiệm vụ quy hoạch phân khu đô thị",
                    "đồ án quy hoạch phân khu đô thị",
                    "điều chỉnh cục bộ quy hoạch chi tiết",
                    "quy hoạch xây dựng nông thôn mới",
                    "nhiệm vụ quy hoạch chung xã",
                ],
                [""],
            ),
            (
                ["Cung cấp thông tin về {o}"],
                ["quy hoạch xây dựng", "quy hoạch đô thị", "chỉ giới đường đỏ, chỉ giới xây dựng"],
                [""],
            ),
        ],
    ),
    Field(
        "XD-02",
        "Nhà ở và thị trường bất động sản",
        3,
        (0.7, 0.3, 0.0),
        32,
        0.4,
        0.4,
        0.8,
        (15, 20, 30),
        0.4,
        (100_000, 200_000),
        "Phí thẩm định hồ sơ nhà ở",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Gia hạn {o}"],
                [
                    "chứng chỉ hành nghề môi giới bất động sản",
                    "giấy chứng nhận hoàn thành khoá đào tạo quản lý vận hành nhà chung cư",
                ],
                [""],
            ),
            (
                [
                    "Thuê {o}",
                    "Mua {o}",
                    "Thuê mua {o}",
                    "Bán {o}",
                    "Thẩm định giá bán, giá thuê mua {o}",
                    "Xác nhận đối tượng được mua {o}",
                ],
                ["nhà ở xã hội", "nhà ở thuộc sở hữu nhà nước", "nhà ở công vụ"],
                [""],
            ),
            (
                ["Công nhận {o}", "Chấp thuận {o}"],
                [
                    "chủ đầu tư dự án nhà ở thương mại",
                    "chủ trương đầu tư dự án nhà ở",
                    "chuyển nhượng toàn bộ dự án bất động sản",
                    "ban quản trị nhà chung cư",
                ],
                [""],
            ),
        ],
    ),
    Field(
        "GD-01",
        "Giáo dục và Đào tạo",
        4,
        (0.5, 0.4, 0.1),
        210,
        1.5,
        0.1,
        1.2,
        (5, 10, 15, 20),
        0.2,
        (50_000, 100_000),
        "Phí thẩm định điều kiện hoạt động giáo dục",
        [
            (
                [
                    "Thành lập {o}",
                    "Cho phép hoạt động giáo dục đối với {o}",
                    "Sáp nhập, chia, tách {o}",
                    "Giải thể {o}",
                    "Cho phép {o} hoạt động giáo dục trở lại",
                    "Đình chỉ hoạt động giáo dục {o}",
                ],
                [
                    "trường mầm non",
                    "trường tiểu học",
                    "trường trung học cơ sở",
                    "trường trung học phổ thông",
                    "trung tâm ngoại ngữ, tin học",
                    "nhóm trẻ, lớp mẫu giáo độc lập",
                    "trung tâm hỗ trợ phát triển giáo dục hoà nhập",
                    "trường chuyên biệt",
                    "trường phổ thông có nhiều cấp học",
                    "trung tâm học tập cộng đồng",
                    "trung tâm giáo dục nghề nghiệp – giáo dục thường xuyên",
                ],
                ["", " công lập", " tư thục"],
            ),
            (
                ["Công nhận {o}"],
                [
                    "trường mầm non đạt chuẩn quốc gia",
                    "trường tiểu học đạt chuẩn quốc gia",
                    "trường trung học đạt chuẩn quốc gia",
                    "trường đạt kiểm định chất lượng giáo dục",
                ],
                [""],
            ),
            _names(
                "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
                "Chỉnh sửa nội dung văn bằng, chứng chỉ",
                "Công nhận văn bằng tốt nghiệp phổ thông do cơ sở nước ngoài cấp",
                "Chuyển trường đối với học sinh trung học cơ sở",
                "Chuyển trường đối với học sinh trung học phổ thông",
                "Xin học lại tại trường khác đối với học sinh trung học",
                "Xét tuyển sinh vào lớp 10",
                "Phúc khảo bài thi tốt nghiệp trung học phổ thông",
                "Đăng ký dự thi cấp chứng chỉ ứng dụng công nghệ thông tin",
                "Cấp giấy phép tổ chức dạy thêm, học thêm",
                "Công nhận xã đạt chuẩn phổ cập giáo dục, xoá mù chữ",
                "Xét, cấp học bổng chính sách",
                "Hỗ trợ ăn trưa cho trẻ em mẫu giáo",
                "Miễn, giảm học phí",
                "Hỗ trợ chi phí học tập cho học sinh, sinh viên người dân tộc thiểu số",
                "Cấp phép hoạt động giáo dục kỹ năng sống",
                "Phê duyệt việc dạy và học bằng tiếng nước ngoài",
                "Đăng ký kinh doanh dịch vụ tư vấn du học",
            ),
        ],
    ),
    Field(
        "YT-01",
        "Y tế",
        5,
        (0.85, 0.1, 0.05),
        181,
        1.2,
        0.5,
        0.8,
        (10, 15, 20, 30, 45),
        0.8,
        (500_000, 1_000_000, 1_500_000, 3_000_000),
        "Phí thẩm định cấp giấy phép hoạt động",
        [
            (
                [
                    "Cấp giấy phép hoạt động {o}",
                    "Cấp lại giấy phép hoạt động {o}",
                    "Điều chỉnh giấy phép hoạt động {o}",
                    "Cấp bổ sung phạm vi hoạt động chuyên môn {o}",
                ],
                [
                    "đối với bệnh viện",
                    "đối với phòng khám đa khoa",
                    "đối với phòng khám chuyên khoa",
                    "đối với phòng chẩn trị y học cổ truyền",
                    "đối với nhà hộ sinh",
                    "đối với phòng khám chẩn đoán hình ảnh",
                    "đối với phòng xét nghiệm",
                    "đối với cơ sở dịch vụ tiêm, chích, thay băng",
                    "đối với cơ sở dịch vụ chăm sóc sức khoẻ tại nhà",
                    "đối với trạm y tế cấp xã",
                    "đối với cơ sở dịch vụ cấp cứu, hỗ trợ vận chuyển người bệnh",
                ],
                ["", " khi thay đổi địa điểm", " khi thay đổi quy mô, cơ cấu tổ chức"],
            ),
            (
                A4,
                [
                    "chứng chỉ hành nghề khám bệnh, chữa bệnh",
                    "chứng chỉ hành nghề dược",
                    "giấy chứng nhận đủ điều kiện kinh doanh dược",
                    "giấy xác nhận nội dung quảng cáo mỹ phẩm",
                    "giấy xác nhận nội dung quảng cáo trang thiết bị y tế",
                    "giấy chứng nhận bài thuốc gia truyền",
                    "giấy chứng nhận lương y",
                    "giấy chứng nhận cơ sở đủ điều kiện sản xuất mỹ phẩm",
                ],
                [""],
            ),
            _names(
                "Công bố đủ điều kiện mua bán trang thiết bị y tế thuộc loại B, C, D",
                "Công bố tiêu chuẩn áp dụng đối với trang thiết bị y tế thuộc loại A",
                "Công bố cơ sở đủ điều kiện thực hiện khám sức khoẻ",
                "Công bố cơ sở đủ điều kiện quan trắc môi trường lao động",
                "Công bố cơ sở xét nghiệm đạt tiêu chuẩn an toàn sinh học cấp I, cấp II",
                "Cấp giấy khám sức khoẻ cho người lái xe",
                "Giám định y khoa lần đầu",
                "Giám định phúc quyết mức độ khuyết tật",
                "Khám giám định thương tật lần đầu do tai nạn lao động",
                "Khám giám định bệnh nghề nghiệp",
                "Cấp giấy chứng sinh cho trẻ sinh ra ngoài cơ sở khám bệnh, chữa bệnh",
                "Cấp giấy báo tử",
                "Cho phép tổ chức đoàn khám bệnh, chữa bệnh nhân đạo",
                "Công bố mỹ phẩm sản xuất trong nước",
                "Đăng ký nội dung quảng cáo dịch vụ khám bệnh, chữa bệnh",
                "Công bố cơ sở đủ điều kiện tiêm chủng",
                "Cấp giấy xác nhận kiến thức về an toàn bức xạ",
            ),
        ],
    ),
    Field(
        "YT-02",
        "An toàn thực phẩm",
        5,
        (0.6, 0.4, 0.0),
        23,
        0.5,
        0.8,
        0.9,
        (7, 15, 20),
        0.9,
        (500_000, 700_000, 1_000_000),
        "Phí thẩm định cơ sở đủ điều kiện an toàn thực phẩm",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Thu hồi {o}"],
                [
                    "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất",
                    "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với dịch vụ ăn uống",
                    "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thuỷ sản",
                    "giấy xác nhận nội dung quảng cáo thực phẩm",
                    "giấy xác nhận kiến thức về an toàn thực phẩm",
                ],
                [""],
            ),
            _names(
                "Đăng ký bản công bố sản phẩm thực phẩm bảo vệ sức khoẻ",
                "Đăng ký bản công bố sản phẩm dinh dưỡng y học",
                "Tự công bố sản phẩm thực phẩm",
                "Cấp giấy chứng nhận xuất khẩu thực phẩm",
                "Kiểm tra nhà nước về an toàn thực phẩm hàng nhập khẩu",
                "Cấp giấy chứng nhận y tế đối với thực phẩm xuất khẩu",
                "Xác nhận bảo đảm an toàn thực phẩm cho bếp ăn tập thể",
                "Cấp giấy xác nhận nguồn gốc, xuất xứ thực phẩm",
            ),
        ],
    ),
    Field(
        "LD-01",
        "Lao động – Thương binh và Xã hội",
        6,
        (0.6, 0.35, 0.05),
        59,
        0.8,
        0.4,
        1.0,
        (5, 7, 10, 15, 20),
        0.3,
        (100_000, 300_000, 500_000),
        "Lệ phí cấp giấy phép lao động",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Gia hạn {o}", "Thu hồi {o}"],
                [
                    "giấy phép lao động cho người lao động nước ngoài",
                    "giấy phép hoạt động dịch vụ việc làm",
                    "giấy phép hoạt động cho thuê lại lao động",
                    "giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp",
                    "giấy chứng nhận kiểm định kỹ thuật an toàn lao động",
                    "giấy chứng nhận huấn luyện an toàn, vệ sinh lao động",
                    "giấy phép hoạt động dịch vụ đưa người lao động đi làm việc ở nước ngoài",
                    "giấy chứng nhận đăng ký hoạt động cơ sở trợ giúp xã hội",
                ],
                [""],
            ),
            (
                ["Thành lập {o}", "Cho phép hoạt động {o}", "Giải thể {o}", "Sáp nhập, chia, tách {o}"],
                [
                    "trường trung cấp công lập",
                    "trung tâm giáo dục nghề nghiệp",
                    "cơ sở trợ giúp xã hội ngoài công lập",
                    "cơ sở cai nghiện ma tuý tự nguyện",
                ],
                [""],
            ),
            _names(
                "Đăng ký nội quy lao động của doanh nghiệp",
                "Gửi thang lương, bảng lương, định mức lao động",
                "Thông báo tổ chức làm thêm từ trên 200 giờ đến 300 giờ trong năm",
                "Đăng ký hợp đồng nhận lao động thực tập",
                "Báo cáo tình hình sử dụng lao động",
                "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
                "Hỗ trợ đào tạo nghề cho lao động nông thôn",
                "Áp dụng biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường nguy hại",
                "Chấm dứt việc chăm sóc thay thế cho trẻ em",
                "Đăng ký nhận chăm sóc thay thế cho trẻ em",
                "Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại",
            ),
        ],
    ),
    Field(
        "LD-02",
        "Người có công",
        6,
        (0.4, 0.45, 0.15),
        44,
        0.8,
        0.0,
        0.6,
        (10, 15, 20, 30),
        0.0,
        (0,),
        groups=[
            (
                ["Giải quyết chế độ {o}", "Giải quyết chế độ ưu đãi {o}", "Hưởng lại chế độ {o}"],
                [
                    "đối với thương binh",
                    "đối với bệnh binh",
                    "đối với người hoạt động kháng chiến bị nhiễm chất độc hoá học",
                    "đối với thân nhân liệt sĩ",
                    "đối với Bà mẹ Việt Nam anh hùng",
                    "đối với người có công giúp đỡ cách mạng",
                    "đối với người hoạt động cách mạng trước ngày 01 tháng 01 năm 1945",
                    "đối với người hoạt động kháng chiến giải phóng dân tộc",
                    "đối với Anh hùng lực lượng vũ trang nhân dân",
                    "đối với con đẻ của người hoạt động kháng chiến bị nhiễm chất độc hoá học",
                ],
                [""],
            ),
            _names(
                "Cấp giấy chứng nhận thân nhân liệt sĩ",
                "Cấp lại Bằng Tổ quốc ghi công",
                "Di chuyển hồ sơ người có công với cách mạng",
                "Hỗ trợ di chuyển hài cốt liệt sĩ",
                "Hỗ trợ thăm viếng mộ liệt sĩ",
                "Xác nhận vào đơn đề nghị di chuyển hài cốt liệt sĩ",
                "Giải quyết trợ cấp mai táng đối với người có công",
                "Hỗ trợ cải thiện nhà ở đối với người có công",
                "Cấp lại giấy chứng nhận thương binh",
                "Sửa đổi thông tin cá nhân trong hồ sơ người có công",
                "Công nhận liệt sĩ",
                "Giám định lại thương tật do vết thương cũ tái phát",
                "Cấp trích lục hồ sơ người có công",
                "Đính chính thông tin trên bia mộ liệt sĩ",
            ),
        ],
    ),
    Field(
        "LD-03",
        "Bảo trợ xã hội",
        6,
        (0.2, 0.5, 0.3),
        29,
        1.0,
        0.0,
        0.8,
        (7, 10, 15, 20),
        0.0,
        (0,),
        groups=[
            (
                [
                    "Thực hiện {o}",
                    "Điều chỉnh {o}",
                    "Thôi hưởng {o}",
                    "Thay đổi nơi cư trú khi đang hưởng {o}",
                ],
                [
                    "trợ cấp xã hội hằng tháng",
                    "hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng",
                    "trợ cấp xã hội hằng tháng đối với người cao tuổi",
                    "trợ cấp xã hội hằng tháng đối với người khuyết tật",
                ],
                [""],
            ),
            _names(
                "Xác định, xác định lại mức độ khuyết tật",
                "Cấp đổi, cấp lại giấy xác nhận khuyết tật",
                "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
                "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở",
                "Tiếp nhận đối tượng bảo trợ xã hội vào cơ sở trợ giúp xã hội",
                "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
                "Công nhận hộ thoát nghèo, hộ thoát cận nghèo",
                "Hỗ trợ đối tượng cần bảo vệ khẩn cấp",
                "Đăng ký thành lập cơ sở trợ giúp xã hội",
                "Giải thể cơ sở trợ giúp xã hội",
                "Hỗ trợ học văn hoá, học nghề cho người khuyết tật",
                "Đưa đối tượng ra khỏi cơ sở trợ giúp xã hội",
                "Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí điều trị người bị thương nặng",
            ),
        ],
    ),
    Field(
        "LD-04",
        "Việc làm",
        6,
        (0.9, 0.1, 0.0),
        18,
        0.4,
        0.2,
        1.2,
        (5, 15, 20),
        0.0,
        (0,),
        groups=[
            _names(
                "Tạm dừng hưởng trợ cấp thất nghiệp",
                "Tiếp tục hưởng trợ cấp thất nghiệp",
                "Chấm dứt hưởng trợ cấp thất nghiệp",
                "Chuyển nơi hưởng trợ cấp thất nghiệp",
                "Hỗ trợ học nghề cho người đang hưởng trợ cấp thất nghiệp",
                "Hỗ trợ kinh phí đào tạo, bồi dưỡng để duy trì việc làm",
                "Thông báo về việc tìm kiếm việc làm hằng tháng",
                "Đăng ký tìm việc làm",
                "Vay vốn từ Quỹ quốc gia về việc làm",
                "Đăng ký thất nghiệp",
                "Cấp giấy xác nhận hoàn thành hợp đồng lao động ở nước ngoài",
                "Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng",
                "Đăng ký hợp đồng lao động đi làm việc ở nước ngoài",
                "Hỗ trợ người lao động tạm hoãn thực hiện hợp đồng lao động",
                "Hỗ trợ người lao động ngừng việc",
                "Hỗ trợ người lao động bị chấm dứt hợp đồng lao động",
                "Hỗ trợ tiền thuê nhà cho người lao động",
                "Đăng ký tổ chức phiên giao dịch việc làm lưu động",
            )
        ],
    ),
    Field(
        "CT-01",
        "Công thương",
        7,
        (0.8, 0.2, 0.0),
        100,
        1.0,
        0.8,
        1.2,
        (7, 10, 15, 20),
        0.6,
        (400_000, 800_000, 1_200_000, 1_500_000),
        "Phí thẩm định điều kiện kinh doanh",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Cấp sửa đổi, bổ sung {o}", "Thu hồi {o}"],
                [
                    "giấy phép kinh doanh bán lẻ sản phẩm rượu",
                    "giấy phép kinh doanh bán buôn sản phẩm rượu",
                    "giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
                    "giấy phép bán lẻ sản phẩm thuốc lá",
                    "giấy phép bán buôn sản phẩm thuốc lá",
                    "giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu",
                    "giấy xác nhận đủ điều kiện làm tổng đại lý kinh doanh xăng dầu",
                    "giấy chứng nhận đủ điều kiện thương nhân kinh doanh mua bán LPG",
                    "giấy chứng nhận đủ điều kiện trạm nạp LPG vào chai",
                    "giấy phép sử dụng vật liệu nổ công nghiệp",
                    "giấy phép hoạt động điện lực",
                    "giấy phép lập cơ sở bán lẻ",
                    "giấy phép kinh doanh cho tổ chức kinh tế có vốn đầu tư nước ngoài",
                    "giấy chứng nhận đủ điều kiện sản xuất hoá chất",
                    "giấy phép sản xuất, kinh doanh hoá chất hạn chế",
                    "giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài",
                    "giấy chứng nhận đủ điều kiện kinh doanh khí",
                    "giấy chứng nhận đủ điều kiện sản xuất rượu công nghiệp",
                    "giấy phép kinh doanh sản phẩm rượu tiêu dùng tại chỗ",
                    "giấy chứng nhận đủ điều kiện kinh doanh xăng dầu",
                    "giấy phép kinh doanh mua bán LNG",
                ],
                [""],
            ),
            _names(
                "Đăng ký tổ chức hội chợ, triển lãm thương mại",
                "Đăng ký thực hiện khuyến mại",
                "Thông báo thực hiện khuyến mại",
                "Đăng ký hợp đồng theo mẫu, điều kiện giao dịch chung",
                "Đăng ký hoạt động bán hàng đa cấp tại địa phương",
                "Xác nhận kiến thức an toàn thực phẩm thuộc ngành công thương",
                "Cấp giấy chứng nhận xuất xứ hàng hoá mẫu D",
                "Thẩm định thiết kế cơ sở dự án đầu tư xây dựng công trình công nghiệp",
                "Huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp",
                "Phê duyệt kế hoạch ứng phó sự cố hoá chất",
                "Xác nhận biện pháp phòng ngừa, ứng phó sự cố hoá chất",
                "Thành lập cụm công nghiệp",
                "Mở rộng, bổ sung quy hoạch cụm công nghiệp",
                "Cấp giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu",
                "Hỗ trợ kinh phí khuyến công",
                "Đăng ký chương trình phát triển thương hiệu",
            ),
        ],
    ),
    Field(
        "GT-01",
        "Giao thông vận tải",
        8,
        (0.9, 0.1, 0.0),
        67,
        1.6,
        0.3,
        1.5,
        (3, 5, 7, 10, 15),
        0.8,
        (50_000, 135_000, 200_000, 500_000),
        "Lệ phí cấp giấy phép, phù hiệu phương tiện",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Cấp đổi {o}", "Thu hồi {o}"],
                [
                    "giấy phép kinh doanh vận tải bằng xe ô tô",
                    "phù hiệu xe ô tô kinh doanh vận tải",
                    "giấy phép lái xe quốc tế",
                    "giấy phép đào tạo lái xe ô tô",
                    "giấy phép xe tập lái",
                    "giấy chứng nhận giáo viên dạy thực hành lái xe",
                    "giấy phép lưu hành xe quá tải trọng, quá khổ giới hạn",
                    "giấy phép vận tải đường bộ quốc tế",
                    "giấy chứng nhận khả năng chuyên môn thuyền trưởng, máy trưởng hạng ba",
                    "giấy chứng nhận đăng ký phương tiện thuỷ nội địa",
                    "giấy phép thi công công trình trên đường bộ đang khai thác",
                    "giấy phép hoạt động bến thuỷ nội địa",
                    "giấy phép xe ô tô vận chuyển khách du lịch",
                ],
                [""],
            ),
            _names(
                "Công bố đưa bến xe khách vào khai thác",
                "Đăng ký khai thác tuyến vận tải hành khách cố định",
                "Cấp giấy chứng nhận thẩm định thiết kế xe cơ giới cải tạo",
                "Chấp thuận thiết kế kỹ thuật nút giao đấu nối vào quốc lộ",
                "Công bố đóng bến thuỷ nội địa",
                "Đổi giấy phép lái xe do nước ngoài cấp",
                "Sát hạch cấp giấy phép lái xe mô tô hạng A1, A2",
                "Sát hạch cấp giấy phép lái xe ô tô",
                "Chấp thuận vị trí đấu nối tạm thời vào quốc lộ",
                "Xoá giấy chứng nhận đăng ký phương tiện thuỷ nội địa",
                "Cấp giấy phép liên vận Việt Nam – Lào",
                "Gia hạn thời gian lưu hành tại Việt Nam cho phương tiện nước ngoài",
                "Công bố hoạt động cảng thuỷ nội địa",
                "Thẩm định an toàn giao thông đối với công trình đường bộ",
                "Cấp giấy chứng nhận trung tâm sát hạch lái xe đủ điều kiện hoạt động",
            ),
        ],
    ),
    Field(
        "KH-01",
        "Đăng ký kinh doanh",
        9,
        (0.7, 0.3, 0.0),
        86,
        1.5,
        0.7,
        2.0,
        (3, 5),
        0.6,
        (50_000, 100_000),
        "Lệ phí đăng ký doanh nghiệp",
        [
            (
                [
                    "Đăng ký thành lập {o}",
                    "Đăng ký thay đổi người đại diện theo pháp luật của {o}",
                    "Đăng ký thay đổi vốn điều lệ của {o}",
                    "Đăng ký thay đổi trụ sở chính của {o}",
                    "Đăng ký đổi tên {o}",
                    "Thông báo tạm ngừng kinh doanh của {o}",
                    "Giải thể {o}",
                    "Cấp lại Giấy chứng nhận đăng ký {o}",
                    "Thông báo thay đổi ngành, nghề kinh doanh của {o}",
                ],
                [
                    "doanh nghiệp tư nhân",
                    "công ty trách nhiệm hữu hạn một thành viên",
                    "công ty trách nhiệm hữu hạn hai thành viên trở lên",
                    "công ty cổ phần",
                    "công ty hợp danh",
                    "hợp tác xã",
                    "liên hiệp hợp tác xã",
                    "chi nhánh, văn phòng đại diện",
                ],
                [""],
            ),
            _names(
                "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
                "Thông báo tạm ngừng kinh doanh hộ kinh doanh",
                "Thông báo tiếp tục kinh doanh trước thời hạn đối với hộ kinh doanh",
                "Chấm dứt hoạt động hộ kinh doanh",
                "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
                "Đăng ký thành lập tổ hợp tác",
                "Chuyển đổi công ty trách nhiệm hữu hạn một thành viên thành công ty cổ phần",
                "Chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn",
                "Chuyển đổi hộ kinh doanh thành doanh nghiệp",
                "Hiệu đính thông tin đăng ký doanh nghiệp",
                "Cập nhật bổ sung thông tin đăng ký doanh nghiệp",
                "Đăng ký thay đổi chủ sở hữu công ty trách nhiệm hữu hạn một thành viên",
                "Thông báo lập địa điểm kinh doanh",
                "Đề nghị dừng thực hiện thủ tục đăng ký doanh nghiệp",
            ),
        ],
    ),
    Field(
        "KH-02",
        "Đầu tư",
        9,
        (0.95, 0.05, 0.0),
        38,
        0.15,
        0.95,
        1.0,
        (15, 20, 30, 35),
        0.0,
        (0,),
        groups=[
            (
                [
                    "Chấp thuận chủ trương đầu tư {o}",
                    "Điều chỉnh chủ trương đầu tư {o}",
                    "Cấp Giấy chứng nhận đăng ký đầu tư {o}",
                    "Điều chỉnh Giấy chứng nhận đăng ký đầu tư {o}",
                    "Chấm dứt hoạt động {o}",
                    "Giãn tiến độ thực hiện {o}",
                ],
                [
                    "đối với dự án đầu tư trong nước",
                    "đối với dự án đầu tư có vốn nước ngoài",
                    "đối với dự án đầu tư trong khu công nghiệp",
                    "đối với dự án đầu tư theo phương thức đối tác công tư",
                    "đối với dự án đầu tư xây dựng nhà ở thương mại",
                ],
                [""],
            ),
            _names(
                "Thẩm định nguồn vốn và khả năng cân đối vốn",
                "Thẩm định báo cáo đề xuất chủ trương đầu tư dự án nhóm B, nhóm C",
                "Góp vốn, mua cổ phần của nhà đầu tư nước ngoài",
                "Tiếp nhận, thẩm định viện trợ không hoàn lại",
                "Phê duyệt văn kiện dự án hỗ trợ kỹ thuật sử dụng vốn ODA",
                "Chuyển nhượng dự án đầu tư",
                "Lựa chọn nhà đầu tư thực hiện dự án có sử dụng đất",
                "Thành lập văn phòng điều hành của nhà đầu tư",
            ),
        ],
    ),
    Field(
        "NN-01",
        "Nông nghiệp và Phát triển nông thôn",
        10,
        (0.75, 0.2, 0.05),
        75,
        0.6,
        0.5,
        0.9,
        (5, 10, 15, 20),
        0.5,
        (200_000, 500_000, 1_500_000),
        "Phí thẩm định cấp giấy chứng nhận",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Gia hạn {o}", "Thu hồi {o}"],
                [
                    "giấy chứng nhận cơ sở đủ điều kiện buôn bán phân bón",
                    "giấy chứng nhận đủ điều kiện sản xuất phân bón",
                    "giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật",
                    "giấy phép hoạt động thuỷ lợi",
                    "giấy chứng nhận đủ điều kiện sản xuất, kinh doanh giống thuỷ sản",
                    "giấy chứng nhận đủ điều kiện sản xuất thức ăn chăn nuôi",
                    "giấy phép khai thác thuỷ sản",
                    "giấy chứng nhận mã số vùng trồng",
                    "giấy chứng nhận cơ sở nuôi trồng thuỷ sản",
                    "giấy chứng nhận đủ điều kiện chăn nuôi trang trại quy mô lớn",
                    "giấy phép vận chuyển thuốc bảo vệ thực vật",
                    "giấy chứng nhận sản phẩm đạt tiêu chuẩn VietGAP",
                    "giấy chứng nhận cơ sở sản xuất giống cây trồng",
                    "giấy phép nuôi, trồng các loài thực vật rừng nguy cấp",
                ],
                [""],
            ),
            _names(
                "Công nhận xã đạt chuẩn nông thôn mới",
                "Công nhận xã đạt chuẩn nông thôn mới nâng cao",
                "Công nhận thôn đạt chuẩn nông thôn mới kiểu mẫu",
                "Công nhận làng nghề",
                "Công nhận nghề truyền thống",
                "Công nhận làng nghề truyền thống",
                "Hỗ trợ phát triển sản xuất nông nghiệp theo chuỗi giá trị",
                "Hỗ trợ dự án liên kết trong sản xuất và tiêu thụ sản phẩm",
                "Đăng ký mã số cơ sở nuôi, trồng các loài động vật, thực vật hoang dã",
                "Xác nhận nguồn gốc lâm sản",
                "Cấp mã số cơ sở đóng gói",
                "Đánh giá, phân hạng sản phẩm OCOP cấp tỉnh",
                "Đánh giá, phân hạng sản phẩm OCOP cấp huyện",
                "Thẩm định kế hoạch phòng, chống thiên tai",
                "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai",
                "Cấp phép hoạt động trong phạm vi bảo vệ công trình thuỷ lợi",
                "Phê duyệt phương án bảo vệ đập, hồ chứa nước",
                "Cấp giấy chứng nhận lưu hành tự do sản phẩm nông nghiệp",
                "Công nhận hợp tác xã nông nghiệp ứng dụng công nghệ cao",
            ),
        ],
    ),
    Field(
        "NN-02",
        "Thú y",
        10,
        (0.6, 0.4, 0.0),
        22,
        0.3,
        0.6,
        0.8,
        (5, 7, 10),
        0.8,
        (50_000, 100_000, 250_000),
        "Phí kiểm dịch động vật",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Gia hạn {o}"],
                [
                    "chứng chỉ hành nghề thú y",
                    "giấy chứng nhận điều kiện vệ sinh thú y",
                    "giấy chứng nhận cơ sở an toàn dịch bệnh động vật",
                    "giấy chứng nhận đủ điều kiện buôn bán thuốc thú y",
                    "giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi tỉnh",
                ],
                [""],
            ),
            _names(
                "Đăng ký kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn tỉnh",
                "Cấp giấy xác nhận nội dung quảng cáo thuốc thú y",
                "Cấp giấy chứng nhận vùng an toàn dịch bệnh động vật",
                "Kiểm tra vệ sinh thú y đối với cơ sở giết mổ",
                "Đăng ký tiêm phòng vắc xin cho đàn vật nuôi",
                "Hỗ trợ thiệt hại do dịch tả lợn châu Phi",
                "Xác nhận kiến thức cho người trực tiếp làm việc tại cơ sở giết mổ",
            ),
        ],
    ),
    Field(
        "VH-01",
        "Văn hoá",
        11,
        (0.6, 0.35, 0.05),
        52,
        0.3,
        0.6,
        1.0,
        (5, 7, 10, 15),
        0.6,
        (300_000, 2_000_000, 6_000_000),
        "Phí thẩm định cấp giấy phép văn hoá",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Điều chỉnh {o}"],
                [
                    "giấy phép kinh doanh dịch vụ karaoke",
                    "giấy phép kinh doanh dịch vụ vũ trường",
                    "giấy phép tổ chức lễ hội",
                    "giấy phép thực hiện quảng cáo trên bảng quảng cáo",
                    "giấy phép phổ biến phim",
                    "giấy chứng nhận đủ điều kiện kinh doanh giám định cổ vật",
                    "giấy phép tổ chức triển lãm mỹ thuật",
                    "giấy phép sao chép tác phẩm mỹ thuật về danh nhân",
                    "giấy phép xây dựng tượng đài, tranh hoành tráng",
                    "chứng chỉ hành nghề tu bổ di tích",
                    "giấy phép nhập khẩu văn hoá phẩm không nhằm mục đích kinh doanh",
                    "giấy phép tổ chức biểu diễn nghệ thuật, trình diễn thời trang",
                    "giấy chứng nhận đủ điều kiện hoạt động bảo tàng ngoài công lập",
                ],
                [""],
            ),
            _names(
                "Công nhận danh hiệu Gia đình văn hoá",
                "Công nhận danh hiệu Thôn, tổ dân phố văn hoá",
                "Công nhận danh hiệu Xã đạt chuẩn văn hoá nông thôn mới",
                "Công nhận danh hiệu Phường, thị trấn đạt chuẩn văn minh đô thị",
                "Thông báo tổ chức lễ hội cấp tỉnh",
                "Đăng ký tổ chức lễ hội cấp huyện",
                "Thông báo tổ chức biểu diễn nghệ thuật",
                "Đăng ký hoạt động thư viện tư nhân có phục vụ cộng đồng",
                "Xếp hạng di tích cấp tỉnh",
                "Thẩm định dự án bảo quản, tu bổ di tích",
                "Công nhận câu lạc bộ thể thao cơ sở",
                "Thông báo thành lập thư viện cấp xã",
                "Cho phép đưa di vật, cổ vật ra nước ngoài để trưng bày",
            ),
        ],
    ),
    Field(
        "VH-02",
        "Du lịch",
        11,
        (0.95, 0.05, 0.0),
        28,
        0.1,
        0.8,
        1.5,
        (7, 10, 15),
        0.8,
        (200_000, 650_000, 3_000_000),
        "Phí thẩm định cấp giấy phép kinh doanh lữ hành",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Cấp đổi {o}", "Thu hồi {o}"],
                [
                    "giấy phép kinh doanh dịch vụ lữ hành nội địa",
                    "thẻ hướng dẫn viên du lịch nội địa",
                    "thẻ hướng dẫn viên du lịch tại điểm",
                    "thẻ hướng dẫn viên du lịch quốc tế",
                    "giấy chứng nhận đạt tiêu chuẩn phục vụ khách du lịch",
                ],
                [""],
            ),
            _names(
                "Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao",
                "Công nhận điểm du lịch",
                "Công nhận khu du lịch cấp tỉnh",
                "Thông báo thay đổi người phụ trách kinh doanh dịch vụ lữ hành",
                "Công nhận cơ sở kinh doanh dịch vụ ăn uống đạt tiêu chuẩn phục vụ khách du lịch",
                "Công nhận cơ sở mua sắm đạt tiêu chuẩn phục vụ khách du lịch",
                "Thông báo thời điểm bắt đầu kinh doanh dịch vụ lữ hành",
                "Công nhận cơ sở kinh doanh dịch vụ thể thao đạt tiêu chuẩn phục vụ khách du lịch",
            ),
        ],
    ),
    Field(
        "VH-03",
        "Thể dục, thể thao",
        11,
        (0.8, 0.2, 0.0),
        18,
        0.05,
        0.6,
        1.0,
        (7, 10),
        0.5,
        (500_000, 1_000_000),
        "Phí thẩm định điều kiện kinh doanh hoạt động thể thao",
        [
            (
                ["Cấp {o}", "Cấp lại {o}"],
                [
                    f"giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao đối với môn {m}"
                    for m in (
                        "Bơi, Lặn",
                        "Võ cổ truyền",
                        "Thể dục thẩm mỹ",
                        "Quần vợt",
                        "Billiards & Snooker",
                        "Yoga",
                        "Bóng đá",
                        "Cầu lông",
                    )
                ],
                [""],
            ),
            _names(
                "Đăng cai tổ chức giải thi đấu vô địch từng môn thể thao của tỉnh",
                "Công nhận ban vận động thành lập hội thể thao cấp tỉnh",
            ),
        ],
    ),
    Field(
        "TT-01",
        "Thông tin và Truyền thông",
        12,
        (0.95, 0.05, 0.0),
        36,
        0.1,
        0.8,
        1.5,
        (5, 7, 10, 15),
        0.6,
        (100_000, 500_000, 1_000_000),
        "Phí thẩm định cấp giấy phép",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Sửa đổi, bổ sung {o}", "Gia hạn {o}"],
                [
                    "giấy phép xuất bản bản tin",
                    "giấy phép hoạt động in xuất bản phẩm",
                    "giấy xác nhận đăng ký hoạt động cơ sở in",
                    "giấy phép thiết lập trang thông tin điện tử tổng hợp",
                    "giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm",
                    "giấy phép nhập khẩu xuất bản phẩm không kinh doanh",
                    "giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
                    "giấy phép hoạt động phát thanh, truyền hình cấp huyện",
                ],
                [""],
            ),
            _names(
                "Đăng ký hoạt động phát hành xuất bản phẩm",
                "Khai báo hoạt động cơ sở dịch vụ photocopy",
                "Đăng ký sử dụng máy photocopy màu",
                "Thẩm định kế hoạch thuê dịch vụ công nghệ thông tin",
            ),
        ],
    ),
    Field(
        "KC-01",
        "Khoa học và Công nghệ",
        13,
        (0.95, 0.05, 0.0),
        35,
        0.05,
        0.8,
        1.0,
        (10, 15, 20),
        0.5,
        (300_000, 1_000_000, 2_000_000),
        "Phí thẩm định hồ sơ khoa học và công nghệ",
        [
            (
                ["Cấp {o}", "Cấp lại {o}", "Sửa đổi, bổ sung {o}", "Gia hạn {o}"],
                [
                    "giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
                    "giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán trong y tế",
                    "chứng chỉ nhân viên bức xạ",
                    "giấy chứng nhận doanh nghiệp khoa học và công nghệ",
                    "giấy chứng nhận đăng ký hoạt động thử nghiệm",
                    "giấy chứng nhận đăng ký chuyển giao công nghệ",
                    "giấy xác nhận đăng ký hoạt động xét tặng giải thưởng về khoa học và công nghệ",
                ],
                [""],
            ),
            _names(
                "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
                "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá",
                "Đăng ký công bố hợp quy đối với sản phẩm, hàng hoá",
                "Kiểm tra nhà nước về chất lượng hàng hoá nhập khẩu",
                "Thẩm định công nghệ dự án đầu tư",
                "Hỗ trợ doanh nghiệp đổi mới công nghệ",
                "Xét tặng Giải thưởng khoa học và công nghệ tỉnh",
            ),
        ],
    ),
    Field(
        "NV-01",
        "Nội vụ",
        14,
        (0.6, 0.3, 0.1),
        49,
        0.2,
        0.1,
        0.6,
        (10, 15, 20, 30),
        0.0,
        (0,),
        groups=[
            (
                [
                    "Công nhận ban vận động thành lập {o}",
                    "Thành lập {o}",
                    "Phê duyệt điều lệ {o}",
                    "Chia, tách, sáp nhập, hợp nhất {o}",
                    "Đổi tên {o}",
                    "Giải thể {o}",
                ],
                ["hội", "quỹ xã hội, quỹ từ thiện"],
                [""],
            ),
            (
                ["Đăng ký {o}", "Thông báo {o}"],
                [
                    "hoạt động tín ngưỡng",
                    "sinh hoạt tôn giáo tập trung",
                    "thuyên chuyển chức sắc, chức việc, nhà tu hành",
                    "người được phong phẩm hoặc suy cử làm chức sắc",
                    "tổ chức lễ hội tín ngưỡng",
                    "mở lớp bồi dưỡng về tôn giáo cho người chuyên hoạt động tôn giáo",
                    "thay đổi địa điểm sinh hoạt tôn giáo tập trung",
                    "danh mục hoạt động tôn giáo",
                ],
                [""],
            ),
            _names(
                "Thi tuyển công chức",
                "Xét tuyển viên chức",
                "Tiếp nhận vào làm công chức",
                "Thăng hạng chức danh nghề nghiệp viên chức",
                "Xét chuyển cán bộ, công chức cấp xã thành công chức từ cấp huyện trở lên",
                "Thẩm định thành lập đơn vị sự nghiệp công lập",
                "Thẩm định tổ chức lại, giải thể đơn vị sự nghiệp công lập",
                "Thành lập thôn mới, tổ dân phố mới",
                "Xét tặng danh hiệu Lao động tiên tiến",
                "Xét tặng danh hiệu Chiến sĩ thi đua cơ sở",
                "Tặng Giấy khen của Chủ tịch Uỷ ban nhân dân cấp huyện",
                "Tặng Bằng khen của Chủ tịch Uỷ ban nhân dân tỉnh",
                "Tặng danh hiệu Tập thể lao động xuất sắc",
                "Tặng Cờ thi đua của Uỷ ban nhân dân tỉnh",
                "Khen thưởng theo đợt hoặc chuyên đề",
                "Khen thưởng đột xuất",
                "Khen thưởng đối ngoại",
                "Tặng Giấy khen của Chủ tịch Uỷ ban nhân dân cấp xã",
                "Xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
                "Cấp bản sao và chứng thực tài liệu lưu trữ",
                "Phục vụ sử dụng tài liệu của độc giả tại phòng đọc",
            ),
        ],
    ),
    Field(
        "TC-01",
        "Tài chính",
        15,
        (0.6, 0.4, 0.0),
        28,
        0.3,
        0.5,
        0.8,
        (5, 10, 15, 20),
        0.0,
        (0,),
        groups=[
            _names(
                "Đăng ký mã số đơn vị có quan hệ với ngân sách",
                "Thẩm tra quyết toán vốn đầu tư dự án hoàn thành",
                "Phê duyệt quyết toán vốn đầu tư dự án hoàn thành",
                "Đăng ký giá",
                "Kê khai giá",
                "Xác lập quyền sở hữu toàn dân đối với tài sản",
                "Mua quyển hoá đơn",
                "Mua hoá đơn lẻ",
                "Thanh lý tài sản công",
                "Điều chuyển tài sản công",
                "Bán tài sản công",
                "Thuê tài sản phục vụ hoạt động của cơ quan nhà nước",
                "Khai thác tài sản kết cấu hạ tầng",
                "Quyết định giá thuê đất",
                "Xác định giá đất cụ thể",
                "Thẩm định phương án giá",
                "Giao tài sản công cho đơn vị sự nghiệp công lập",
                "Xử lý tài sản công trong trường hợp bị mất, bị huỷ hoại",
                "Thanh toán vốn đầu tư công",
                "Thẩm định dự toán ngân sách",
                "Cấp phát kinh phí hỗ trợ",
                "Hoàn trả khoản thu ngân sách",
                "Phê duyệt đề án sử dụng tài sản công vào mục đích kinh doanh, cho thuê",
                "Quyết định giá thu tiền sử dụng đất",
                "Miễn, giảm tiền thuê đất",
                "Xác định tiền sử dụng đất phải nộp",
                "Gia hạn nộp tiền sử dụng đất",
                "Khai, nộp lệ phí trước bạ phương tiện",
            )
        ],
    ),
    Field(
        "BH-01",
        "Bảo hiểm xã hội",
        16,
        (0.2, 0.8, 0.0),
        23,
        1.2,
        0.2,
        2.0,
        (3, 5, 10, 20),
        0.0,
        (0,),
        groups=[
            _names(
                "Cấp sổ bảo hiểm xã hội",
                "Cấp lại sổ bảo hiểm xã hội do mất, hỏng",
                "Điều chỉnh thông tin trên sổ bảo hiểm xã hội",
                "Gộp sổ bảo hiểm xã hội",
                "Giải quyết hưởng bảo hiểm xã hội một lần",
                "Giải quyết hưởng lương hưu",
                "Giải quyết hưởng chế độ ốm đau",
                "Giải quyết hưởng chế độ dưỡng sức, phục hồi sức khoẻ sau thai sản",
                "Giải quyết hưởng chế độ tai nạn lao động, bệnh nghề nghiệp",
                "Giải quyết hưởng chế độ tử tuất",
                "Đăng ký đóng bảo hiểm xã hội tự nguyện",
                "Đăng ký đóng bảo hiểm y tế hộ gia đình",
                "Đăng ký tham gia bảo hiểm xã hội bắt buộc, bảo hiểm y tế",
                "Điều chỉnh mức đóng bảo hiểm xã hội",
                "Hoàn trả tiền đã đóng bảo hiểm xã hội",
                "Cấp thẻ bảo hiểm y tế cho người chỉ tham gia bảo hiểm y tế",
                "Đổi thẻ bảo hiểm y tế do thay đổi thông tin",
                "Chuyển nơi hưởng lương hưu, trợ cấp bảo hiểm xã hội",
                "Truy lĩnh lương hưu, trợ cấp bảo hiểm xã hội",
                "Xác nhận thời gian đóng bảo hiểm xã hội",
                "Tạm dừng đóng vào quỹ hưu trí và tử tuất",
                "Đăng ký giao dịch điện tử với cơ quan bảo hiểm xã hội",
                "Thanh toán trực tiếp chi phí vận chuyển người bệnh",
            )
        ],
    ),
]
FIELD_INDEX = {f.code: i for i, f in enumerate(FIELDS)}

# The 25 essential services of Đề án 06: name, field, level (0 Tỉnh, 1 Huyện, 2 Xã), legal days, fee (VND),
# service level (mức độ), share of all dossiers, share of business applicants.
ESSENTIALS = [
    ("Thông báo lưu trú", "CA-01", 2, 1, 0, 4, 0.030, 0.2),
    ("Đăng ký thường trú", "CA-01", 2, 7, 15_000, 4, 0.030, 0.0),
    ("Đăng ký tạm trú", "CA-01", 2, 3, 10_000, 4, 0.030, 0.0),
    ("Khai báo tạm vắng", "CA-01", 2, 1, 0, 4, 0.008, 0.0),
    (
        "Cấp thẻ Căn cước công dân khi đã có thông tin trong Cơ sở dữ liệu quốc gia về dân cư",
        "CA-02",
        1,
        7,
        30_000,
        4,
        0.030,
        0.0,
    ),
    (
        "Xác nhận số Chứng minh nhân dân khi đã được cấp thẻ Căn cước công dân",
        "CA-02",
        1,
        7,
        0,
        4,
        0.010,
        0.0,
    ),
    ("Đăng ký khai sinh", "TP-01", 2, 1, 0, 4, 0.030, 0.0),
    ("Đăng ký khai tử", "TP-01", 2, 1, 0, 4, 0.010, 0.0),
    ("Đăng ký kết hôn", "TP-01", 2, 1, 0, 4, 0.015, 0.0),
    ("Cấp giấy xác nhận tình trạng hôn nhân", "TP-01", 2, 3, 0, 4, 0.020, 0.0),
    ("Cấp Phiếu lý lịch tư pháp", "TP-03", 0, 10, 200_000, 4, 0.008, 0.0),
    ("Cấp lại giấy phép lái xe", "GT-01", 0, 5, 135_000, 4, 0.010, 0.0),
    ("Cấp đổi giấy phép lái xe", "GT-01", 0, 5, 135_000, 4, 0.015, 0.0),
    ("Đăng ký xe", "CA-03", 1, 2, 150_000, 3, 0.015, 0.1),
    ("Đăng ký thành lập hộ kinh doanh", "KH-01", 1, 3, 100_000, 4, 0.010, 0.0),
    ("Đăng ký thành lập doanh nghiệp", "KH-01", 0, 3, 50_000, 4, 0.004, 1.0),
    ("Giải quyết hưởng trợ cấp thất nghiệp", "LD-04", 0, 20, 0, 4, 0.006, 0.0),
    ("Cấp lại thẻ bảo hiểm y tế", "BH-01", 1, 3, 0, 4, 0.010, 0.0),
    ("Giải quyết hưởng chế độ thai sản", "BH-01", 1, 6, 0, 4, 0.004, 0.0),
    ("Thanh toán chi phí khám bệnh, chữa bệnh bảo hiểm y tế trực tiếp", "BH-01", 1, 20, 0, 4, 0.003, 0.0),
    ("Đăng ký dự thi tốt nghiệp trung học phổ thông", "GD-01", 0, 1, 0, 4, 0.010, 0.0),
    ("Cấp điện mới từ lưới điện hạ áp", "CT-01", 0, 7, 0, 3, 0.008, 0.2),
    ("Khai, nộp lệ phí trước bạ nhà, đất", "TC-01", 1, 3, 0, 4, 0.006, 0.1),
    (
        "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "TP-01",
        2,
        5,
        0,
        4,
        0.010,
        0.0,
    ),
    (
        "Liên thông đăng ký khai tử, xoá đăng ký thường trú, giải quyết mai táng phí, tử tuất",
        "TP-01",
        2,
        5,
        0,
        4,
        0.004,
        0.0,
    ),
]
ESSENTIAL_DEPT = {
    "Cấp điện mới từ lưới điện hạ áp": 17
}  # handled by the power company, not the field's department
CATALOGUE_COLUMNS = [
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "CapThucHien",
    "MucDo",
    "CongDVCQG",
    "ThietYeuDA06",
    "ThoiHanGiaiQuyet",
    "CoPhiLePhi",
    "PhiLePhi",
]

# Applicants
BUSINESS_FORMS = np.array(
    ["Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]
)
BUSINESS_TRADES = np.array(
    [
        "Thương mại",
        "Xây dựng",
        "Dịch vụ",
        "Vận tải",
        "Sản xuất",
        "Đầu tư",
        "Thương mại và Dịch vụ",
        "Nông nghiệp",
        "May mặc",
        "Cơ khí",
        "Thực phẩm",
        "",
    ]
)
BUSINESS_WORDS = np.array(
    [
        "Minh",
        "Phát",
        "Hưng",
        "Thịnh",
        "An",
        "Phú",
        "Thành",
        "Đạt",
        "Việt",
        "Hoàng",
        "Long",
        "Tiến",
        "Hải",
        "Dương",
        "Kim",
        "Sơn",
        "Nam",
        "Bình",
        "Tân",
        "Đông",
        "Quang",
        "Trường",
        "Hoà",
        "Lộc",
        "Vạn",
        "Gia",
        "Thái",
        "Hồng",
        "Ngọc",
        "Toàn",
    ]
)
ID_PREFIX_NEIGHBOURS = np.array(["031", "033", "034", "001", "022", "024", "027", "036", "038", "037"])
PHONE_PREFIXES = np.array(
    [
        "096",
        "097",
        "098",
        "086",
        "032",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "039",
        "091",
        "094",
        "088",
        "081",
        "082",
        "083",
        "084",
        "085",
        "090",
        "093",
        "089",
        "070",
        "076",
        "077",
        "078",
        "079",
        "056",
        "058",
    ]
)
MAIL_DOMAINS = np.array(["gmail.com"] * 16 + ["yahoo.com"] * 2 + ["outlook.com", "hotmail.com"])
TAX_WEIGHTS = np.array([31, 29, 23, 19, 17, 13, 7, 5, 3])

STEP_TEXT = {
    2: "Tiếp nhận hồ sơ",
    3: "Từ chối tiếp nhận hồ sơ",
    4: "Chuyển xử lý",
    5: "Yêu cầu bổ sung hồ sơ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân rút hồ sơ",
    8: "Dừng xử lý hồ sơ",
    9: "Hoàn thành xử lý",
    10: "Trả kết quả",
}
ONE_STOP_DESK = "Bộ phận Một cửa"
SPECIALIST_DESK = "Bộ phận chuyên môn"

DATE_COLUMNS = ["NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"]


# ---------------------------------------------------------------------------------------------------------
# Catalogue and agencies
# ---------------------------------------------------------------------------------------------------------


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _field_candidates(f: Field) -> list[str]:
    names: list[str] = []
    for patterns, objects, qualifiers in f.groups:
        for p in patterns:
            for o in objects:
                for q in qualifiers:
                    names.append(_cap_first(p.format(o=o) + q))
    return list(dict.fromkeys(names))


def _subject(name: str) -> str:
    """The gist of a procedure name for a dossier's summary: cut before its first qualifier."""
    cut = len(name)
    for marker in (" đối với ", " cho ", " do ", " tại ", " có yếu tố", " của ", " từ ", ", ", " (", " khi "):
        pos = name.find(marker, 8)
        if pos > 0:
            cut = min(cut, pos)
    return "Đề nghị " + name[:1].lower() + name[1:cut]


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights summing exactly to total (largest remainder, ties by position)."""
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = weights / weights.sum() * total
    out = np.floor(exact).astype(np.int64)
    short = total - int(out.sum())
    out[np.argsort(-(exact - out), kind="stable")[:short]] += 1
    return out


def _weighted_pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """A boolean mask of exactly k positions drawn without replacement with probability ∝ weights."""
    keys = np.log(rng.random(len(weights))) / np.maximum(weights, 1e-12)
    mask = np.zeros(len(weights), dtype=bool)
    if k > 0:
        mask[np.argpartition(-keys, k - 1)[:k]] = True
    return mask


def build_catalogue(cfg: SimConfig) -> pl.DataFrame:
    """The procedure catalogue with its published columns and the internal columns the dossiers draw on."""
    rng = cfg.rng(FEED, "clean-catalogue")
    essential_names = {e[0] for e in ESSENTIALS}
    quotas = _apportion(N_PROCEDURES - len(ESSENTIALS), np.array([f.n for f in FIELDS], dtype=float))
    rows: dict[str, list] = {
        k: [] for k in ("name", "field", "cap", "days", "fee", "essential", "level", "share", "biz", "dept")
    }
    for fi, (f, quota) in enumerate(zip(FIELDS, quotas, strict=True)):
        candidates = [n for n in _field_candidates(f) if n not in essential_names]
        if len(candidates) < quota:
            raise ValueError(f"field {f.code} has {len(candidates)} procedure names for {quota} places")
        chosen = [candidates[i] for i in np.sort(rng.permutation(len(candidates))[:quota])]
        has_fee = rng.random(quota) < f.fee_p
        rows["name"] += chosen
        rows["field"] += [fi] * quota
        rows["cap"] += list(rng.choice(3, size=quota, p=np.array(f.cap) / sum(f.cap)))
        rows["days"] += list(rng.choice(np.array(f.days), size=quota))
        rows["fee"] += list(np.where(has_fee, rng.choice(np.array(f.fees), size=quota), 0))
        rows["essential"] += [False] * quota
        rows["level"] += [0] * quota
        rows["share"] += [0.0] * quota
        rows["biz"] += [f.biz] * quota
        rows["dept"] += [f.dept] * quota
    for name, code, cap, days, fee, level, share, biz in ESSENTIALS:
        fi = FIELD_INDEX[code]
        for key, value in (
            ("name", name),
            ("field", fi),
            ("cap", cap),
            ("days", days),
            ("fee", fee),
            ("essential", True),
            ("level", level),
            ("share", share),
            ("biz", biz),
            ("dept", ESSENTIAL_DEPT.get(name, FIELDS[fi].dept)),
        ):
            rows[key].append(value)
    cat = pl.DataFrame(rows).with_columns(
        pl.col("cap", "days", "fee", "field", "level", "dept").cast(pl.Int64)
    )
    cat = _assign_levels(rng, cat)
    cat = _assign_codes(rng, cat)
    return _assign_popularity(rng, cat)


def _assign_levels(rng: np.random.Generator, cat: pl.DataFrame) -> pl.DataFrame:
    """Service level (exactly N_FULL_ONLINE at level 4) and national-portal integration (exactly 618)."""
    essential = cat["essential"].to_numpy()
    online = np.array([FIELDS[f].online for f in cat["field"].to_numpy()])
    level = cat["level"].to_numpy().copy()
    free = ~essential
    n4 = N_FULL_ONLINE - int((level[essential] == 4).sum())
    pick4 = np.zeros(len(cat), dtype=bool)
    pick4[free] = _weighted_pick(rng, online[free], n4)
    level[pick4] = 4
    rest = free & ~pick4
    pick3 = np.zeros(len(cat), dtype=bool)
    pick3[rest] = _weighted_pick(rng, online[rest], round(0.45 * rest.sum()))
    level[pick3] = 3
    level[rest & ~pick3] = 2
    portal = essential.copy()
    portal_weight = np.select([level == 4, level == 3], [6.0, 2.0], 0.3)
    portal[free] = _weighted_pick(rng, portal_weight[free], N_ON_NATIONAL_PORTAL - int(essential.sum()))
    return cat.with_columns(pl.Series("level", level), pl.Series("portal", portal))


def _assign_codes(rng: np.random.Generator, cat: pl.DataFrame) -> pl.DataFrame:
    """Codes like 1.005129 (ministry-published) or 2.002492, unique; rows sorted by field and code."""
    n = len(cat)
    series_two = rng.random(n) < 0.25
    numbers = np.where(
        series_two,
        rng.choice(np.arange(100, 3_000), n, replace=False),
        rng.choice(np.arange(1_000, 13_000), n, replace=False),
    )
    codes = (
        pl.Series(np.where(series_two, 2, 1)).cast(pl.String)
        + "."
        + pl.Series(numbers).cast(pl.String).str.zfill(6)
    )
    return cat.with_columns(codes.alias("code")).sort("field", "code")


def _assign_popularity(rng: np.random.Generator, cat: pl.DataFrame) -> pl.DataFrame:
    """Probability of each procedure for one dossier: essentials by share, the rest Zipf within their field."""
    field_idx = cat["field"].to_numpy()
    essential = cat["essential"].to_numpy()
    vol = np.array([f.vol for f in FIELDS])
    rank = np.zeros(len(cat))
    for fi in range(len(FIELDS)):
        members = np.flatnonzero((field_idx == fi) & ~essential)
        rank[members] = rng.permutation(len(members)) + 1
    zipf = np.where(essential, 0.0, np.maximum(rank, 1) ** -1.1)
    field_total = np.bincount(field_idx, weights=zipf, minlength=len(FIELDS))
    other = np.where(
        essential, 0.0, zipf / np.maximum(field_total[field_idx], 1e-12) * vol[field_idx] / vol.sum()
    )
    essential_share = cat["share"].to_numpy()
    p = other * (1 - essential_share.sum()) + essential_share
    return cat.with_columns(pl.Series("p", p / p.sum()))


def catalogue_table(cat: pl.DataFrame) -> pl.DataFrame:
    """The published catalogue columns."""
    return cat.select(
        pl.col("code").alias("MaTTHC"),
        pl.col("name").alias("TenTTHC"),
        pl.col("field").replace_strict(list(range(len(FIELDS))), [f.code for f in FIELDS]).alias("MaLinhVuc"),
        pl.col("field")
        .replace_strict(list(range(len(FIELDS))), [f.name for f in FIELDS])
        .alias("TenLinhVuc"),
        pl.col("cap").replace_strict([0, 1, 2], list(CAP_NAMES)).alias("CapThucHien"),
        pl.col("level").alias("MucDo"),
        pl.col("portal").cast(pl.Int64).alias("CongDVCQG"),
        pl.col("essential").cast(pl.Int64).alias("ThietYeuDA06"),
        pl.col("days").alias("ThoiHanGiaiQuyet"),
        (pl.col("fee") > 0).cast(pl.Int64).alias("CoPhiLePhi"),
        pl.col("fee").alias("PhiLePhi"),
    )


def build_agencies(geo: Geography) -> pl.DataFrame:
    """Agency register: the province system, departments, district and commune People's Committees.

    Codes follow the QCVN 102:2016 pattern `aaa.bb.cc.H23`: departments `000.00.<01..>.H23`, the district
    committees `000.00.<31..42>.H23` (in district-code order) and the communes `000.<ordinal>.<district>.H23`.
    """
    rows = [
        (
            PROVINCE_SYSTEM,
            "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh Hải Dương",
            "Tỉnh",
            None,
            None,
            None,
            None,
            "system",
        )
    ]
    rows += [
        (f"000.00.{i + 1:02d}.H23", name, "Tỉnh", None, None, None, None, "department")
        for i, name in enumerate(DEPARTMENTS)
    ]
    districts = geo.districts.sort("district_code")
    district_part = {code: 31 + i for i, code in enumerate(districts["district_code"])}
    rows += [
        (
            f"000.00.{district_part[d['district_code']]}.H23",
            f"UBND {d['district_name']}",
            "Huyện",
            d["district_code"],
            d["district_name"],
            None,
            None,
            "district",
        )
        for d in districts.iter_rows(named=True)
    ]
    communes = geo.communes.sort("district_code", "commune_code").with_columns(
        pl.int_range(1, pl.len() + 1).over("district_code").alias("ordinal")
    )
    rows += [
        (
            f"000.{c['ordinal']:02d}.{district_part[c['district_code']]}.H23",
            f"UBND {c['commune_name']}",
            "Xã",
            c["district_code"],
            c["district_name"],
            c["commune_code"],
            c["commune_name"],
            "commune",
        )
        for c in communes.iter_rows(named=True)
    ]
    return pl.DataFrame(
        rows,
        orient="row",
        schema={
            "MaDonVi": pl.String,
            "TenDonVi": pl.String,
            "CapDonVi": pl.String,
            "MaHuyen": pl.String,
            "TenHuyen": pl.String,
            "MaXa": pl.String,
            "TenXa": pl.String,
            "kind": pl.String,
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Dossier facts (numeric columns for the whole period)
# ---------------------------------------------------------------------------------------------------------


def _day_weights(days: np.ndarray) -> np.ndarray:
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    w = WEEKDAY_WEIGHT[weekday].copy()
    w[np.isin(days, HOLIDAYS)] = WEEKDAY_WEIGHT[6]
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    years = (days - np.datetime64(DEFAULT_START)).astype(np.float64) / 365.25
    return w * MONTH_WEIGHT[month] * YEARLY_GROWTH**years


def dossier_total(cfg: SimConfig) -> int:
    """cfg.scaled(3M) over the default period; for another period the same expected rate per day."""
    if (cfg.start, cfg.end) == (DEFAULT_START, DEFAULT_END):
        return cfg.scaled(REAL_DOSSIERS)
    default_days = np.arange(
        np.datetime64(DEFAULT_START), np.datetime64(DEFAULT_END) + 1, dtype="datetime64[D]"
    )
    ratio = _day_weights(cfg.days()).sum() / _day_weights(default_days).sum()
    return round(cfg.scaled(REAL_DOSSIERS) * ratio)


def daily_counts(cfg: SimConfig) -> np.ndarray:
    rng = cfg.rng(FEED, "clean-volume")
    days = cfg.days()
    noisy = _day_weights(days) * rng.lognormal(0.0, 0.08, len(days))
    return _apportion(dossier_total(cfg), noisy)


def _office_seconds(rng: np.random.Generator, n: int, morning_only: np.ndarray) -> np.ndarray:
    """Seconds after midnight within office hours (07:30–11:30, 13:30–17:00; mornings only when asked)."""
    s = rng.random(n) * np.where(morning_only, CLOSE_AM - OPEN_AM, CLOSE_PM - OPEN_PM + CLOSE_AM - OPEN_AM)
    s = s.astype(np.int64)
    return np.where(s < CLOSE_AM - OPEN_AM, OPEN_AM + s, OPEN_PM + s - (CLOSE_AM - OPEN_AM))


def _later_same_day(rng: np.random.Generator, after: np.ndarray) -> np.ndarray:
    """A time of day strictly after `after` and not after 17:00 (or `after` + 1 s at the close)."""
    room = np.maximum(CLOSE_PM - after - 1, 0)
    return after + 1 + (rng.random(len(after)) * room).astype(np.int64)


def _at(days: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    return days.astype(np.int64) * SECONDS_PER_DAY + seconds


def _step_time(
    rng, day_from: np.ndarray, t_from: np.ndarray, offset: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The day `offset` working days after day_from (rolled forward) and a time after t_from on the same day."""
    day_to = np.busday_offset(day_from, offset, roll="forward", holidays=HOLIDAYS)
    tod = _office_seconds(rng, len(day_to), np.zeros(len(day_to), dtype=bool))
    same = day_to == day_from
    tod = np.where(same & (tod <= t_from), _later_same_day(rng, t_from), tod)
    return day_to, tod


def simulate_facts(
    cfg: SimConfig, cat: pl.DataFrame, agencies: pl.DataFrame, geo: Geography
) -> dict[str, np.ndarray]:
    """Every dossier's numeric facts, sorted by reception time. -1 marks an absent time or rating."""
    rng = cfg.rng(FEED, "clean-facts")
    days = cfg.days()
    counts = daily_counts(cfg)
    n = int(counts.sum())
    day = np.repeat(days, counts)
    closed = ~np.is_busday(day, holidays=HOLIDAYS)
    tod = _office_seconds(rng, n, closed)
    order = np.lexsort((tod, day))
    day, tod, closed = day[order], tod[order], closed[order]
    f: dict[str, np.ndarray] = {"day": day, "t_recv": _at(day, tod)}

    proc = _categorical(rng, cat["p"].to_numpy(), n).astype(np.int32)
    f["proc"] = proc
    f["agency"] = _agencies_for(rng, proc, cat, agencies, geo)
    f["seq"] = _sequence(day, f["agency"])
    f["kind"] = np.where(rng.random(n) < cat["biz"].to_numpy()[proc], 2, 1).astype(np.int8)
    years_in = (day - np.datetime64(DEFAULT_START)).astype(np.float64) / 365.25
    f["channel"] = _channels(rng, cat["level"].to_numpy()[proc], years_in)
    _processing(rng, cfg, f, cat["days"].to_numpy()[proc], tod)
    _fees(rng, f, cat["fee"].to_numpy()[proc] > 0, years_in)
    _calibrate(cfg, f)
    return f


def _agencies_for(rng, proc, cat: pl.DataFrame, agencies: pl.DataFrame, geo: Geography) -> np.ndarray:
    kind = agencies["kind"].to_numpy()
    dept_agency = np.flatnonzero(kind == "department")
    district_agency = np.flatnonzero(kind == "district")
    commune_agency = np.flatnonzero(kind == "commune")
    communes = geo.communes.sort("district_code", "commune_code")
    ctype = communes["commune_type"].to_numpy()
    cw = np.select([ctype == "Phường", ctype == "Thị trấn"], [1.6, 1.3], 1.0)
    dw = communes.group_by("district_code", maintain_order=True).agg(pl.len())["len"].to_numpy().astype(float)
    dw = np.bincount(np.repeat(np.arange(len(dw)), dw.astype(int)), weights=cw)
    cap = cat["cap"].to_numpy()[proc]
    agency = dept_agency[cat["dept"].to_numpy()[proc]].astype(np.int32)
    at_district, at_commune = cap == 1, cap == 2
    agency[at_district] = district_agency[_categorical(rng, dw, int(at_district.sum()))]
    agency[at_commune] = commune_agency[_categorical(rng, cw, int(at_commune.sum()))]
    return agency


def _categorical(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    """n draws of an index with probability ∝ weights."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.minimum(np.searchsorted(cdf / cdf[-1], rng.random(n), side="right"), len(cdf) - 1)


def _sequence(day: np.ndarray, agency: np.ndarray) -> np.ndarray:
    """1, 2, ... per agency and day, in reception order (the running number of MaHoSo)."""
    key = (day - day[0]).astype(np.int64) * 10_000 + agency
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    start = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(len(key)), 0))
    seq = np.empty(len(key), dtype=np.int32)
    seq[order] = np.arange(len(key)) - first + 1
    return seq


def _channels(rng, level: np.ndarray, years_in: np.ndarray) -> np.ndarray:
    """1 direct, 2 online (level 3/4 only; growing share), 3 public postal service."""
    online = np.clip(0.22 + 0.17 * years_in, 0, 0.75) * np.select([level == 4, level == 3], [1.0, 0.55], 0.0)
    u = rng.random(len(level))
    return np.select([u < online, u < online + 0.03], [2, 3], 1).astype(np.int8)


def _processing(rng, cfg: SimConfig, f: dict, legal_days: np.ndarray, tod: np.ndarray) -> None:
    """Due date, outcome and its dates, status at the end of the period, delivery form."""
    n = len(legal_days)
    day = f["day"]
    end_ts = _at(np.array([np.datetime64(cfg.end) + 1]), np.array([0]))[0]
    due_day = np.busday_offset(day, legal_days, roll="forward", holidays=HOLIDAYS)
    u = rng.random(n)
    outcome = np.select([u < 0.006, u < 0.010, u < 0.013, u < 0.018], [3, 7, 8, 9], 10).astype(np.int8)
    late = rng.random(n) < 0.05
    on_time = np.minimum(((legal_days + 1) * rng.random(n) ** 0.8).astype(np.int64), legal_days)
    offset = np.where(late, legal_days + rng.integers(1, 11, n), on_time)
    offset = np.where((outcome == 7) | (outcome == 8), (legal_days * rng.random(n)).astype(np.int64), offset)
    done_day, done_tod = _step_time(rng, day, tod, offset)
    channel = f["channel"]
    form = np.select(
        [channel == 3, channel == 2],
        [1, _categorical(rng, [0.2, 0.1, 0.7], n)],
        _categorical(rng, [0.88, 0.12], n),
    ).astype(np.int8)
    wait = np.where(form == 2, 0, _categorical(rng, [0.45, 0.3, 0.1, 0.07, 0.05, 0.03], n))
    ret_day, ret_tod = _step_time(rng, done_day, done_tod, wait)

    t_done = _at(done_day, done_tod)
    t_ret = _at(ret_day, ret_tod)
    running = (outcome != 3) & (t_done >= end_ts)
    u = rng.random(n)
    running_status = np.select([f["t_recv"] >= end_ts - SECONDS_PER_DAY, u < 0.10, u < 0.15], [2, 5, 6], 4)
    status = np.where(running, running_status, outcome).astype(np.int8)
    status[(status == 10) & (t_ret >= end_ts)] = 9
    f["status"] = status
    f["due"] = np.where(status == 3, -1, _at(due_day, np.full(n, CLOSE_PM)))
    f["t_done"] = np.where(np.isin(status, (7, 8, 9, 10)), t_done, -1)
    f["t_ret"] = np.where(status == 10, t_ret, -1)
    f["t_step"] = np.where(
        np.isin(status, (4, 5, 6)), f["t_recv"] + 1 + (rng.random(n) * 3600).astype(np.int64), -1
    )
    f["form"] = form


def _fees(rng, f: dict, has_fee: np.ndarray, years_in: np.ndarray) -> None:
    """-1 no fee list; 1 paid online; 0 paid at the desk. Online payment grows with online filing."""
    online_pay = np.where(f["channel"] == 2, np.clip(0.35 + 0.2 * years_in, 0, 0.95), 0.05)
    paid_online = rng.random(len(has_fee)) < online_pay
    f["fee_online"] = np.where(has_fee & (f["status"] != 3), paid_online.astype(np.int8), -1).astype(np.int8)


def _year_of(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[Y]").astype(np.int64) + 1970


def _calibrate(cfg: SimConfig, f: dict) -> None:
    """Ratings and digitisation, with the yearly figures of kpi_targets.csv exact by allocation."""
    rng = cfg.rng(FEED, "clean-calibration")
    n = len(f["day"])
    year = _year_of(f["day"])
    years = [int(y) for y in np.unique(_year_of(cfg.days()))]
    status = f["status"]
    rate = np.zeros(n)
    for y in years:
        rate[year == y] = RATING_RATE.get(y, 0.5)
    rated = (status == 10) & (rng.random(n) < rate)
    positive_value = np.where(rng.random(n) < 0.55, 1, 2)
    negative_value = np.where(rng.random(n) < 0.75, 3, 4)
    rating = np.full(n, -1, dtype=np.int8)
    for y in years:
        members = np.flatnonzero(rated & (year == y))
        n_pos = int(np.floor(SATISFACTION.get(y, SATISFACTION_OTHER) * len(members) + 0.5))
        positive = np.zeros(len(members), dtype=bool)
        positive[rng.permutation(len(members))[:n_pos]] = True
        rating[members] = np.where(positive, positive_value[members], negative_value[members])
    f["rating"] = rating

    eligible = np.isin(status, (9, 10))
    so_hs = ((status != 3) & (rng.random(n) < 0.3)).astype(np.int8)
    so_kq = np.zeros(n, dtype=np.int8)
    weight = np.where(f["channel"] == 2, 3.0, 1.0)
    category = _categorical(rng, [0.4, 0.1, 0.5], n)  # not both: inputs only, result only, neither
    for y, target in digitised_targets(year, eligible, years).items():
        members = np.flatnonzero(eligible & (year == y))
        both = _weighted_pick(rng, weight[members], target)
        so_hs[members] = np.where(both, 1, category[members] == 0)
        so_kq[members] = np.where(both, 1, category[members] == 1)
    f["so_hs"], f["so_kq"] = so_hs, so_kq


def digitised_targets(year: np.ndarray, eligible: np.ndarray, years: list[int]) -> dict[int, int]:
    """Dossiers with inputs and result digitised, per year of reception: a share of the finished ones, and
    for 2023 round(1.38 × the 2022 count) when 2022 lies in the period."""
    finished = {y: int((eligible & (year == y)).sum()) for y in years}
    targets = {
        y: int(np.floor(DIGITISED_SHARE.get(y, 0.5 if y > 2023 else 0.1) * finished[y] + 0.5)) for y in years
    }
    if 2022 in targets and 2023 in targets:
        targets[2023] = int(np.floor(DIGITISED_GROWTH_2023 * targets[2022] + 0.5))
    for y in years:
        if targets[y] > finished[y]:
            raise ValueError(f"{y}: {targets[y]} digitised dossiers wanted but only {finished[y]} finished")
    return targets


# ---------------------------------------------------------------------------------------------------------
# Defects
# ---------------------------------------------------------------------------------------------------------

DEFECT_CLASSES = [
    ("unknown_procedure_code", "đúng"),
    ("due_before_received", "đúng"),
    ("status_out_of_list", "đúng"),
    ("invalid_applicant_id", "đúng"),
    ("missing_mandatory_field", "đủ"),
    ("completed_without_result_date", "đủ"),
    ("duplicate_sync", "sạch"),
    ("mixed_date_format", "sạch"),
    ("non_nfc_text", "sạch"),
    ("stuck_in_progress", "sống"),
]
MISSING_FIELDS = np.array(["MaTTHC", "NgayTiepNhan", "DonViXuLy"])
BAD_STATUSES = np.array([0, 11, 99])
ID_VARIANTS = np.array(["11 digits: leading zero lost", "9-digit CMND number", "unknown province prefix"])


@dataclass
class DefectPlan:
    """Rows (positions in the facts) touched by each class, with the values the class writes."""

    rows: dict[str, np.ndarray] = field(default_factory=dict)
    values: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)


def defect_bases(cfg: SimConfig, f: dict) -> dict[str, np.ndarray]:
    """For each class, the clean dossiers it may touch (its base)."""
    n = len(f["day"])
    cutoff = _at(np.array([np.datetime64(cfg.end) + 1 - STUCK_DAYS]), np.array([0]))[0]
    everyone = np.ones(n, dtype=bool)
    return {
        "unknown_procedure_code": everyone,
        "due_before_received": f["due"] >= 0,
        "status_out_of_list": everyone,
        "invalid_applicant_id": f["kind"] == 1,
        "missing_mandatory_field": everyone,
        "completed_without_result_date": f["status"] == 10,
        "duplicate_sync": f["day"] < np.datetime64(cfg.end),
        "mixed_date_format": everyone,
        "non_nfc_text": everyone,
        "stuck_in_progress": (f["status"] == 10)
        & (f["rating"] < 0)
        & (f["so_kq"] == 0)
        & (f["due"] < cutoff)
        & (f["t_done"] < cutoff),
    }


def plan_defects(cfg: SimConfig, f: dict, agencies: pl.DataFrame, truth: DefectLog) -> DefectPlan:
    """Choose each class's rows (disjoint: one class per dossier at most) and its values; log them in truth."""
    rng = cfg.rng(FEED, "defects")
    n = len(f["day"])
    bases = defect_bases(cfg, f)
    taken = np.zeros(n, dtype=bool)
    plan = DefectPlan()
    for cls, _criterion in DEFECT_CLASSES:
        count = defect_count(cfg.defect_rate, int(bases[cls].sum()))
        if count:
            (rows,) = pick_disjoint(rng, n, [count], taken=taken | ~bases[cls])
            taken[rows] = True
            plan.rows[cls] = rows
    values_rng = cfg.rng(FEED, "defects-values")
    for cls, criterion in DEFECT_CLASSES:
        if cls in plan.rows:
            rows = plan.rows[cls]
            plan.values[cls], detail = _defect_values(cls, values_rng, cfg, f, rows)
            codes = dossier_codes(
                agencies["MaDonVi"].gather(f["agency"][rows]), _code_suffixes(f["day"][rows], f["seq"][rows])
            )
            truth.add(FEED, codes, cls, criterion, detail)
    return plan


def _defect_values(cls: str, rng, cfg: SimConfig, f: dict, rows: np.ndarray):
    """The values a class writes into its rows, and the truth detail of each row."""
    k = len(rows)
    if cls == "unknown_procedure_code":
        codes = "1." + pl.Series(rng.integers(13_000, 16_000, k)).cast(pl.String).str.zfill(6)
        return {"code": codes.to_numpy()}, ("MaTTHC " + codes + " is not in the catalogue")
    if cls == "due_before_received":
        back = rng.integers(1, 31, k)
        due = _at(f["day"][rows] - back, np.full(k, CLOSE_PM))
        return {"due": due}, [f"NgayHenTra {d} days before NgayTiepNhan" for d in back.tolist()]
    if cls == "status_out_of_list":
        status = BAD_STATUSES[rng.integers(0, len(BAD_STATUSES), k)]
        return {"status": status}, [f"TrangThaiHoSo {s}" for s in status.tolist()]
    if cls == "invalid_applicant_id":
        variant = rng.integers(0, 3, k)
        cmnd = "14" + pl.Series(rng.integers(0, 10_000_000, k)).cast(pl.String).str.zfill(7)
        unused = _unused_id_prefixes()
        prefix = unused[rng.integers(0, len(unused), k)]
        return (
            {"variant": variant, "cmnd": cmnd.to_numpy(), "prefix": prefix},
            [f"MaDoiTuong: {ID_VARIANTS[v]}" for v in variant.tolist()],
        )
    if cls == "missing_mandatory_field":
        which = rng.integers(0, len(MISSING_FIELDS), k)
        return {"which": which}, [f"{MISSING_FIELDS[w]} missing" for w in which.tolist()]
    if cls == "completed_without_result_date":
        return {}, "TrangThaiHoSo 10 without NgayTra"
    if cls == "duplicate_sync":
        target = np.minimum(f["day"][rows] + rng.integers(1, 15, k), np.datetime64(cfg.end))
        return {"target": target}, [f"repeated in {_day_path(d)}" for d in target.tolist()]
    if cls == "mixed_date_format":
        return {}, "dates written as yyyy-MM-dd HH:mm:ss"
    if cls == "non_nfc_text":
        return {}, "ChuHoSo and TrichYeuHoSo in Unicode NFD"
    if cls == "stuck_in_progress":
        last = f["t_done"][rows] // SECONDS_PER_DAY
        dates = last.astype("datetime64[D]").astype(str)
        return {}, [f"TrangThaiHoSo 4, last progress {d}, due long past" for d in dates.tolist()]
    raise ValueError(cls)


@lru_cache(maxsize=1)
def province_id_prefixes() -> tuple[str, ...]:
    """The valid first three digits of a citizen ID: '0' + a province code of the 63 pre-2025 provinces."""
    return tuple(
        sorted("0" + r["provinceCode"] for r in query("select distinct provinceCode from admin_units_legacy"))
    )


def _unused_id_prefixes() -> np.ndarray:
    return np.array(sorted({f"{i:03d}" for i in range(100)} - set(province_id_prefixes())))


# ---------------------------------------------------------------------------------------------------------
# Applicants: registers of people and businesses, drawn once; dossiers pick from them
# ---------------------------------------------------------------------------------------------------------

REAL_PEOPLE = 400_000  # distinct citizens who file dossiers over the period at scale 1
REAL_BUSINESSES = 40_000
APPLICANT_COLUMNS = ["ChuHoSo", "LoaiDoiTuong", "MaDoiTuong", "SoDienThoai", "Email"]


def _citizen_ids(rng, n: int, female: np.ndarray) -> pl.Series:
    """12 digits: birth-registration province, century-and-sex digit, two-digit birth year, six random digits."""
    prefix = np.where(rng.random(n) < 0.88, 0, rng.integers(1, len(ID_PREFIX_NEIGHBOURS) + 1, n))
    born = rng.integers(1945, 2006, n)
    frame = pl.DataFrame(
        {
            "p": prefix,
            "c": np.where(born >= 2000, 2, 0) + female,
            "y": born % 100,
            "r": rng.integers(0, 1_000_000, n),
        }
    )
    prefixes = pl.Series(["030", *ID_PREFIX_NEIGHBOURS.tolist()])
    return frame.select(
        pl.concat_str(
            [
                prefixes.gather(frame["p"]),
                pl.col("c").cast(pl.String),
                pl.col("y").cast(pl.String).str.zfill(2),
                pl.col("r").cast(pl.String).str.zfill(6),
            ]
        )
    ).to_series()


def _tax_codes(rng, n: int) -> pl.Series:
    """10-digit enterprise codes of the province's tax office (prefix 08) with a valid check digit."""
    digits = np.column_stack([np.zeros(n, np.int64), np.full(n, 8), rng.integers(0, 10, (n, 7))])
    bump = digits @ TAX_WEIGHTS % 11 == 0  # its check digit would be 10, never issued: change the ninth digit
    digits[bump, 8] = (digits[bump, 8] + 1) % 10
    check = 10 - digits @ TAX_WEIGHTS % 11
    return pl.Series(digits @ (10 ** np.arange(8, -1, -1)) * 10 + check).cast(pl.String).str.zfill(10)


def _pick(rng, options, n: int) -> pl.Series:
    values = pl.Series(list(options))
    return values.gather(rng.integers(0, len(values), n))


def _business_names(rng, n: int) -> pl.Series:
    form, trade = _pick(rng, BUSINESS_FORMS, n), _pick(rng, BUSINESS_TRADES, n)
    brand = _pick(rng, BUSINESS_WORDS, n) + " " + _pick(rng, BUSINESS_WORDS, n)
    return pl.select(
        pl.concat_str([form, pl.when(trade != "").then(" " + trade), pl.lit(" "), brand], ignore_nulls=True)
    ).to_series()


def _unaccent(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.replace_all("[đĐ]", "d")
        .str.to_lowercase()
    )


def _contacts(rng, names: pl.Series, mail_share: float, business: bool) -> pl.DataFrame:
    """Mobile number (10 digits) and, for some, an e-mail address made from the name."""
    n = len(names)
    words = _unaccent(pl.lit(names)).str.split(" ")
    local = (
        pl.concat_str([words.list.get(-2), words.list.last(), pl.lit(".hd")])
        if business
        else pl.concat_str(
            [
                words.list.last(),
                words.list.first(),
                pl.lit(pl.Series(rng.integers(1, 10_000, n))).cast(pl.String),
            ]
        )
    )
    return pl.select(
        (
            _pick(rng, PHONE_PREFIXES, n)
            + pl.Series(rng.integers(0, 10_000_000, n)).cast(pl.String).str.zfill(7)
        ).alias("SoDienThoai"),
        pl.when(pl.lit(pl.Series(rng.random(n) < mail_share)))
        .then(pl.concat_str([local, pl.lit("@"), pl.lit(_pick(rng, MAIL_DOMAINS, n))]))
        .alias("Email"),
    )


def build_applicants(cfg: SimConfig) -> pl.DataFrame:
    """People (LoaiDoiTuong 1) then businesses (2): name, ID or tax code, phone, e-mail."""
    rng = cfg.rng(FEED, "clean-applicants")
    n_people, n_firms = max(1_000, cfg.scaled(REAL_PEOPLE)), max(200, cfg.scaled(REAL_BUSINESSES))
    female = rng.random(n_people) < 0.5
    people_names = full_names(rng, female)
    people = pl.DataFrame(
        {
            "ChuHoSo": people_names,
            "LoaiDoiTuong": np.ones(n_people, np.int8),
            "MaDoiTuong": _citizen_ids(rng, n_people, female.astype(np.int64)),
        }
    )
    firm_names = _business_names(rng, n_firms)
    firms = pl.DataFrame(
        {
            "ChuHoSo": firm_names,
            "LoaiDoiTuong": np.full(n_firms, 2, np.int8),
            "MaDoiTuong": _tax_codes(rng, n_firms),
        }
    )
    return pl.concat(
        [
            pl.concat([people, _contacts(rng, people_names, 0.25, business=False)], how="horizontal"),
            pl.concat([firms, _contacts(rng, firm_names, 0.7, business=True)], how="horizontal"),
        ]
    )


# ---------------------------------------------------------------------------------------------------------
# Month frames: JSON pieces, defects, lines
# ---------------------------------------------------------------------------------------------------------

PROC_FIELDS = ["MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc"]
# Desks of the progress steps: the one-stop desk, specialists (province, district), specialists of a commune.
DESKS = [ONE_STOP_DESK, SPECIALIST_DESK, "Công chức chuyên môn"]
STATES = 16  # step tails are indexed desk * STATES + status
ISO_LIKE = (r'^"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})"$', '"$1-$2-$3 $4:$5:$6"')


def dossier_codes(agency_code: pl.Series, day_label: pl.Series) -> pl.Series:
    """MaHoSo: `<agency>-<yyMMdd>-<running number per agency and day, 4 digits>`."""
    return agency_code + "-" + day_label


def _code_suffixes(day: np.ndarray, seq: np.ndarray) -> pl.Series:
    frame = pl.DataFrame({"d": day.astype("datetime64[D]"), "s": seq})
    return frame.select(
        pl.concat_str(
            [pl.col("d").dt.strftime("%y%m%d"), pl.col("s").cast(pl.String).str.zfill(4)], separator="-"
        )
    ).to_series()


def json_members(frame: pl.DataFrame, columns: list[str]) -> pl.Series:
    """`"k":v,...` for the columns of each row: a JSON object's members, to splice into a record."""
    struct = pl.struct(
        [pl.col(c).cast(pl.Int64) if frame.schema[c].is_integer() else pl.col(c) for c in columns]
    )
    return frame.select(struct.struct.json_encode().str.strip_prefix("{").str.strip_suffix("}")).to_series()


@dataclass(frozen=True)
class Stamps:
    """Writes '"yyyyMMddHHmmss"' (quotes included, ready for JSON) from epoch seconds by looking up the day
    part and the time part: much cheaper than formatting each date."""

    first_day: int  # days since 1970 of heads[0]
    heads: pl.Series  # '"yyyyMMdd' per day
    tails: pl.Series  # 'HHmmss"' per second of the day

    @classmethod
    def around(cls, cfg: SimConfig) -> Stamps:
        first = (
            np.datetime64(cfg.start) - 400
        )  # room for dates before the period (defects) and after it (due)
        days = np.arange(first, np.datetime64(cfg.end) + 400, dtype="datetime64[D]")
        tod = np.arange(SECONDS_PER_DAY)
        clock = (
            pl.DataFrame({"h": tod // 3600, "m": tod // 60 % 60, "s": tod % 60})
            .select(pl.concat_str([pl.col(c).cast(pl.String).str.zfill(2) for c in "hms"] + [pl.lit('"')]))
            .to_series()
        )
        return cls(int(first.astype(np.int64)), '"' + pl.Series(days).dt.strftime("%Y%m%d"), clock)

    def __call__(self, seconds: np.ndarray) -> pl.Series:
        """The stamps of epoch seconds; null where seconds < 0."""
        present = seconds >= 0
        day = np.where(present, seconds // SECONDS_PER_DAY - self.first_day, 0)
        if (day < 0).any() or (day >= len(self.heads)).any():
            raise ValueError("a date lies outside the stamp table")
        stamp = self.heads.gather(day) + self.tails.gather(np.where(present, seconds % SECONDS_PER_DAY, 0))
        return stamp.scatter(np.flatnonzero(~present), None) if not present.all() else stamp


@dataclass(frozen=True)
class Lookups:
    """Pre-encoded JSON pieces the month frames gather from (same encoder as for defect rows)."""

    cat: pl.DataFrame  # PROC_FIELDS of each procedure
    proc_json: pl.Series  # JSON members of PROC_FIELDS, per procedure
    subject: pl.Series  # TrichYeuHoSo, per procedure
    fee_json: (
        pl.Series
    )  # the DanhSachLePhi entry per procedure * 2 + paid online; last entry "" (no fee list)
    agency_code: pl.Series
    agency_cap: np.ndarray
    applicants: pl.DataFrame  # APPLICANT_COLUMNS and applicant_json, people first
    n_people: int
    officer_head: pl.Series  # '{"NguoiXuLy":"<name>","ThoiDiemXuLy":' per officer
    step_tail: pl.Series  # ',"PhongBanXuLy":..,"NoiDungXuLy":..,"TrangThai":n}' per desk * STATES + status
    flags_json: (
        pl.Series
    )  # ',"HinhThuc":..,"SoHoaHoSo":..,"SoHoaKetQua":..,"DanhGiaHaiLong":..' per _flag_code
    day_label: pl.Series  # yyMMdd per day of the period
    prefixes: pl.Series  # the envelope up to `"data":[`, per day of the period
    stamps: Stamps


def _flag_code(form: np.ndarray, so_hs: np.ndarray, so_kq: np.ndarray, rating: np.ndarray) -> np.ndarray:
    return ((form.astype(np.int64) * 2 + so_hs) * 2 + so_kq) * 5 + np.maximum(rating, 0)


def _flags_table() -> pl.Series:
    return pl.Series(
        [
            f',"HinhThuc":{form},"SoHoaHoSo":{so_hs},"SoHoaKetQua":{so_kq},'
            f'"DanhGiaHaiLong":{rating if rating else "null"}'
            for form in range(3)
            for so_hs in range(2)
            for so_kq in range(2)
            for rating in range(5)
        ]
    )


def _step_tails() -> pl.Series:
    frame = pl.DataFrame(
        {
            "PhongBanXuLy": [desk for desk in DESKS for _ in range(STATES)],
            "NoiDungXuLy": [STEP_TEXT.get(state, "") for _ in DESKS for state in range(STATES)],
            "TrangThai": [state for _ in DESKS for state in range(STATES)],
        }
    )
    return "," + json_members(frame, ["PhongBanXuLy", "NoiDungXuLy", "TrangThai"]) + "}"


def _fee_table(cat: pl.DataFrame, fee_names: list[str]) -> pl.Series:
    frame = pl.DataFrame(
        {
            "TenPhiLePhi": [name for name in fee_names for _ in range(2)],
            "MucThu": np.repeat(cat["PhiLePhi"].to_numpy(), 2),
            "HinhThucThu": ["Trực tiếp", "Trực tuyến"] * len(cat),
        }
    )
    entries = "{" + json_members(frame, ["TenPhiLePhi", "MucThu", "HinhThucThu"]) + "}"
    return pl.concat([entries, pl.Series([""])])


def month_frame(cfg: SimConfig, f: dict, lo: int, hi: int, look: Lookups) -> pl.DataFrame:
    """The JSON pieces of dossiers lo..hi (one month), with the random choices drawn from that month's stream."""
    rng = cfg.rng(FEED, f"clean-month-{np.datetime64(f['day'][lo], 'M')}")
    sl = {k: v[lo:hi] for k, v in f.items()}
    n = hi - lo
    n_firms = len(look.applicants) - look.n_people
    who = np.where(
        sl["kind"] == 1, rng.integers(0, look.n_people, n), look.n_people + rng.integers(0, n_firms, n)
    )
    agency = sl["agency"].astype(np.int64)
    officer_one = (agency * 7 + rng.integers(0, 3, n)) % len(look.officer_head)
    officer_two = (agency * 13 + 5 + rng.integers(0, 4, n)) % len(look.officer_head)
    status = sl["status"].astype(np.int64)
    returned = status == 10
    specialist = np.where(look.agency_cap[agency] == 2, 2, 1)
    day_index = (sl["day"] - np.datetime64(cfg.start)).astype(np.int64)
    proc = sl["proc"].astype(np.int64)
    stamps = look.stamps
    received = stamps(sl["t_recv"])
    fee_code = np.where(sl["fee_online"] < 0, len(look.fee_json) - 1, proc * 2 + sl["fee_online"])
    at_desk = returned | (status <= 3)  # received, refused or returned: a one-stop desk step
    step_time = np.select(
        [status <= 3, returned, sl["t_step"] >= 0], [sl["t_recv"], sl["t_ret"], sl["t_step"]], sl["t_done"]
    )
    return pl.DataFrame(
        {
            "day_index": day_index,
            "proc": proc,
            "who": who,
            "officer_two": officer_two,
            "specialist": specialist,
            "MaHoSo": look.agency_code.gather(agency)
            + "-"
            + look.day_label.gather(day_index)
            + "-"
            + pl.Series(sl["seq"]).cast(pl.String).str.zfill(4),
            "proc_json": look.proc_json.gather(proc),
            "KenhThucHien": pl.Series(sl["channel"]).cast(pl.String),
            "applicant_json": look.applicants["applicant_json"].gather(who),
            "TrichYeuHoSo": look.subject.gather(proc),
            "NgayTiepNhan": received,
            "NgayHenTra": stamps(sl["due"]),
            "NgayKetThucXuLy": stamps(sl["t_done"]),
            "NgayTra": stamps(sl["t_ret"]),
            "TrangThaiHoSo": sl["status"],
            "DonViXuLy": look.agency_code.gather(agency),
            "flags": look.flags_json.gather(_flag_code(sl["form"], sl["so_hs"], sl["so_kq"], sl["rating"])),
            "fee": look.fee_json.gather(fee_code),
            "step_head": look.officer_head.gather(np.where(at_desk, officer_one, officer_two)),
            "step_time": stamps(step_time),
            "step_tail": look.step_tail.gather(np.where(at_desk, 0, specialist) * STATES + status),
        }
    )


def defective_rows(
    frame: pl.DataFrame, plan: DefectPlan, lo: int, hi: int, look: Lookups
) -> tuple[np.ndarray, pl.DataFrame]:
    """The month's rows touched by a planned defect (positions in the frame) and their pieces with the defects
    written in: the rows are taken out with their source fields, changed and re-encoded."""
    parts = {cls: (rows >= lo) & (rows < hi) for cls, rows in plan.rows.items()}
    touched = np.unique(
        np.concatenate([np.zeros(0, np.int64)] + [plan.rows[c][m] - lo for c, m in parts.items()])
    )
    sub = frame[touched]
    sub = pl.concat(
        [sub, look.cat[sub["proc"]], look.applicants[sub["who"]].drop("applicant_json")], how="horizontal"
    )
    for cls, sel in parts.items():
        if sel.any():
            rows = np.searchsorted(touched, plan.rows[cls][sel] - lo)
            sub = _apply(cls, sub, rows, {k: v[sel] for k, v in plan.values[cls].items()}, look)
    return touched, sub.with_columns(
        json_members(sub, PROC_FIELDS).alias("proc_json"),
        json_members(sub, APPLICANT_COLUMNS).alias("applicant_json"),
    )


def _set(frame: pl.DataFrame, col: str, rows: np.ndarray, values) -> pl.DataFrame:
    return frame.with_columns(frame[col].scatter(rows, values))


def _apply(cls: str, sub: pl.DataFrame, rows: np.ndarray, v: dict, look: Lookups) -> pl.DataFrame:
    """One class's change to its rows of the touched sub-frame."""
    if cls == "unknown_procedure_code":
        return _set(sub, "MaTTHC", rows, v["code"])
    if cls == "due_before_received":
        return _set(sub, "NgayHenTra", rows, look.stamps(v["due"]))
    if cls == "status_out_of_list":
        return _set(sub, "TrangThaiHoSo", rows, v["status"].astype(np.int8))
    if cls == "invalid_applicant_id":
        old = sub["MaDoiTuong"].gather(rows)
        variant = pl.Series(v["variant"])
        new = pl.select(
            pl.when(variant == 0)
            .then(old.str.slice(1))
            .when(variant == 1)
            .then(pl.Series(v["cmnd"]))
            .otherwise(pl.Series(v["prefix"]) + old.str.slice(3))
        ).to_series()
        return _set(sub, "MaDoiTuong", rows, new)
    if cls == "missing_mandatory_field":
        for w, col in enumerate(MISSING_FIELDS):
            if (v["which"] == w).any():
                sub = _set(sub, col, rows[v["which"] == w], "" if col == "DonViXuLy" else None)
        return sub
    if cls == "completed_without_result_date":
        return _set(sub, "NgayTra", rows, None)
    if cls == "mixed_date_format":
        for col in DATE_COLUMNS:
            sub = _set(sub, col, rows, sub[col].gather(rows).str.replace(*ISO_LIKE))
        return sub
    if cls == "non_nfc_text":
        for col in ("ChuHoSo", "TrichYeuHoSo"):
            sub = _set(sub, col, rows, sub[col].gather(rows).str.normalize("NFD"))
        return sub
    if cls == "stuck_in_progress":
        sub = _set(sub, "step_time", rows, sub["NgayKetThucXuLy"].gather(rows))
        sub = _set(sub, "step_head", rows, look.officer_head.gather(sub["officer_two"].gather(rows)))
        sub = _set(sub, "step_tail", rows, look.step_tail.gather(sub["specialist"].gather(rows) * STATES + 4))
        for col in ("NgayKetThucXuLy", "NgayTra"):
            sub = _set(sub, col, rows, None)
        return _set(sub, "TrangThaiHoSo", rows, np.full(len(rows), 4, dtype=np.int8))
    if cls == "duplicate_sync":
        return sub  # an added line, written by the day loop
    raise ValueError(cls)


def encode_lines(frame: pl.DataFrame, prefixes: pl.Series) -> pl.Series:
    """The sync call of each dossier: the day's envelope prefix, the record, `]}`.

    Record members, in order: MaHoSo, PROC_FIELDS, KenhThucHien, APPLICANT_COLUMNS, TrichYeuHoSo, the four
    dates, TrangThaiHoSo, DonViXuLy, HinhThuc, SoHoaHoSo, SoHoaKetQua, DanhGiaHaiLong, DanhSachLePhi,
    QuaTrinhXuLy. The pieces are JSON already (strings quoted), absent dates become null.
    """

    def date(col: str) -> pl.Expr:
        return pl.col(col).fill_null(pl.lit("null"))

    line = pl.concat_str(
        [
            pl.lit(prefixes).gather(pl.col("day_index")),
            pl.lit('{"MaHoSo":"'),
            pl.col("MaHoSo"),
            pl.lit('",'),
            pl.col("proc_json"),
            pl.lit(',"KenhThucHien":'),
            pl.col("KenhThucHien"),
            pl.lit(","),
            pl.col("applicant_json"),
            pl.lit(',"TrichYeuHoSo":"'),
            pl.col("TrichYeuHoSo"),
            pl.lit('","NgayTiepNhan":'),
            date("NgayTiepNhan"),
            pl.lit(',"NgayHenTra":'),
            date("NgayHenTra"),
            pl.lit(',"NgayKetThucXuLy":'),
            date("NgayKetThucXuLy"),
            pl.lit(',"NgayTra":'),
            date("NgayTra"),
            pl.lit(',"TrangThaiHoSo":'),
            pl.col("TrangThaiHoSo").cast(pl.String),
            pl.lit(',"DonViXuLy":"'),
            pl.col("DonViXuLy"),
            pl.lit('"'),
            pl.col("flags"),
            pl.lit(',"DanhSachLePhi":['),
            pl.col("fee"),
            pl.lit('],"QuaTrinhXuLy":['),
            pl.col("step_head"),
            pl.col("step_time"),
            pl.col("step_tail"),
            pl.lit("]}]}"),
        ]
    )
    return frame.select(line.alias("line")).to_series()


def envelope_prefix(session: str) -> str:
    """A sync call up to its data list: `{"session":..,"madonvi":..,"service":..,"isUpdating":false,"data":[`."""
    return (
        f'{{"session":"{session}","madonvi":"{PROVINCE_SYSTEM}","service":"{SERVICE}",'
        f'"isUpdating":false,"data":['
    )


# ---------------------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------------------


def _officers(cfg: SimConfig) -> pl.Series:
    rng = cfg.rng(FEED, "clean-officers")
    return full_names(rng, rng.random(600) < 0.55)


def _prefixes(cfg: SimConfig) -> pl.Series:
    """The envelope prefix of each day: one session token per day of syncing."""
    rng = cfg.rng(FEED, "clean-sessions")
    tokens = rng.integers(0, np.iinfo(np.int64).max, size=(len(cfg.days()), 2), dtype=np.int64)
    return pl.Series([envelope_prefix(f"{a:016x}{b:016x}") for a, b in tokens.tolist()])


def _write_csv(frame: pl.DataFrame, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, include_bom=True)
    return path.stat().st_size


def _months(cfg: SimConfig) -> list[tuple[date, date]]:
    out, first = [], cfg.start
    while first <= cfg.end:
        last = min(date(first.year, first.month, calendar.monthrange(first.year, first.month)[1]), cfg.end)
        out.append((first, last))
        first = last + timedelta(days=1)
    return out


def _lookups(cfg: SimConfig, cat: pl.DataFrame, published: pl.DataFrame, agencies: pl.DataFrame) -> Lookups:
    applicants = build_applicants(cfg)
    officers = _officers(cfg).to_frame("NguoiXuLy")
    return Lookups(
        cat=published.select(PROC_FIELDS),
        proc_json=json_members(published, PROC_FIELDS),
        subject=pl.Series([_subject(n) for n in published["TenTTHC"]]),
        fee_json=_fee_table(published, [FIELDS[i].fee_name for i in cat["field"]]),
        agency_code=agencies["MaDonVi"],
        agency_cap=agencies["CapDonVi"].replace_strict(list(CAP_NAMES), [0, 1, 2]).to_numpy(),
        applicants=applicants.with_columns(
            json_members(applicants, APPLICANT_COLUMNS).alias("applicant_json")
        ),
        n_people=int((applicants["LoaiDoiTuong"] == 1).sum()),
        officer_head="{" + json_members(officers, ["NguoiXuLy"]) + ',"ThoiDiemXuLy":',
        step_tail=_step_tails(),
        flags_json=_flags_table(),
        day_label=pl.Series(cfg.days()).dt.strftime("%y%m%d"),
        prefixes=_prefixes(cfg),
        stamps=Stamps.around(cfg),
    )


def simulate(cfg: SimConfig, geo: Geography, truth: DefectLog, progress: FeedProgress) -> FeedResult:
    out = cfg.feed_dir(FEED)
    days = cfg.days()
    progress.start(len(days))
    cat = build_catalogue(cfg)
    published = catalogue_table(cat)
    agencies = build_agencies(geo)
    nbytes = _write_csv(published, out / CATALOGUE_FILE)
    nbytes += _write_csv(agencies.drop("kind"), out / AGENCY_FILE)
    records = len(published) + len(agencies)

    f = simulate_facts(cfg, cat, agencies, geo)
    plan = plan_defects(cfg, f, agencies, truth)
    look = _lookups(cfg, cat, published, agencies)
    repeats = _Repeats(plan, look.prefixes, cfg.start)
    for year in sorted({d.year for d in days.astype(date).tolist()}):
        (out / "daily" / str(year)).mkdir(parents=True, exist_ok=True)
    # Months are built here and written by one writer thread, so building and writing overlap.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: list[Future] = []
        for first, last in _months(cfg):
            lo, hi = (
                int(i) for i in np.searchsorted(f["day"], [np.datetime64(first), np.datetime64(last) + 1])
            )
            lines = _month_lines(cfg, f, lo, hi, look, plan)
            repeats.collect(lines["line"], lo)
            month_days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
            due = {day: repeats.take(day) for day in month_days}
            if len(pending) >= 2:  # at most two months in memory besides the one being built
                written = pending.pop(0).result()
                records, nbytes = records + written[0], nbytes + written[1]
            pending.append(writer.submit(_write_month, out, cfg.start, month_days, lines, due, progress))
        for job in pending:
            written = job.result()
            records, nbytes = records + written[0], nbytes + written[1]
    return FeedResult(FEED, len(days) + 2, records, nbytes)


def _write_month(
    out: Path,
    start: date,
    month_days: list[date],
    lines: pl.DataFrame,
    repeats: dict[date, str],
    progress: FeedProgress,
) -> tuple[int, int]:
    """Write one file per day: its dossiers' lines in reception order, then the repeated lines due that day."""
    bounds = np.searchsorted(
        lines["day_index"].to_numpy(),
        np.arange((month_days[0] - start).days, (month_days[-1] - start).days + 2),
    )
    records = nbytes = 0
    for i, day in enumerate(month_days):
        path = out / _day_path(day)
        lines["line"][int(bounds[i]) : int(bounds[i + 1])].to_frame().write_csv(
            path, include_header=False, quote_style="never"
        )
        extra = repeats.get(day, "")
        if extra:
            with path.open("ab") as fh:
                fh.write(extra.encode())
        records += int(bounds[i + 1] - bounds[i]) + extra.count("\n")
        nbytes += path.stat().st_size
    progress.advance(len(month_days))
    return records, nbytes


def _month_lines(cfg: SimConfig, f: dict, lo: int, hi: int, look: Lookups, plan: DefectPlan) -> pl.DataFrame:
    """day_index and sync-call line of each dossier of the month, in reception order."""
    if hi <= lo:
        return pl.DataFrame(schema={"day_index": pl.Int64, "line": pl.String})
    frame = month_frame(cfg, f, lo, hi, look)
    lines = encode_lines(frame, look.prefixes)
    touched, defective = defective_rows(frame, plan, lo, hi, look)
    if len(touched):
        lines = lines.scatter(touched, encode_lines(defective, look.prefixes))
    return pl.DataFrame({"day_index": frame["day_index"], "line": lines})


class _Repeats:
    """The duplicate_sync lines: a clean dossier's record sent again in a later day's file."""

    def __init__(self, plan: DefectPlan, prefixes: pl.Series, start: date) -> None:
        self.rows = plan.rows.get("duplicate_sync", np.zeros(0, dtype=np.int64))
        self.target = plan.values.get("duplicate_sync", {}).get("target", np.zeros(0, dtype="datetime64[D]"))
        self.prefixes = prefixes
        self.start = start
        self.pending: dict[date, list[str]] = {}

    def collect(self, lines: pl.Series, lo: int) -> None:
        """Keep the record JSON of this month's duplicated dossiers until the day that repeats them."""
        sel = np.flatnonzero((self.rows >= lo) & (self.rows < lo + len(lines)))
        width = len(self.prefixes[0])  # every envelope prefix has the same length
        repeated = [line[width:-2] for line in lines.gather(self.rows[sel] - lo).to_list()]
        for record, day in zip(repeated, self.target[sel].astype(date).tolist(), strict=True):
            self.pending.setdefault(day, []).append(record)

    def take(self, day: date) -> str:
        """The repeated lines due on `day` (each ending in a newline), removed from the queue."""
        records = self.pending.pop(day, [])
        prefix = self.prefixes[(day - self.start).days] if records else ""
        return "".join(f"{prefix}{r}]}}\n" for r in records)


def _day_path(day) -> str:
    d = day if isinstance(day, date) else np.datetime64(day, "D").astype(date)
    return f"daily/{d.year}/{d.isoformat()}.jsonl"
