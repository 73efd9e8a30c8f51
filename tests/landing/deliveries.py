"""Valid deliveries of each feed, small and written by hand, to put beside a bad one in the landing tests."""

import json

from kho06.landing.feeds.dossiers import DOSSIERS
from kho06.landing.feeds.population import EVENTS, SNAPSHOT

BOM = "\ufeff"
EVENT_HEADER = ",".join(EVENTS.source_names)
SNAPSHOT_HEADER = ",".join(SNAPSHOT.source_names)


def event_rows(day: str, n: int, first: int = 1) -> list[str]:
    ymd, dmy = day.replace("-", ""), "/".join(reversed(day.split("-")))
    return [
        f"BD-{ymd}-{i:05d},Khai sinh,DC01-288-{i:07d},030203000{i:03d},{dmy},10507,,,,"
        for i in range(first, first + n)
    ]


def event_csv(day: str, n: int, newline: str = "\n") -> bytes:
    """A day of population events (UTF-8 with BOM, header row)."""
    return (BOM + newline.join([EVENT_HEADER, *event_rows(day, n)]) + newline).encode()


def event_path(day: str) -> str:
    return f"population/events/{day[:4]}/{day}.csv"


SNAPSHOT_PEOPLE = [
    ("DC01-288-0000001", "Nguyễn Thị Hoa", "12/03/1985", "Nữ", "030185004321", "1"),
    ("DC01-288-0000002", "Trần Văn Bình", "02/11/1979", "Nam", "030079001234", "1"),
    ("DC01-288-0000003", "Lê Minh Châu", "25/07/2001", "Nữ", "030301007777", "1"),
]


def snapshot_rows(people=SNAPSHOT_PEOPLE) -> list[str]:
    return [
        f"{rid},{name},{born},{sex},{cid},{eth},Không,Việt Nam,Hải Dương,Thành phố Hải Dương,"
        f"Phường Cẩm Thượng,10507,Khu 1,Chủ hộ,{cid},HO-288-{i:06d},Còn sống,31/12/2023"
        for i, (rid, name, born, sex, cid, eth) in enumerate(people, start=1)
    ]


def snapshot_csv(rows: list[str] | None = None, header: bool = True) -> bytes:
    lines = ([SNAPSHOT_HEADER] if header else []) + (snapshot_rows() if rows is None else rows)
    return (BOM + "\n".join(lines) + "\n").encode()


def dossier_record(code: str, day: str) -> dict:
    """A dossier with every field of the contract, in its order (the shape the fast path lands)."""
    stamp = day.replace("-", "")
    values = {
        "MaHoSo": code,
        "MaTTHC": "1.005129",
        "TenTTHC": "Đăng ký khai sinh",
        "MaLinhVuc": "TP-01",
        "TenLinhVuc": "Hộ tịch",
        "KenhThucHien": 2,
        "ChuHoSo": "Phạm Thu Trang",
        "LoaiDoiTuong": 1,
        "MaDoiTuong": "030190004455",
        "SoDienThoai": "0912345678",
        "Email": None,
        "TrichYeuHoSo": "Đề nghị đăng ký khai sinh",
        "NgayTiepNhan": f"{stamp}091500",
        "NgayHenTra": f"{stamp}170000",
        "NgayKetThucXuLy": None,
        "NgayTra": None,
        "TrangThaiHoSo": 2,
        "DonViXuLy": "000.04.38.H23",
        "HinhThuc": 0,
        "SoHoaHoSo": 1,
        "SoHoaKetQua": 0,
        "DanhGiaHaiLong": None,
        "DanhSachLePhi": [],
        "QuaTrinhXuLy": [{"TrangThai": 2}],
    }
    assert list(values) == [c.source for c in DOSSIERS.columns if not c.source.startswith("@")]
    return values


def dossier_line(code: str, day: str, record: dict | None = None, **envelope) -> str:
    call = {"session": "s" * 32, "madonvi": "000.00.00.H23", "service": "DongBoHoSoMC", "isUpdating": False}
    call |= envelope
    call["data"] = [record if record is not None else dossier_record(code, day)]
    return json.dumps(call, ensure_ascii=False, separators=(",", ":"))


def dossier_day(day: str, n: int, first: int = 1) -> bytes:
    """A day of dossier sync calls (JSON Lines)."""
    return "".join(dossier_line(f"000.04.38.H23-{day[2:4]}{day[5:7]}{day[8:]}-{i:04d}", day) + "\n"
                   for i in range(first, first + n)).encode()  # fmt: skip


def dossier_path(day: str) -> str:
    return f"dossiers/daily/{day[:4]}/{day}.jsonl"
