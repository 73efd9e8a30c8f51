-- One row per delivered event row (copies included; fct_life_events flags them). Codes mapped to their lists,
-- the citizen ID replaced by its keyed pseudonym. The corrected values are dropped (a corrected name is a name);
-- a keyed fingerprint of every column but the event id carries them into the duplicate-event rule.
with source as (
    select * from {{ source('population', 'population_events') }}
),

renamed as (
    select
        trim(event_id) as event_id,
        case trim(nfc_normalize(event_type))
            when 'Khai sinh' then 'birth'
            when 'Khai tử' then 'death'
            when 'Chuyển đi' then 'move_out'
            when 'Chuyển đến' then 'move_in'
            when 'Đính chính' then 'correction'
        end as event_type,
        trim(record_id) as record_id,
        pseudonym(trim(citizen_id)) as person_pseudonym,
        effective_date as event_date,
        trim(commune_code) as commune_code,
        trim(other_commune_code) as other_commune_code,
        case trim(nfc_normalize(corrected_field))
            when 'Họ chữ đệm và tên' then 'full_name'
            when 'Ngày sinh' then 'birth_date'
            when 'Giới tính' then 'sex'
            when 'Dân tộc' then 'ethnic_code'
            when 'Tôn giáo' then 'religion'
        end as corrected_field,
        -- every delivered column but the event id: events with the same fingerprint are copies of one event
        pseudonym(concat_ws(chr(31),
            coalesce(event_type, ''), coalesce(record_id, ''), coalesce(citizen_id, ''),
            coalesce(strftime(effective_date, '%Y-%m-%d'), ''), coalesce(commune_code, ''),
            coalesce(other_commune_code, ''), coalesce(corrected_field, ''), coalesce(old_value, ''),
            coalesce(new_value, '')
        )) as event_fingerprint,

        _source_file,
        _source_row,
        _loaded_at
    from source
)

select * from renamed
