-- One row per site-register row: text NFC-normalised and trimmed, empty permit fields as null.
with
    source as (select * from {{ source('bts', 'bts_sites') }}),

    renamed as (
        select
            nullif(trim(site_id), '') as site_id,
            nullif(trim(nfc_normalize(address)), '') as address,
            coalesce(address <> nfc_normalize(address), false) as is_address_non_nfc,
            nullif(trim(commune_code), '') as commune_code,
            lon,
            lat,
            nullif(trim(nfc_normalize(mast_type)), '') as mast_type,
            mast_height_m,
            nullif(trim(permit_no), '') as permit_no,
            permit_date,
            inspection_date,
            nullif(trim(nfc_normalize(operators)), '') as operators,
            _source_file,
            _source_row,
            _loaded_at
        from source
    )

select *
from renamed
