{{ config(materialized='view') }}
-- One row per dossier (the line ranked first by the contract's duplicate rule, with the number of lines that
-- carried its code, as chk_dossiers__lines checked it) with the rules shared by the marts: completion and the
-- on-time class, processing days, the Decision 766 inputs as booleans, and what the quality rules say of the
-- dossier (checks/dossiers). A view: fct_dossiers reads it for the dossiers of its window only.
with dossiers as (
    select * from {{ ref('chk_dossiers__lines') }}
    -- a line without a dossier code cannot be a dossier (rule dossiers.dossier_code_missing keeps it in dq.*)
    where line_rank = 1 and dossier_code is not null
),

classified as (
    select
        dossiers.*,
        received_file_date as received_date,
        coalesce(status_code in (9, 10) and finished_at is not null, false) as is_completed,
        coalesce(status_code between 7 and 10 and finished_at is not null, false) as is_handling_ended,
        coalesce(channel_code = 2, false) as is_online,
        is_inputs_digitised and is_result_digitised as is_digitised,
        satisfaction_rating is not null as is_rated,
        coalesce(satisfaction_rating in (1, 2), false) as is_positive_rating,
        -- the quality rules of the dossier's line (checks/dossiers/_dossiers__checks.yml)
        coalesce(procedure_code_not_in_catalogue, false) as has_unknown_procedure,
        coalesce(due_before_received, false) as has_due_before_received,
        coalesce(procedure_code_missing, false) or coalesce(received_at_missing, false)
            or coalesce(agency_code_missing, false) as has_missing_mandatory_field,
        coalesce(completed_without_result_date, false) as has_completed_without_result_date,
        coalesce(citizen_applicant_id_not_12_digits, false) or coalesce(citizen_applicant_id_unknown_prefix, false)
            or coalesce(citizen_applicant_id_century_digit_invalid, false)
            or coalesce(business_tax_code_invalid, false) as has_invalid_applicant_id,
        sync_line_count > 1 as has_duplicate_sync,
        coalesce(stuck_in_open_state, false) as is_stuck,
        {{ quality_rules_failed('chk_dossiers__lines', 'dossiers') }} as quality_rules_failed
    from dossiers
),

final as (
    select
        classified.*,
        -- completed = statuses 9, 10 with finished_at; on time when finished_at <= due_at, early when it ends
        -- before the due day; everything else has no verdict yet ('open')
        case
            when not is_completed or due_at is null then 'open'
            when finished_at > due_at then 'late'
            when cast(finished_at as date) < cast(due_at as date) then 'early'
            else 'on_time'
        end as on_time_class,
        case
            when finished_at is not null
                then date_diff('day', coalesce(cast(received_at as date), received_date), cast(finished_at as date))
        end as processing_days
    from classified
)

select * from final
