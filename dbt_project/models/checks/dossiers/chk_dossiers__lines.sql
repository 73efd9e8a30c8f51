-- One row per landed sync-call line (int_dossier_lines_ranked: every line, repeats included, ranked by the
-- contract's duplicate rule) with the facts the dossier rules read — the procedure in the catalogue, the
-- agency in the register, the first line of the code — and one column per rule of _dossiers__checks.yml.
{% set as_of = as_of_date() %}

with
    lines as (select * from {{ ref('int_dossier_lines_ranked') }}),

    procedures as (
        select *
        from {{ ref('stg_dossiers__procedures') }}
        where procedure_code is not null
        qualify row_number() over (partition by procedure_code order by _source_file, _source_row) = 1
    ),

    province_codes as (select province_code from {{ ref('stg_reference__province_codes') }}),

    agencies as (
        select *
        from {{ ref('stg_dossiers__agencies') }}
        where agency_code is not null
        qualify row_number() over (partition by agency_code order by _source_file, _source_row) = 1
    ),

    prepared as (
        select
            coalesce(
                l.dossier_code, 'row:' || l._source_file || ':' || cast(l._source_row as varchar)
            ) as record_key,
            l.*,
            {{ as_of }} as as_of,
            cast({{ as_of }} + interval 1 day as timestamp) as as_of_end,
            cast({{ as_of }} + interval 1 day - interval 180 day as timestamp) as stuck_before,
            a.commune_code,
            a.district_code,
            cast(null as varchar) as operator,

            p.procedure_code is not null as is_procedure_known,
            p.procedure_name as catalogue_procedure_name,
            p.field_code as catalogue_field_code,
            p.handling_level as catalogue_handling_level,
            p.service_level as catalogue_service_level,
            p.has_fee as catalogue_has_fee,
            p.fee_vnd as catalogue_fee_vnd,
            a.agency_code is not null as is_agency_known,
            a.agency_level,
            sender.agency_code is not null as is_sender_known,
            l.applicant_id_prefix
            in (select province_code from province_codes) as is_applicant_id_prefix_known,
            -- the applicant's ID as a whole: a citizen's 12 digits opening with a province code, a business's
            -- tax code with its check digit (the rules below judge each part)
            case
                l.applicant_type
                when 1
                then
                    coalesce(
                        l.is_applicant_id_12_digits
                        and l.applicant_id_prefix in (select province_code from province_codes),
                        false
                    )
                when 2
                then l.is_tax_code_valid
            end as is_applicant_id_valid,
            regexp_full_match(l.dossier_code, '.+-[0-9]{6}-[0-9]{4}') as is_dossier_code_well_formed,
            regexp_extract(l.dossier_code, '^(.+)-([0-9]{6})-([0-9]{4})$', 1) as dossier_code_agency,
            regexp_extract(l.dossier_code, '^(.+)-([0-9]{6})-([0-9]{4})$', 2) as dossier_code_day,
            first_value(l.record_fingerprint) over (
                partition by l.dossier_code order by l.line_rank
            ) as first_line_record_fingerprint,
            first_value(l.identity_fingerprint) over (
                partition by l.dossier_code order by l.line_rank
            ) as first_line_identity_fingerprint
        from lines as l
        left join procedures as p on p.procedure_code = l.procedure_code
        left join agencies as a on a.agency_code = l.agency_code
        left join agencies as sender on sender.agency_code = l.sync_unit_code
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
