{{
    config(
        materialized='incremental',
        unique_key=['_source_file', '_source_row'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_window_days('received_file_date') }}",
        tags=['daily']
    )
}}
-- One row per landed sync-call line (stg_dossiers__dossiers, materialised once), ranked among the lines of its
-- code by the contract's duplicate rule (docs/contracts/dossiers.md): the line of the earliest file, then the
-- first line of that file, has line_rank 1. Incremental on the file day: a run stages only the lines of
-- the run's window and ranks them again with the lines already here that share their codes, so a
-- repeat arriving days later updates its dossier's line count while the earlier line keeps rank 1.

{% set stg = ref('stg_dossiers__dossiers') %}

with
{% if is_incremental() %}
window_lines as (
    select * from {{ stg }}
    where {{ dossier_files_in_window() }}
),

lines as (
    select * from window_lines
    union all
    -- the lines of earlier files that carry a code of the window (the pre-hook removed the window's own lines)
    select * exclude (line_rank, sync_line_count)
    from {{ this }}
    where dossier_code in (select dossier_code from window_lines)
),
{% else %}
lines as (
    select * from {{ stg }}
),
{% endif %}

ranked as (
    select
        lines.*,
        case when dossier_code is null then 1 else row_number() over (
            partition by dossier_code
            order by received_file_date nulls last, _source_file, _source_row
        ) end as line_rank,
        case when dossier_code is null then 1 else count(*) over (partition by dossier_code) end
            as sync_line_count
    from lines
)

select * from ranked
