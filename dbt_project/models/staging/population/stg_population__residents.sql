-- One row per delivered snapshot row (defects included; the quality rules of checks/population judge them).
-- Text NFC-normalised and trimmed, codes mapped to their lists, the citizen IDs replaced by keyed pseudonyms.
-- What the rules need to know of a personal value is derived here, from the value as delivered, before it is
-- pseudonymised or dropped: the shape and the non-personal parts of an ID (its province prefix, the sex-and-
-- century digit, the two birth-year digits), a masked form for samples, and keyed pseudonyms of normalised
-- names for comparisons between records. No name or ID leaves this model in clear.
with
    source as (select * from {{ source('population', 'population_snapshot') }}),

    cleaned as (
        select
            source.*,
            nullif(trim(citizen_id), '') as citizen_id_trimmed,
            nullif(trim(head_citizen_id), '') as head_citizen_id_trimmed,
            nullif(trim(nfc_normalize(full_name)), '') as full_name_nfc,
            upper(trim(regexp_replace(nfc_normalize(full_name), '\s+', ' ', 'g'))) as full_name_key
        from source
    ),

    renamed as (
        select
            trim(record_id) as record_id,
            cast(
                regexp_extract(_source_file, 'snapshot/([0-9]{3})[^/]*$', 1) as {{ dbt.type_string() }}
            ) as file_district_code,

            -- personal identifiers: pseudonyms only
            pseudonym(citizen_id_trimmed) as person_pseudonym,
            pseudonym(head_citizen_id_trimmed) as head_pseudonym,
            -- one pseudonym for (ID, name, date of birth); null when one of them is missing. With the sex it
            -- tells copies of one person apart from another person given the same ID
            pseudonym(
                citizen_id_trimmed || chr(31) || full_name_nfc || chr(31) || strftime(birth_date, '%Y-%m-%d')
            ) as identity_pseudonym,
            -- the name compared across records: spacing and case ignored, and also diacritics and Unicode
            -- form
            pseudonym(nullif(full_name_key, '')) as name_key_pseudonym,
            pseudonym(nullif(strip_accents(full_name_key), '')) as name_loose_pseudonym,

            -- what the rules read of the values as delivered
            nullif(trim(full_name), '') is null as is_name_missing,
            coalesce(full_name <> nfc_normalize(full_name), false) as is_name_non_nfc,
            coalesce(full_name_nfc <> upper(full_name_nfc), false) as is_name_not_upper_case,
            coalesce(full_name <> trim(full_name) or full_name like '%  %', false) as has_name_extra_spaces,
            {{ mask_name('full_name') }} as full_name_masked,
            citizen_id_trimmed is null as is_citizen_id_missing,
            regexp_full_match(citizen_id_trimmed, '[0-9]{12}') as is_citizen_id_12_digits,
            case
                when regexp_full_match(citizen_id_trimmed, '[0-9]{12}') then left(citizen_id_trimmed, 3)
            end as citizen_id_prefix,
            case
                when regexp_full_match(citizen_id_trimmed, '[0-9]{12}') then substr(citizen_id_trimmed, 4, 1)
            end as citizen_id_sex_century_digit,
            case
                when regexp_full_match(citizen_id_trimmed, '[0-9]{12}') then substr(citizen_id_trimmed, 5, 2)
            end as citizen_id_birth_year_digits,
            {{ mask_identifier('citizen_id_trimmed') }} as citizen_id_masked,
            regexp_full_match(head_citizen_id_trimmed, '[0-9]{12}') as is_head_citizen_id_12_digits,
            {{ mask_identifier('head_citizen_id_trimmed') }} as head_citizen_id_masked,

            birth_date,
            cast(year(birth_date) as integer) as birth_year,
            nullif(trim(nfc_normalize(sex)), '') as sex_delivered,
            case trim(nfc_normalize(sex)) when 'Nam' then 'M' when 'Nữ' then 'F' end as sex,

            nullif(trim(ethnic_code), '') as ethnic_code_delivered,
            case
                when trim(ethnic_code) in (select ethnic_code from {{ ref('population_ethnic_groups') }})
                then trim(ethnic_code)
            end as ethnic_code,
            coalesce(
                trim(ethnic_code) not in (select ethnic_code from {{ ref('population_ethnic_groups') }}),
                false
            ) as is_ethnic_code_out_of_list,
            nullif(trim(nfc_normalize(religion)), '') as religion,
            nullif(trim(nfc_normalize(nationality)), '') as nationality,

            nullif(trim(nfc_normalize(province_name)), '') as province_name,
            nullif(trim(nfc_normalize(district_name)), '') as district_name,
            nullif(trim(nfc_normalize(commune_name)), '') as commune_name,
            coalesce(province_name <> nfc_normalize(province_name), false)
            or coalesce(district_name <> nfc_normalize(district_name), false)
            or coalesce(commune_name <> nfc_normalize(commune_name), false)
            or coalesce(hamlet <> nfc_normalize(hamlet), false) as has_address_non_nfc,
            nullif(trim(commune_code), '') as commune_code,
            nullif(trim(nfc_normalize(hamlet)), '') as hamlet_name,

            nullif(trim(household_id), '') as household_id,
            nullif(trim(nfc_normalize(relation_to_head)), '') as relation_delivered,
            case
                trim(nfc_normalize(relation_to_head))
                when 'Chủ hộ'
                then 'head'
                when 'Vợ'
                then 'wife'
                when 'Chồng'
                then 'husband'
                when 'Con'
                then 'child'
                when 'Con dâu'
                then 'daughter_in_law'
                when 'Cháu'
                then 'grandchild'
                when 'Bố'
                then 'father'
                when 'Mẹ'
                then 'mother'
            end as relation_to_head,

            nullif(trim(nfc_normalize(status)), '') as status_delivered,
            case
                trim(nfc_normalize(status)) when 'Còn sống' then 'living' when 'Đã chết' then 'dead'
            end as status,
            coalesce(trim(nfc_normalize(status)) = 'Còn sống', false) as is_living,
            updated_on,

            _source_file,
            _source_row,
            _loaded_at
        from cleaned
    )

select *
from renamed
