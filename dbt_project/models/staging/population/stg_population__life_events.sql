-- One row per delivered event row (copies included; the quality rules of checks/population judge them). Codes
-- mapped to their lists, the citizen ID replaced by its keyed pseudonym. A corrected value can be a name: it
-- leaves this model only as a comparable key (a keyed pseudonym for a name, the normalised text otherwise),
-- and every delivered column but the event id enters the duplicate-event rule through keyed fingerprints.
with
    source as (select * from {{ source('population', 'population_events') }}),

    cleaned as (
        select
            source.*,
            nullif(trim(nfc_normalize(event_type)), '') as event_type_nfc,
            nullif(trim(nfc_normalize(corrected_field)), '') as corrected_field_nfc,
            nullif(trim(citizen_id), '') as citizen_id_trimmed
        from source
    ),

    renamed as (
        select
            nullif(trim(event_id), '') as event_id,
            cast(
                try_strptime(
                    regexp_extract(_source_file, '([0-9]{4}-[0-9]{2}-[0-9]{2})[^/]*$', 1), '%Y-%m-%d'
                ) as date
            ) as file_date,
            event_type_nfc as event_type_delivered,
            case
                event_type_nfc
                when 'Khai sinh'
                then 'birth'
                when 'Khai tử'
                then 'death'
                when 'Chuyển đi'
                then 'move_out'
                when 'Chuyển đến'
                then 'move_in'
                when 'Đính chính'
                then 'correction'
            end as event_type,
            nullif(trim(record_id), '') as record_id,
            pseudonym(citizen_id_trimmed) as person_pseudonym,
            citizen_id_trimmed is null as is_citizen_id_missing,
            regexp_full_match(citizen_id_trimmed, '[0-9]{12}') as is_citizen_id_12_digits,
            {{ mask_identifier('citizen_id_trimmed') }} as citizen_id_masked,
            effective_date as event_date,
            nullif(trim(commune_code), '') as commune_code,
            nullif(trim(other_commune_code), '') as other_commune_code,
            corrected_field_nfc as corrected_field_delivered,
            case
                corrected_field_nfc
                when 'Họ chữ đệm và tên'
                then 'full_name'
                when 'Ngày sinh'
                then 'birth_date'
                when 'Giới tính'
                then 'sex'
                when 'Dân tộc'
                then 'ethnic_code'
                when 'Tôn giáo'
                then 'religion'
            end as corrected_field,
            -- the corrected values, comparable with the snapshot's (stg_population__residents): a name as the
            -- pseudonym of its upper-case, single-spaced NFC form; a date as yyyy-mm-dd; other values as NFC
            -- text
            {% for side in ['old', 'new'] %}
                nullif(trim({{ side }}_value), '') is not null as has_{{ side }}_value,
                case
                    when corrected_field_nfc = 'Họ chữ đệm và tên'
                    then
                        pseudonym(
                            nullif(
                                upper(trim(regexp_replace(nfc_normalize({{ side }}_value), '\s+', ' ', 'g'))),
                                ''
                            )
                        )
                    when corrected_field_nfc = 'Ngày sinh'
                    then
                        strftime(
                            coalesce(
                                try_strptime(trim({{ side }}_value), '%d/%m/%Y'),
                                try_strptime(trim({{ side }}_value), '%Y-%m-%d')
                            ),
                            '%Y-%m-%d'
                        )
                    else nullif(trim(nfc_normalize({{ side }}_value)), '')
                end as {{ side }}_value_key,
            {% endfor %}
            -- every delivered column but the event id: events with the same fingerprint are copies of one
            -- event; the loose fingerprint also ignores case, spacing and the Unicode form of the text
            pseudonym(
                concat_ws(
                    chr(31),
                    coalesce(event_type, ''),
                    coalesce(record_id, ''),
                    coalesce(citizen_id, ''),
                    coalesce(strftime(effective_date, '%Y-%m-%d'), ''),
                    coalesce(commune_code, ''),
                    coalesce(other_commune_code, ''),
                    coalesce(corrected_field, ''),
                    coalesce(old_value, ''),
                    coalesce(new_value, '')
                )
            ) as event_fingerprint,
            pseudonym(
                concat_ws(
                    chr(31),
                    {% for column in ['event_type', 'record_id', 'citizen_id', 'commune_code', 'other_commune_code',
                              'corrected_field', 'old_value', 'new_value'] -%}
                        coalesce(
                            upper(trim(regexp_replace(nfc_normalize({{ column }}), '\s+', ' ', 'g'))), ''
                        ),
                    {% endfor -%}
                    coalesce(strftime(effective_date, '%Y-%m-%d'), '')
                )
            ) as event_fingerprint_loose,

            _source_file,
            _source_row,
            _loaded_at
        from cleaned
    )

select *
from renamed
