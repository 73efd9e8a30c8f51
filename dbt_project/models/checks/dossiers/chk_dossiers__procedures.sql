-- One row per delivered row of the procedure catalogue with the facts the catalogue rules read and one column
-- per rule of _dossiers__checks.yml.
with
    procedures as (select * from {{ ref('stg_dossiers__procedures') }}),

    prepared as (
        select
            coalesce(
                procedure_code, 'row:' || _source_file || ':' || cast(_source_row as varchar)
            ) as record_key,
            procedures.*,
            cast(null as varchar) as commune_code,
            cast(null as varchar) as district_code,
            cast(null as varchar) as agency_code,
            cast(null as varchar) as operator,
            row_number() over (
                partition by procedure_code order by _source_file, _source_row
            ) as code_occurrence,
            row_number() over (
                partition by lower(procedure_name), handling_level
                order by procedure_code, _source_file, _source_row
            ) as name_occurrence,
            -- the name a field code is written with most often (ties: the first alphabetically)
            mode(field_name order by field_name) over (partition by field_code) as usual_field_name
        from procedures
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
