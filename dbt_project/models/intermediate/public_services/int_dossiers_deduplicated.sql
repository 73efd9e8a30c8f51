{{ config(materialized='view') }}
-- One row per dossier (MaHoSo): the line of the earliest file, then the first line of that file
-- (docs/contracts/dossiers.md), with the number of lines that carried the code. A view on purpose: fct_dossiers
-- filters it on the reception day and the filter reaches the landed lines (pseudonyms and JSON are computed for
-- the window only), while the rank of a line is taken over every landed file, so a daily window never takes a
-- repeated line for a new dossier.
with lines as (
    select * from {{ ref('stg_dossiers__dossiers') }}
),

-- the position of every line among the lines of its code (a narrow projection: no pseudonym, no JSON)
line_ranks as (
    select
        _source_file,
        _source_row,
        row_number() over (
            partition by dossier_code
            order by received_file_date nulls last, _source_file, _source_row
        ) as line_rank,
        count(*) over (partition by dossier_code) as sync_line_count
    from {{ ref('stg_dossiers__dossiers') }}
    where dossier_code is not null
),

kept as (
    select
        lines.*,
        coalesce(line_ranks.sync_line_count, 1) as sync_line_count
    from lines
    left join line_ranks
        on line_ranks._source_file = lines._source_file
        and line_ranks._source_row = lines._source_row
    where coalesce(line_ranks.line_rank, 1) = 1
)

select * from kept
