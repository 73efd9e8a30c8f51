-- One row per delivered snapshot row (defects included; the intermediate layer applies the contract's rules).
-- Text NFC-normalised and trimmed, codes mapped to their lists, the citizen IDs replaced by keyed pseudonyms.
-- The ID structure is judged here, on the ID as delivered, before it is pseudonymised; the name is only used
-- for the flags and the identity pseudonym below and is not passed on.
with source as (
    select * from {{ source('population', 'population_snapshot') }}
),

renamed as (
    select
        trim(record_id) as record_id,

        -- personal identifiers: pseudonyms only
        pseudonym(trim(citizen_id)) as person_pseudonym,
        pseudonym(trim(head_citizen_id)) as head_pseudonym,
        -- one pseudonym for (ID, name, date of birth); null when one of them is missing. With the sex it tells
        -- copies of one person apart from another person given the same ID (contract rules 6 and 7)
        pseudonym(
            trim(citizen_id) || chr(31) || trim(nfc_normalize(full_name)) || chr(31)
            || strftime(birth_date, '%Y-%m-%d')
        ) as identity_pseudonym,

        -- flags computed from the values as delivered
        nullif(trim(full_name), '') is null as is_name_missing,
        coalesce(full_name <> nfc_normalize(full_name), false) as is_name_non_nfc,
        nullif(trim(citizen_id), '') is null as is_citizen_id_missing,
        case
            when nullif(trim(citizen_id), '') is null or birth_date is null
                or coalesce(trim(nfc_normalize(sex)), '') not in ('Nam', 'Nữ') then null
            else regexp_full_match(trim(citizen_id), '[0-9]{12}')
                and substr(trim(citizen_id), 1, 3) in {{ province_prefixes() }}
                and substr(trim(citizen_id), 4, 1) = cast(
                    2 * (year(birth_date) // 100 - 19)
                    + case when trim(nfc_normalize(sex)) = 'Nữ' then 1 else 0 end as varchar)
                and substr(trim(citizen_id), 5, 2) = lpad(cast(year(birth_date) % 100 as varchar), 2, '0')
        end as is_citizen_id_well_formed,

        birth_date,
        cast(year(birth_date) as integer) as birth_year,
        case trim(nfc_normalize(sex)) when 'Nam' then 'M' when 'Nữ' then 'F' end as sex,

        trim(ethnic_code) as ethnic_code_delivered,
        case when trim(ethnic_code) in {{ population_ethnic_codes() }} then trim(ethnic_code) end as ethnic_code,
        coalesce(trim(ethnic_code) not in {{ population_ethnic_codes() }}, false) as is_ethnic_code_out_of_list,
        trim(nfc_normalize(religion)) as religion,
        trim(nfc_normalize(nationality)) as nationality,

        trim(nfc_normalize(province_name)) as province_name,
        trim(nfc_normalize(district_name)) as district_name,
        trim(nfc_normalize(commune_name)) as commune_name,
        trim(commune_code) as commune_code,
        trim(nfc_normalize(hamlet)) as hamlet_name,

        trim(household_id) as household_id,
        case trim(nfc_normalize(relation_to_head))
            when 'Chủ hộ' then 'head'
            when 'Vợ' then 'wife'
            when 'Chồng' then 'husband'
            when 'Con' then 'child'
            when 'Con dâu' then 'daughter_in_law'
            when 'Cháu' then 'grandchild'
            when 'Bố' then 'father'
            when 'Mẹ' then 'mother'
        end as relation_to_head,

        case trim(nfc_normalize(status)) when 'Còn sống' then 'living' when 'Đã chết' then 'dead' end as status,
        trim(nfc_normalize(status)) = 'Còn sống' as is_living,
        updated_on,

        _source_file,
        _source_row,
        _loaded_at
    from source
)

select * from renamed
