{{ config(materialized='view') }}
-- One row per dossier (the line ranked first by the contract's duplicate rule, with the number of lines that
-- carried its code, as chk_dossiers__lines checked it) with the rules shared by the marts: the Decision 766
-- progress verdict (on_time_class), completion and processing days, the Decision 766 inputs as booleans, and
-- what the quality rules say of the dossier (checks/dossiers). A view: fct_dossiers reads it for the dossiers
-- of its window only.
--
-- The progress verdict follows indicator 2.1 of Decision 766/QĐ-TTg, "tỷ lệ hồ sơ xử lý trước hạn, đúng hạn"
-- (docs/contracts/dossiers.md, "Dossier figures"): every accepted dossier is judged; one whose handling ended
-- (statuses 7-10 at NgayKetThucXuLy; status 5, a request for documents, at the time of that request) is on
-- time when it ended at or before NgayHenTra; one still open is on time while NgayHenTra is not past at the
-- end of the as-of day, and late once it is. A dossier that was not accepted (statuses 1, 3) is not judged;
-- neither is one whose status or dates a quality rule rejects (progress_excluded_by_rule names the rule).
with
    dossiers as (
        select *
        from {{ ref('chk_dossiers__lines') }}
        -- a line without a dossier code cannot be a dossier (rule dossiers.dossier_code_missing keeps it in
        -- dq.*)
        where line_rank = 1 and dossier_code is not null
    ),

    classified as (
        select
            dossiers.*,
            received_file_date as received_date,
            coalesce(status_code in (9, 10) and finished_at is not null, false) as is_completed,
            coalesce(status_code between 7 and 10 and finished_at is not null, false) as is_handling_ended,
            coalesce(status_code in (2, 4, 5, 6, 7, 8, 9, 10), false) as is_accepted,
            case
                when status_code between 7 and 10
                then finished_at
                when status_code = 5 and last_progress_status = 5
                then last_progress_at
            end as handling_ended_at,
            coalesce(channel_code = 2, false) as is_online,
            is_inputs_digitised and is_result_digitised as is_digitised,
            satisfaction_rating is not null as is_rated,
            coalesce(satisfaction_rating in (1, 2), false) as is_positive_rating,
            -- the quality rules of the dossier's line (checks/dossiers/_dossiers__checks.yml)
            coalesce(procedure_code_not_in_catalogue, false) as has_unknown_procedure,
            coalesce(due_before_received, false) as has_due_before_received,
            coalesce(procedure_code_missing, false)
            or coalesce(received_at_missing, false)
            or coalesce(agency_code_missing, false) as has_missing_mandatory_field,
            coalesce(completed_without_result_date, false) as has_completed_without_result_date,
            coalesce(citizen_applicant_id_not_12_digits, false)
            or coalesce(citizen_applicant_id_unknown_prefix, false)
            or coalesce(citizen_applicant_id_century_digit_invalid, false)
            or coalesce(business_tax_code_invalid, false) as has_invalid_applicant_id,
            sync_line_count > 1 as has_duplicate_sync,
            coalesce(stuck_in_open_state, false) as is_stuck,
            -- the first rule (in this order) that makes the progress verdict impossible: an unknown status, a
            -- missing or contradicted due date, an ended dossier without an end date or ended before it was
            -- received
            case
                when status_code in (1, 3)
                then null
                when coalesce(status_missing, false)
                then 'dossiers.status_missing'
                when coalesce(status_out_of_list, false)
                then 'dossiers.status_out_of_list'
                when coalesce(due_date_missing, false)
                then 'dossiers.due_date_missing'
                when coalesce(due_before_received, false)
                then 'dossiers.due_before_received'
                when coalesce(handling_ended_without_end_date, false)
                then 'dossiers.handling_ended_without_end_date'
                when coalesce(finished_before_received, false)
                then 'dossiers.finished_before_received'
            end as progress_excluded_by_rule,
            {{ quality_rules_failed('chk_dossiers__lines', 'dossiers') }} as quality_rules_failed
        from dossiers
    ),

    final as (
        select
            classified.*,
            case
                when status_code in (1, 3)
                then 'not_accepted'
                when progress_excluded_by_rule is not null
                then 'not_judged'
                when handling_ended_at is null and due_at >= as_of_end
                then 'open_within_due'
                when handling_ended_at is null
                then 'open_overdue'
                when handling_ended_at > due_at
                then 'late'
                when cast(handling_ended_at as date) < cast(due_at as date)
                then 'early'
                else 'on_time'
            end as on_time_class,
            case
                when finished_at is not null
                then
                    date_diff(
                        'day', coalesce(cast(received_at as date), received_date), cast(finished_at as date)
                    )
            end as processing_days
        from classified
    )

select
    final.*,
    case
        when on_time_class in ('early', 'on_time', 'open_within_due')
        then true
        when on_time_class in ('late', 'open_overdue')
        then false
    end as is_on_time
from final
