{{
    config(
        materialized='incremental',
        unique_key=['_source_file', '_source_row'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_window_lines_checked() }}",
    )
}}
-- One row per landed sync-call line (int_dossier_lines_ranked: every line, repeats included, ranked by the
-- contract's duplicate rule) with the facts the dossier rules read — the procedure in the catalogue, the
-- agency in the register, the first line of the code — and one column per rule of _dossiers__checks.yml.
-- Incremental, after int_dossier_lines_ranked: a run checks again the lines ranked in the same dbt run
-- (the window's lines and every line of their codes: a line's facts depend on its code's lines only) and
-- the window's lines; its pre-hook first deletes the window's lines (a re-delivered file may hold fewer).
-- `_checked_by_invocation` names the dbt run that last checked a line (fct_dossiers rebuilds the dossiers of
-- the lines its own run checked). The run checks every line again, as a full build does, when the stored
-- lines were checked against other catalogue or register rows or another as-of date
-- (dossier_lines_checked_otherwise), or under other rules, or lack a column (check_table_is_current: a rule
-- edited or added since, or a table built before these columns).
{% set as_of = as_of_date() %}
{% set check_all = true %}
{% if execute and is_incremental() and check_table_is_current(['_checked_by_invocation']) %}
    {% set otherwise = run_query(dossier_lines_checked_otherwise(as_of)) %}
    {% set check_all = otherwise.columns[0].values()[0] > 0 %}
{% endif %}

with
    lines as (
        select *
        from {{ ref('int_dossier_lines_ranked') }}
        {% if not check_all %}
            where
                _ranked_by_invocation = '{{ invocation_id }}' or ({{ in_daily_window('received_file_date') }})
        {% endif %}
    ),

    {{ dossier_line_references() }},

    -- the fingerprints of the first line of each code, joined to the code's lines: a window operator over
    -- the lines would carry all their columns
    first_lines as (
        select dossier_code, record_fingerprint, identity_fingerprint
        from {{ ref('int_dossier_lines_ranked') }}
        where
            line_rank = 1 and dossier_code is not null
            {% if not check_all %} and dossier_code in (select dossier_code from lines) {% endif %}
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
            '{{ invocation_id }}' as _checked_by_invocation,
            '{{ quality_rules_checksum() }}' as _rules_checksum,

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
            -- a line without a code is the first line of its own record
            case
                when l.dossier_code is null then l.record_fingerprint else f.record_fingerprint
            end as first_line_record_fingerprint,
            case
                when l.dossier_code is null then l.identity_fingerprint else f.identity_fingerprint
            end as first_line_identity_fingerprint
        from lines as l
        left join first_lines as f on f.dossier_code = l.dossier_code
        left join procedures as p on p.procedure_code = l.procedure_code
        left join agencies as a on a.agency_code = l.agency_code
        left join agencies as sender on sender.agency_code = l.sync_unit_code
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
