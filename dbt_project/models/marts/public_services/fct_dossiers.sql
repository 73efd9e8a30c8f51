{{
    config(
        materialized='incremental',
        unique_key='dossier_code',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_dossiers_without_lines() }}",
        tags=['daily']
    )
}}
-- depends_on: {{ ref('int_dossier_lines_ranked') }}
-- depends_on: {{ ref('chk_dossiers__lines') }}
-- One row per dossier (MaHoSo), de-duplicated by the contract's rule (int_dossier_lines_ranked ranks the
-- lines of a code). Incremental: a run rebuilds every dossier with a line in the window's files or whose
-- lines chk_dossiers__lines checked in the same dbt run (the lines int_dossier_lines_ranked ranked in it: new
-- ones and those a repeated or a missing line has touched; every line, when a catalogue or register row or a
-- rule changed), and its pre-hook deletes the window's dossiers that have no line left. A full build loads
-- every dossier.
with
    dossiers as (
        select *
        from {{ ref('int_dossiers_classified') }}
        {% if is_incremental() %}
            where
                dossier_code in (
                    select dossier_code
                    from {{ ref('chk_dossiers__lines') }}
                    where
                        {{ in_daily_window('received_file_date') }}
                        or _checked_by_invocation = '{{ invocation_id }}'
                )
        {% endif %}
    ),

    procedures as (select * from {{ ref('dim_procedure') }} where procedure_key <> -1),

    agencies as (select * from {{ ref('dim_agency') }} where agency_key <> -1),

    statuses as (select * from {{ ref('dim_dossier_status') }} where status_key <> -1),

    channels as (select * from {{ ref('dim_channel') }} where channel_key <> -1),

    -- the district rows of the legacy geography (valid until the 2025-07-01 reorganisation)
    districts as (select * from {{ ref('dim_admin_unit') }} where unit_level = 'district'),

    dates as (select * from {{ ref('dim_date') }}),

    final as (
        select
            d.dossier_code,
            d.received_date,
            coalesce(received_day.date_key, -1) as received_date_key,
            coalesce(due_day.date_key, -1) as due_date_key,
            coalesce(finished_day.date_key, -1) as finished_date_key,
            coalesce(returned_day.date_key, -1) as returned_date_key,
            d.received_at,
            d.due_at,
            d.finished_at,
            d.returned_at,
            coalesce(p.procedure_key, -1) as procedure_key,
            coalesce(a.agency_key, -1) as agency_key,
            coalesce(c.channel_key, -1) as channel_key,
            coalesce(s.status_key, -1) as status_key,
            -- the district of the handling agency, in the version valid on the reception day; -1 for
            -- provincial departments, an unknown agency, or a day after the district level was abolished
            coalesce(u.admin_unit_key, -1) as admin_unit_key,
            d.applicant_pseudonym,
            d.applicant_type,
            d.is_applicant_id_valid,
            d.is_online,
            d.is_inputs_digitised,
            d.is_result_digitised,
            d.is_digitised,
            d.has_fee,
            d.is_paid_online as paid_online,
            d.satisfaction_rating,
            d.is_rated,
            d.is_positive_rating,
            d.is_completed,
            d.is_handling_ended,
            d.is_accepted,
            d.handling_ended_at,
            d.on_time_class,
            d.is_on_time,
            d.progress_excluded_by_rule,
            cast(d.processing_days as integer) as processing_days,
            coalesce(p.is_on_national_portal, false) as is_national_portal_procedure,
            d.has_unknown_procedure,
            d.has_due_before_received,
            coalesce(d.status_out_of_list, false) as has_status_out_of_list,
            coalesce(d.channel_out_of_list, false) as has_channel_out_of_list,
            d.has_missing_mandatory_field,
            coalesce(d.mixed_date_format, false) as has_date_format_variant,
            d.is_stuck,
            d.has_invalid_applicant_id,
            d.has_completed_without_result_date,
            coalesce(d.non_nfc_text, false) as has_non_nfc_text,
            d.has_duplicate_sync,
            cast(d.sync_line_count as integer) as sync_line_count,
            d.quality_rules_failed,
            d._source_file as source_file,
            d._source_row as source_row
        from dossiers as d
        left join procedures as p on p.procedure_code = d.procedure_code
        left join agencies as a on a.agency_code = d.agency_code
        left join statuses as s on s.status_code = d.status_code
        left join channels as c on c.channel_code = d.channel_code
        left join
            districts as u
            on u.unit_code = a.district_code
            and {{ admin_unit_valid_on('u', "d.received_date") }}
        left join dates as received_day on received_day.date_day = d.received_date
        left join dates as due_day on due_day.date_day = cast(d.due_at as date)
        left join dates as finished_day on finished_day.date_day = cast(d.finished_at as date)
        left join dates as returned_day on returned_day.date_day = cast(d.returned_at as date)
    )

select *
from final
