{{ config(materialized='view') }}
-- One row per dossier (the line of int_dossier_lines ranked first by the contract's duplicate rule, with the
-- number of lines that carried its code) with the rules shared by the marts: completion and the
-- on-time class, processing days, the Decision 766 inputs as booleans and one flag per defect check of
-- docs/contracts/dossiers.md that needs no catalogue (the unknown-procedure check is made in fct_dossiers).
-- A view: fct_dossiers reads it for the dossiers of its window only.
{% set stuck_before = as_of_date() ~ " + interval 1 day - interval 180 day" %}

with dossiers as (
    select * from {{ ref('int_dossier_lines') }}
    where line_rank = 1
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
        coalesce(due_at < coalesce(received_at, cast(received_file_date as timestamp)), false)
            as has_due_before_received,
        procedure_code is null or received_at is null or agency_code is null as has_missing_mandatory_field,
        coalesce(status_code = 10 and returned_at is null, false) as has_completed_without_result_date,
        coalesce(not is_applicant_id_valid, false) as has_invalid_applicant_id,
        sync_line_count > 1 as has_duplicate_sync,
        -- sống: still "in progress" with the due date and the last handling step more than 180 days before the
        -- end of the period (var as_of_date); clean open dossiers are at most about 90 days old
        coalesce(
            status_code = 4
            and due_at < {{ stuck_before }}
            and coalesce(last_progress_at, received_at) < {{ stuck_before }},
            false
        ) as is_stuck
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
