"""Landing contracts of the dossiers feed: the procedure catalogue, the agency register and one JSON Lines file of
national-portal sync calls (DongBoHoSoMC) per day (docs/contracts/dossiers.md)."""

from kho06.landing.contract import Column as C
from kho06.landing.contract import TableContract

# the portal's format first; the newer "yyyy-MM-dd HH:mm:ss" variant lands flagged in _format_variants
STAMP = ("%Y%m%d%H%M%S", "%Y-%m-%d %H:%M:%S")

PROCEDURES = TableContract(
    feed="dossiers",
    table="dossier_procedures",
    fmt="csv",
    pattern="dossiers/catalogue/thu_tuc_hanh_chinh.csv",
    expects_bom=True,
    description="The province's catalogue of administrative procedures (TTHC), one row per procedure.",
    columns=(
        C("MaTTHC", "procedure_code"),
        C("TenTTHC", "procedure_name"),
        C("MaLinhVuc", "field_code"),
        C("TenLinhVuc", "field_name"),
        C("CapThucHien", "handling_level"),
        C("MucDo", "service_level", "INTEGER"),
        C("CongDVCQG", "on_national_portal", "INTEGER"),
        C("ThietYeuDA06", "is_essential_da06", "INTEGER"),
        C("ThoiHanGiaiQuyet", "legal_days", "INTEGER"),
        C("CoPhiLePhi", "has_fee", "INTEGER"),
        C("PhiLePhi", "fee_vnd", "BIGINT"),
    ),
)

AGENCIES = TableContract(
    feed="dossiers",
    table="dossier_agencies",
    fmt="csv",
    pattern="dossiers/catalogue/don_vi_xu_ly.csv",
    expects_bom=True,
    description="The agencies that handle dossiers, with the district and commune they serve.",
    columns=(
        C("MaDonVi", "agency_code"),
        C("TenDonVi", "agency_name"),
        C("CapDonVi", "agency_level"),
        C("MaHuyen", "district_code"),
        C("TenHuyen", "district_name"),
        C("MaXa", "commune_code"),
        C("TenXa", "commune_name"),
    ),
)

DOSSIERS = TableContract(
    feed="dossiers",
    table="dossiers",
    fmt="jsonl",
    pattern="dossiers/daily/*/*.jsonl",
    daily=True,
    json_record_path="data",
    description="Dossiers as synced to the national portal, one line (one dossier) per sync call, a file per day.",
    columns=(
        C("@session", "sync_session"),
        C("@madonvi", "sync_unit_code"),
        C("@service", "sync_service"),
        C("@isUpdating", "sync_is_updating"),
        C("MaHoSo", "dossier_code"),
        C("MaTTHC", "procedure_code"),
        C("TenTTHC", "procedure_name"),
        C("MaLinhVuc", "field_code"),
        C("TenLinhVuc", "field_name"),
        C("KenhThucHien", "channel", "INTEGER"),
        C("ChuHoSo", "applicant_name", personal=True),
        C("LoaiDoiTuong", "applicant_type", "INTEGER"),
        C("MaDoiTuong", "applicant_id", personal=True),
        C("SoDienThoai", "applicant_phone", personal=True),
        C("Email", "applicant_email", personal=True),
        C("TrichYeuHoSo", "summary"),
        C("NgayTiepNhan", "received_at", "TIMESTAMP", STAMP),
        C("NgayHenTra", "due_at", "TIMESTAMP", STAMP),
        C("NgayKetThucXuLy", "finished_at", "TIMESTAMP", STAMP),
        C("NgayTra", "returned_at", "TIMESTAMP", STAMP),
        C("TrangThaiHoSo", "status", "INTEGER"),
        C("DonViXuLy", "agency_code"),
        C("HinhThuc", "delivery_form", "INTEGER"),
        C("SoHoaHoSo", "inputs_digitised", "INTEGER"),
        C("SoHoaKetQua", "result_digitised", "INTEGER"),
        C("DanhGiaHaiLong", "satisfaction_rating", "INTEGER"),
        C("DanhSachLePhi", "fees", "JSON"),
        C("QuaTrinhXuLy", "progress", "JSON"),
    ),
)
