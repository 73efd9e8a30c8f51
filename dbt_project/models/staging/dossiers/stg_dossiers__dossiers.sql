-- One row per landed sync-call line (repeated lines included: int_dossier_lines applies the contract's
-- rule). Text NFC-normalised and trimmed, statuses and channels mapped to their lists, the fee list and the last
-- handling step read from their JSON, the reception day taken from the file name. Personal data: the applicant's
-- citizen ID or tax code leaves this model only as a keyed pseudonym, after its structure has been checked;
-- name, phone and e-mail are dropped (the name only feeds the NFC check).
{% set tax_code_weights = [31, 29, 23, 19, 17, 13, 7, 5, 3] %}

with source as (
    select * from {{ source('dossiers', 'dossiers') }}
),

renamed as (
    select
        nullif(trim(dossier_code), '') as dossier_code,
        cast(try_strptime(
            regexp_extract(_source_file, '([0-9]{4}-[0-9]{2}-[0-9]{2})[.]jsonl$', 1), '%Y-%m-%d'
        ) as date) as received_file_date,

        -- procedure and agency as written on the dossier
        nullif(trim(procedure_code), '') as procedure_code,
        nullif(trim(nfc_normalize(procedure_name)), '') as procedure_name,
        nullif(trim(field_code), '') as field_code,
        nullif(trim(nfc_normalize(field_name)), '') as field_name,
        nullif(trim(agency_code), '') as agency_code,

        -- channel and status: the delivered code, its label, whether it is in the contract's list
        channel as channel_code,
        {{ public_services_code_label('channel', public_services_channels()) }} as channel_label,
        coalesce(channel between 1 and 3, false) as is_channel_in_list,
        status as status_code,
        {{ public_services_code_label('status', public_services_statuses()) }} as status_label,
        coalesce(status between 1 and 10, false) as is_status_in_list,
        delivery_form,

        -- applicant: type, pseudonym, structure of the ID checked on the delivered value
        applicant_type,
        pseudonym(nullif(trim(applicant_id), '')) as applicant_pseudonym,
        case
            when applicant_type = 1 then coalesce(
                regexp_full_match(trim(applicant_id), '[0-9]{12}')
                and left(trim(applicant_id), 3) in {{ province_prefixes() }},
                false
            )
            when applicant_type = 2 then coalesce(
                regexp_full_match(trim(applicant_id), '08[0-9]{8}')
                and (10 - ({% for w in tax_code_weights -%}
                    {{ w }} * cast(substr(trim(applicant_id), {{ loop.index }}, 1) as integer)
                    {{- ' + ' if not loop.last }}{% endfor %}) % 11)
                    = cast(substr(trim(applicant_id), 10, 1) as integer),
                false
            )
        end as is_applicant_id_valid,
        nullif(trim(nfc_normalize(summary)), '') as summary,
        coalesce(applicant_name <> nfc_normalize(applicant_name), false)
            or coalesce(summary <> nfc_normalize(summary), false) as has_non_nfc_text,

        -- dates (local time) and the columns that came in the yyyy-MM-dd HH:mm:ss variant
        received_at,
        due_at,
        finished_at,
        returned_at,
        _format_variants as date_format_variants,
        _format_variants is not null as has_date_format_variant,

        -- digitisation and satisfaction
        coalesce(inputs_digitised = 1, false) as is_inputs_digitised,
        coalesce(result_digitised = 1, false) as is_result_digitised,
        satisfaction_rating,

        -- fees: one entry when the procedure has a fee and the dossier was accepted
        coalesce(json_array_length(fees) > 0, false) as has_fee,
        coalesce(trim(nfc_normalize(json_extract_string(fees, '$[0].HinhThucThu'))) = 'Trực tuyến', false)
            as is_paid_online,
        try_cast(json_extract_string(fees, '$[0].MucThu') as bigint) as fee_amount_vnd,

        -- the handling step that set the current status (the last entry of QuaTrinhXuLy)
        coalesce(
            try_strptime(json_extract_string(progress, '$[#-1].ThoiDiemXuLy'), '%Y%m%d%H%M%S'),
            try_strptime(json_extract_string(progress, '$[#-1].ThoiDiemXuLy'), '%Y-%m-%d %H:%M:%S')
        ) as last_progress_at,
        try_cast(json_extract_string(progress, '$[#-1].TrangThai') as integer) as last_progress_status,

        nullif(trim(sync_session), '') as sync_session,
        _source_file,
        _source_row,
        _loaded_at
    from source
)

select * from renamed
