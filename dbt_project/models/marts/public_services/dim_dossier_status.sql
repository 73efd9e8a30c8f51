-- One row per dossier status of the contract's list (TrangThaiHoSo 1-10), plus the unknown member (-1) for a
-- code out of the list. The key is the code. Read from the seed code_lists/dossier_statuses.
with statuses as (select * from {{ ref('dossier_statuses') }})

select
    cast(status_code as integer) as status_key,
    cast(status_code as integer) as status_code,
    cast(status_name as {{ dbt.type_string() }}) as status_name,
    cast(status_label as {{ dbt.type_string() }}) as status_label,
    is_handling_ended,
    is_completed,
    is_open
from statuses
union all
select
    -1,
    cast(null as integer),
    cast('Ngoài danh mục' as {{ dbt.type_string() }}),
    cast('out_of_list' as {{ dbt.type_string() }}),
    false,
    false,
    false
