-- One row per landed sync-call line (repeated lines included: int_dossier_lines_ranked applies the contract's
-- rule). Text NFC-normalised and trimmed, statuses and channels mapped to their lists (the seeds
-- code_lists/dossier_statuses and dossier_channels), the fee list and the last handling step read from their
-- JSON, the reception day taken from the file name. Personal data: the applicant's citizen ID or tax code
-- leaves this model only as a keyed pseudonym, after its structure has been checked; name, phone and e-mail
-- are dropped (the name only feeds the NFC check).
{% set tax_code_weights = [31, 29, 23, 19, 17, 13, 7, 5, 3] %}

with
    source as (select * from {{ source('dossiers', 'dossiers') }}),

    renamed as (
        select
            nullif(trim(dossier_code), '') as dossier_code,
            cast(
                try_strptime(
                    regexp_extract(_source_file, '([0-9]{4}-[0-9]{2}-[0-9]{2})[.]jsonl$', 1), '%Y-%m-%d'
                ) as date
            ) as received_file_date,

            -- procedure and agency as written on the dossier
            nullif(trim(procedure_code), '') as procedure_code,
            nullif(trim(nfc_normalize(procedure_name)), '') as procedure_name,
            nullif(trim(field_code), '') as field_code,
            nullif(trim(nfc_normalize(field_name)), '') as field_name,
            nullif(trim(agency_code), '') as agency_code,

            -- channel and status: the delivered code, its label, whether it is in the contract's list
            channel as channel_code,
            (
                select c.channel_label from {{ ref('dossier_channels') }} as c where c.channel_code = channel
            ) as channel_label,
            coalesce(
                channel in (select channel_code from {{ ref('dossier_channels') }}), false
            ) as is_channel_in_list,
            status as status_code,
            (
                select s.status_label from {{ ref('dossier_statuses') }} as s where s.status_code = status
            ) as status_label,
            coalesce(
                status in (select status_code from {{ ref('dossier_statuses') }}), false
            ) as is_status_in_list,
            delivery_form,

            -- applicant: type, pseudonym, what the rules read of the ID, name, phone and e-mail as delivered
            -- (masked forms for samples; nothing personal in clear)
            applicant_type,
            pseudonym(nullif(trim(applicant_id), '')) as applicant_pseudonym,
            nullif(trim(applicant_id), '') is null as is_applicant_id_missing,
            regexp_full_match(trim(applicant_id), '[0-9]{12}') as is_applicant_id_12_digits,
            case
                when regexp_full_match(trim(applicant_id), '[0-9]{12}') then left(trim(applicant_id), 3)
            end as applicant_id_prefix,
            case
                when regexp_full_match(trim(applicant_id), '[0-9]{12}') then substr(trim(applicant_id), 4, 1)
            end as applicant_id_sex_century_digit,
            coalesce(
                regexp_full_match(trim(applicant_id), '08[0-9]{8}')
                and (
                    10 - (
                        {% for w in tax_code_weights -%}
                            {{ w }} * try_cast(substr(trim(applicant_id), {{ loop.index }}, 1) as integer)
                            {{- ' + ' if not loop.last }}
                        {% endfor %}
                    )
                    % 11
                )
                = try_cast(substr(trim(applicant_id), 10, 1) as integer),
                false
            ) as is_tax_code_valid,
            {{ mask_identifier("nullif(trim(applicant_id), '')") }} as applicant_id_masked,
            nullif(trim(applicant_name), '') is null as is_applicant_name_missing,
            {{ mask_name("nullif(trim(applicant_name), '')") }} as applicant_name_masked,
            coalesce(
                applicant_name <> trim(applicant_name) or applicant_name like '%  %', false
            ) as has_applicant_name_extra_spaces,
            nullif(trim(applicant_phone), '') is null as is_phone_missing,
            regexp_full_match(
                regexp_replace(trim(applicant_phone), '[ .-]', '', 'g'), '0[35789][0-9]{8}'
            ) as is_phone_valid,
            {{ mask_identifier("nullif(trim(applicant_phone), '')") }} as phone_masked,
            nullif(trim(applicant_email), '') is not null as has_email,
            regexp_full_match(trim(applicant_email), '[^@\s]+@[^@\s]+\.[^@\s]+') as is_email_valid,
            {{ mask_email("nullif(trim(applicant_email), '')") }} as email_masked,
            nullif(trim(nfc_normalize(summary)), '') as summary,
            coalesce(applicant_name <> nfc_normalize(applicant_name), false)
            or coalesce(summary <> nfc_normalize(summary), false) as has_non_nfc_text,
            coalesce(procedure_name <> nfc_normalize(procedure_name), false)
            or coalesce(field_name <> nfc_normalize(field_name), false) as has_non_nfc_catalogue_text,

            -- dates (local time) and the columns that came in the yyyy-MM-dd HH:mm:ss variant
            received_at,
            due_at,
            finished_at,
            returned_at,
            _format_variants as date_format_variants,
            _format_variants is not null as has_date_format_variant,

            -- digitisation and satisfaction
            inputs_digitised as inputs_digitised_code,
            result_digitised as result_digitised_code,
            coalesce(inputs_digitised = 1, false) as is_inputs_digitised,
            coalesce(result_digitised = 1, false) as is_result_digitised,
            satisfaction_rating,

            -- fees: one entry when the procedure has a fee and the dossier was accepted
            coalesce(json_array_length(fees) > 0, false) as has_fee,
            json_array_length(fees) as fee_entries,
            nullif(
                trim(nfc_normalize(json_extract_string(fees, '$[0].HinhThucThu'))), ''
            ) as fee_payment_method,
            coalesce(
                trim(nfc_normalize(json_extract_string(fees, '$[0].HinhThucThu'))) = 'Trực tuyến', false
            ) as is_paid_online,
            try_cast(json_extract_string(fees, '$[0].MucThu') as bigint) as fee_amount_vnd,

            -- the handling step that set the current status (the last entry of QuaTrinhXuLy)
            coalesce(
                try_strptime(json_extract_string(progress, '$[#-1].ThoiDiemXuLy'), '%Y%m%d%H%M%S'),
                try_strptime(json_extract_string(progress, '$[#-1].ThoiDiemXuLy'), '%Y-%m-%d %H:%M:%S')
            ) as last_progress_at,
            try_cast(json_extract_string(progress, '$[#-1].TrangThai') as integer) as last_progress_status,
            json_array_length(progress) as progress_entries,

            nullif(trim(sync_session), '') as sync_session,
            nullif(trim(sync_unit_code), '') as sync_unit_code,
            nullif(trim(sync_service), '') as sync_service,
            -- keyed fingerprints of the record as delivered: every field (the envelope's session aside), and
            -- the fields that make a dossier what it is (agency, procedure, applicant, reception), to tell a
            -- repeated line from a re-sync with other content and from a code reused for another dossier
            pseudonym(
                concat_ws(
                    chr(31),
                    {% for column in ['procedure_code', 'procedure_name', 'field_code', 'field_name', 'channel',
                              'applicant_name', 'applicant_type', 'applicant_id', 'applicant_phone',
                              'applicant_email', 'summary', 'received_at', 'due_at', 'finished_at', 'returned_at',
                              'status', 'agency_code', 'delivery_form', 'inputs_digitised', 'result_digitised',
                              'satisfaction_rating', 'fees', 'progress'] -%}
                        coalesce(cast({{ column }} as varchar), '') {{- ',' if not loop.last }}
                    {% endfor -%}
                )
            ) as record_fingerprint,
            pseudonym(
                concat_ws(
                    chr(31),
                    coalesce(agency_code, ''),
                    coalesce(procedure_code, ''),
                    coalesce(applicant_id, ''),
                    coalesce(cast(received_at as varchar), '')
                )
            ) as identity_fingerprint,
            _source_file,
            _source_row,
            _loaded_at
        from source
    )

select *
from renamed
