-- One row per agency of the register (don_vi_xu_ly.csv): text NFC-normalised and trimmed, the level mapped to
-- province/district/commune, empty district and commune fields as null.
with
    source as (select * from {{ source('dossiers', 'dossier_agencies') }}),

    renamed as (
        select
            nullif(trim(agency_code), '') as agency_code,
            nullif(trim(nfc_normalize(agency_name)), '') as agency_name,
            nullif(trim(nfc_normalize(agency_level)), '') as agency_level_delivered,
            coalesce(agency_name <> nfc_normalize(agency_name), false)
            or coalesce(district_name <> nfc_normalize(district_name), false)
            or coalesce(commune_name <> nfc_normalize(commune_name), false) as has_non_nfc_text,
            case
                trim(nfc_normalize(agency_level))
                when 'Tỉnh'
                then 'province'
                when 'Huyện'
                then 'district'
                when 'Xã'
                then 'commune'
            end as agency_level,
            nullif(trim(district_code), '') as district_code,
            nullif(trim(nfc_normalize(district_name)), '') as district_name,
            nullif(trim(commune_code), '') as commune_code,
            nullif(trim(nfc_normalize(commune_name)), '') as commune_name,
            _source_file,
            _source_row,
            _loaded_at
        from source
    )

select *
from renamed
