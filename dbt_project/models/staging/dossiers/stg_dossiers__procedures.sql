-- One row per procedure of the catalogue (thu_tuc_hanh_chinh.csv): text NFC-normalised and trimmed, the
-- handling level mapped to province/district/commune, the 0/1 columns as booleans.
with
    source as (select * from {{ source('dossiers', 'dossier_procedures') }}),

    renamed as (
        select
            nullif(trim(procedure_code), '') as procedure_code,
            nullif(trim(nfc_normalize(procedure_name)), '') as procedure_name,
            nullif(trim(field_code), '') as field_code,
            nullif(trim(nfc_normalize(field_name)), '') as field_name,
            nullif(trim(nfc_normalize(handling_level)), '') as handling_level_delivered,
            case
                trim(nfc_normalize(handling_level))
                when 'Tỉnh'
                then 'province'
                when 'Huyện'
                then 'district'
                when 'Xã'
                then 'commune'
            end as handling_level,
            service_level,
            on_national_portal as on_national_portal_code,
            is_essential_da06 as is_essential_da06_code,
            has_fee as has_fee_code,
            coalesce(procedure_name <> nfc_normalize(procedure_name), false)
            or coalesce(field_name <> nfc_normalize(field_name), false) as has_non_nfc_text,
            on_national_portal = 1 as is_on_national_portal,
            is_essential_da06 = 1 as is_essential_da06,
            legal_days,
            has_fee = 1 as has_fee,
            fee_vnd,
            _source_file,
            _source_row,
            _loaded_at
        from source
    )

select *
from renamed
