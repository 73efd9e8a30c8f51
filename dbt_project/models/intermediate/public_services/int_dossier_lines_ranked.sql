{{
    config(
        materialized='incremental',
        unique_key=['_source_file', '_source_row'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_window_lines_not_delivered() }}",
        tags=['daily']
    )
}}
-- One row per landed sync-call line (stg_dossiers__dossiers, materialised once), ranked among the lines of
-- its code by the contract's duplicate rule (docs/contracts/dossiers.md): the line of the earliest file, then
-- the first line of that file, has line_rank 1. Incremental on the file day: a run stages only the lines of
-- the run's window and ranks them again with the other lines of every code the window's files carry now or
-- carried before, so a repeat arriving days later updates its dossier's line count while the earlier line
-- keeps rank 1, and a line missing from a re-delivered file gives its rank back. The post-hook then deletes
-- the window's lines the files no longer hold. `_ranked_by_invocation` names the dbt run that last ranked a
-- line: fct_dossiers rebuilds the dossiers of the lines ranked by its own run.
{% set stg = ref('stg_dossiers__dossiers') %}

with
    {% if is_incremental() %}
        window_lines as (select * from {{ stg }} where {{ dossier_files_in_window() }}),

        -- the codes of the window's files as delivered now and as landed before
        window_codes as (
            select dossier_code
            from window_lines
            union
            select dossier_code
            from {{ this }}
            where {{ in_daily_window('received_file_date') }}
        ),

        lines as (
            select *
            from window_lines
            union all
            -- the lines of other days that carry one of those codes
            select * exclude (line_rank, sync_line_count, _ranked_by_invocation)
            from {{ this }}
            where
                dossier_code in (select dossier_code from window_codes)
                and not ({{ in_daily_window('received_file_date') }})
        ),
    {% else %} lines as (select * from {{ stg }}),
    {% endif %}

    -- the ranks computed on the line's key alone, then joined back to the lines: a window operator carries
    -- every column of its rows, and the staged lines are wide
    ranks as (
        select
            _source_file,
            _source_row,
            case
                when dossier_code is null
                then 1
                else
                    row_number() over (
                        partition by dossier_code
                        order by received_file_date nulls last, _source_file, _source_row
                    )
            end as line_rank,
            case
                when dossier_code is null then 1 else count(*) over (partition by dossier_code)
            end as sync_line_count
        -- a full build reads the view again for the keys: DuckDB would materialise a CTE read twice, every
        -- column of it, where the view computes only the columns asked for
        from
            (
                select dossier_code, received_file_date, _source_file, _source_row
                from {{ 'lines' if is_incremental() else stg }}
            )
    ),

    ranked as (
        select lines.*, ranks.line_rank, ranks.sync_line_count, '{{ invocation_id }}' as _ranked_by_invocation
        from lines
        inner join ranks on ranks._source_file = lines._source_file and ranks._source_row = lines._source_row
    )

select *
from ranked
